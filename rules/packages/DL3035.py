"""DL3035: zypper dist-upgrade in a Dockerfile."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import package_commands


@rule(id="DL3035", name="zypper-no-dist-upgrade", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",))
def zypper_no_dist_upgrade(df: Dockerfile) -> Iterator[Finding]:
    """Do not use `zypper dist-upgrade` in a Dockerfile; use a newer base image.

    Why: `zypper dup` moves the whole distribution to whatever the
    repositories hold that day (possibly a new release, vendor changes
    included): the image is no longer the base it says it is, and two
    builds differ.

    Bad:
        RUN zypper dup -y
    Good:
        FROM opensuse/leap:15.6
        RUN zypper patch -y && zypper clean
    References:
    - https://en.opensuse.org/SDB:System_upgrade
    Note: `zypper dist-upgrade` and `dup` are reported, `update` and
    `patch` are not (as hadolint).
    """
    for pc in package_commands(df, ("zypper",), ("dist-upgrade",)):
        yield pc.instr.finding(f"Do not use `zypper {pc.subcommand}`: use a newer base image instead",
                               span=pc.verb.span if pc.verb is not None else pc.span)
