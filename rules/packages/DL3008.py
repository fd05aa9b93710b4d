"""DL3008: apt packages installed without a version."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import unpinned_findings


@rule(id="DL3008", name="apt-get-pin-versions", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",))
def apt_get_pin_versions(df: Dockerfile) -> Iterator[Finding]:
    """Pin versions in `apt-get install`: `apt-get install <package>=<version>`.

    Why: without a version, `apt-get install curl` installs whatever the
    mirror serves on the day of the build, so two builds a month apart differ
    and a rebuild can break. A pin makes the drift visible: the build fails
    loudly when the version leaves the archive instead of changing silently.

    Bad:
        RUN apt-get update && apt-get install -y --no-install-recommends curl
    Good:
        RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8

    Note: `.deb` files and `pkg/release` (as hadolint) count as pinned; the
    value of `-t/--target-release` is not a package. A package list held in a
    variable that cannot be resolved (`apt-get install $DEPS` with `DEPS` set
    by the shell) is not reported: dockerlint never guesses. `apt` and
    `aptitude` installs are checked too, in exec-form RUN as well.
    """
    return unpinned_findings(df, ("apt",), lambda pc: f"{pc.tool} install", lambda name: f"use `{name}=<version>`")
