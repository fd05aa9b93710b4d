"""DL3041: dnf packages installed without a version."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import unpinned_findings


@rule(id="DL3041", name="dnf-pin-versions", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",))
def dnf_pin_versions(df: Dockerfile) -> Iterator[Finding]:
    """Specify versions with dnf: `dnf install -y <package>-<version>`.

    Why: `dnf install -y httpd` installs the newest build in the repositories
    on the day of the build; two builds differ without any change to the
    Dockerfile.

    Bad:
        RUN dnf install -y httpd && dnf clean all
    Good:
        RUN dnf install -y httpd-2.4.62-1.fc40 && dnf clean all
    References:
    - https://dnf.readthedocs.io/en/latest/command_ref.html#install-command
    Note: `microdnf` (and `dnf5`, `tdnf`) are checked too. A version is a `-`
    followed by a digit, so `python3-devel` is a name without one (as
    hadolint). `.rpm` files, paths and URLs count as pinned; `dnf module
    install` needs a stream (`nodejs:18`); groups are not judged. Versions
    held in ARG/ENV count when they resolve (#928).
    """
    return unpinned_findings(df, ("dnf", "microdnf"), "dnf install", lambda name: f"use `{name}-<version>`")
