"""DL3034: zypper waits for a yes that never comes."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import asking_findings


@rule(id="DL3034", name="zypper-yes", severity=Severity.WARNING, category="correctness", fixable=True,
      on=("RUN",))
def zypper_yes(df: Dockerfile) -> Iterator[Finding]:
    """Make zypper non-interactive: `zypper install -y <package>` (or `zypper -n install`).

    Why: without it zypper asks "Continue? [y/n/v/...? shows all options]
    (y)" and a build has no one to answer; the RUN fails or hangs on input.

    Bad:
        RUN zypper install curl=8.6.0 && zypper clean
    Good:
        RUN zypper install -y curl=8.6.0 && zypper clean
    Fix: inserts `-y` (`--no-confirm`) after the sub-command.
    Fix safety: it only answers the question the build cannot answer.
    References:
    - https://doc.opensuse.org/documentation/leap/reference/html/book-reference/cha-sw-cl.html
    Note: the global `-n`/`--non-interactive` and the command's
    `-y`/`--no-confirm` count. `in`, `remove`, `update`, `patch`, `dup` and
    `source-install` are checked as well as `install`.
    """
    return asking_findings(df, ("zypper",))
