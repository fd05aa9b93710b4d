"""DL3037: zypper packages installed without a version."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import unpinned_findings


@rule(id="DL3037", name="zypper-pin-versions", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",))
def zypper_pin_versions(df: Dockerfile) -> Iterator[Finding]:
    """Specify versions with zypper: `zypper install -y <package>=<version>`.

    Why: `zypper install -y curl` installs the newest build in the
    repositories on the day of the build; two builds differ without any
    change to the Dockerfile.

    Bad:
        RUN zypper install -y curl && zypper clean
    Good:
        RUN zypper install -y curl=8.6.0 && zypper clean
        RUN zypper install -y 'curl>=8.6' && zypper clean
    References:
    - https://doc.opensuse.org/documentation/leap/reference/html/book-reference/cha-sw-cl.html
    Note: `=`, `<`, `<=`, `>`, `>=` count (as hadolint), and so does
    `name-version` (`curl-8.6.0`, which zypper reads as well; hadolint
    reports it). `.rpm` files, paths and URLs count as pinned. Versions
    held in ARG/ENV count when they resolve (#928).
    """
    return unpinned_findings(df, ("zypper",), "zypper install", lambda name: f"use `{name}=<version>`")
