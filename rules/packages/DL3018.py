"""DL3018: apk packages installed without a version."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import unpinned_findings


@rule(id="DL3018", name="apk-pin-versions", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",))
def apk_pin_versions(df: Dockerfile) -> Iterator[Finding]:
    """Pin versions in `apk add`: `apk add <package>=<version>`, or a range such as `<package><2`.

    Why: `apk add curl` installs whatever the Alpine mirror serves that day,
    so two builds a month apart get different packages. A pin makes a change
    visible as a build failure instead of a silent difference.

    Bad:
        RUN apk add --no-cache curl
    Good:
        RUN apk add --no-cache curl=8.9.1-r1
        # or, since Alpine removes old revisions, a range:
        RUN apk add --no-cache 'curl<8.10' 'git~2.45'
    References:
    - https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Advanced_APK_Usage
    Note: range pins (`pkg<2`, `pkg>1`, `pkg~1.2`, `pkg>=1`) count as pinned
    (hadolint#204: Alpine deletes old revisions, so an exact pin breaks
    builds). Versions held in ARG/ENV count when they resolve
    (`apk add curl=${CURL_VERSION}`, #928); a package list that cannot be
    resolved (`apk add $DEPS` set by the shell) is never guessed. The values
    of `--virtual`/`-t`, `--repository`/`-X` and `--root`/`-p` are not
    packages; `.apk` files and paths are local. `ONBUILD RUN`, exec form,
    heredocs, `sudo` and `sh -c` are checked.
    """
    return unpinned_findings(df, ("apk",), "apk add", lambda name: f"use `{name}=<version>`")
