"""DL3014: apt-get waits for a yes that never comes."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import asking_findings


@rule(id="DL3014", name="apt-get-yes", severity=Severity.WARNING, category="correctness", fixable=True,
      on=("RUN",), trivy=("DS021",))
def apt_get_yes(df: Dockerfile) -> Iterator[Finding]:
    """Use `-y` with `apt-get install`: `apt-get install -y <package>`.

    Why: without `-y` apt-get asks "Do you want to continue? [Y/n]" and reads
    the answer from stdin. A build has no terminal: apt-get reads end of file,
    answers "Abort." and the RUN fails (or, worse, works only until a
    dependency is added and the question appears).

    Bad:
        RUN apt-get update && apt-get install --no-install-recommends curl=7.88.1-10+deb12u8
    Good:
        RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    Fix: inserts `-y` after the sub-command (an element of its own in exec form).
    Fix safety: `-y` only answers the question the build cannot answer.
    References:
    - https://manpages.debian.org/bookworm/apt/apt-get.8.en.html
    Note: `-y`, `--yes`, `--assume-yes`, `-qq` (quiet level 2 implies `-y`)
    and `-o APT::Get::Assume-Yes=true` count; a single `-q` does not (as
    hadolint). Besides `install`, every action that asks is checked
    (`remove`, `purge`, `autoremove`, `upgrade`, `dist-upgrade`, `build-dep`),
    and `apt`/`aptitude` as well as `apt-get`, through `sudo` and `sh -c`
    too (hadolint checks `apt-get install` only).
    """
    return asking_findings(df, ("apt",))
