"""DL3033: yum packages installed without a version."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import unpinned_findings


@rule(id="DL3033", name="yum-pin-versions", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",))
def yum_pin_versions(df: Dockerfile) -> Iterator[Finding]:
    """Specify versions with yum: `yum install -y <package>-<version>`.

    Why: `yum install -y httpd` installs the newest build in the repositories
    on the day of the build; two builds differ without any change to the
    Dockerfile.

    Bad:
        RUN yum install -y httpd && yum clean all
    Good:
        RUN yum install -y httpd-2.4.6-99.el7 && yum clean all
    References:
    - https://man7.org/linux/man-pages/man8/yum.8.html
    Note: a version is a `-` followed by a digit (`httpd-2.4.6`), so
    `python3-devel` is a name without one (as hadolint 2.15). `.rpm` files,
    paths and URLs count as pinned; `yum module install` needs a stream
    (`nodejs:18`); groups (`@core`, `groupinstall`) are not judged.
    Versions held in ARG/ENV count when they resolve (#928).
    """
    return unpinned_findings(df, ("yum",), "yum install", lambda name: f"use `{name}-<version>`")
