"""SEC010: a whole-system package upgrade in the build."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import runs

_UPGRADES = {
    "apt-get": frozenset({"upgrade", "dist-upgrade", "full-upgrade"}),
    "apt": frozenset({"upgrade", "dist-upgrade", "full-upgrade"}),
    "apk": frozenset({"upgrade"}),
    "yum": frozenset({"upgrade", "update"}),
    "dnf": frozenset({"upgrade", "update", "distro-sync"}),
    "microdnf": frozenset({"upgrade", "update"}),
    "zypper": frozenset({"update", "up", "dist-upgrade", "dup"}),
}


@rule(id="SEC010", name="package-manager-upgrade", severity=Severity.INFO, category="security",
      on=("RUN",), default_enabled=False, hadolint=(), trivy=("DS024",))
def package_manager_upgrade(df: Dockerfile) -> Iterator[Finding]:
    """Prefer a newer base image to upgrading every package in the build.

    Why: `apt-get upgrade` makes the image depend on the day it was built:
    two builds of one Dockerfile get different packages, and a distribution
    upgrade can replace what the base image's maintainers tested.

    Bad:
        RUN apt-get update && apt-get dist-upgrade -y
    Good:
        FROM debian:12.7-slim

    Note: off by default, in the `strict` profile only: Docker's own best
    practices now recommend upgrading for security fixes, hadolint dropped
    its rule for this and Trivy deprecated DS024. Whole-system upgrades
    only: `yum update curl` (named packages) is an install, not reported.
    References:
    - https://avd.aquasec.com/misconfig/ds024
    """
    for instr in runs(df):
        for command in instr.commands:
            program = command.program
            if program not in _UPGRADES:
                continue
            positional = [w.value for w in command.positional() if w.value]
            if positional and positional[0] in _UPGRADES[program] and (
                    len(positional) == 1 or program.startswith("apt")):
                yield instr.finding(f"`{program} {positional[0]}` upgrades every package at build time",
                                    span=command.span)
