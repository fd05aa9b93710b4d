"""DL3038: dnf waits for a yes that never comes."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import asking_findings


@rule(id="DL3038", name="dnf-yes", severity=Severity.WARNING, category="correctness", fixable=True,
      on=("RUN",))
def dnf_yes(df: Dockerfile) -> Iterator[Finding]:
    """Use `-y` with dnf: `dnf install -y <package>`.

    Why: without `-y` dnf asks "Is this ok [y/N]" and a build has no one to
    answer: it reads end of file and the RUN fails ("Operation aborted").

    Bad:
        RUN dnf install tomcat-9.0.1 && dnf clean all
    Good:
        RUN dnf install -y tomcat-9.0.1 && dnf clean all
    Fix: inserts `-y` after the sub-command.
    Fix safety: `-y` only answers the question the build cannot answer.
    References:
    - https://dnf.readthedocs.io/en/latest/command_ref.html#assumeyes-command-label
    Note: `microdnf` is checked too (microdnf 3.9+ and dnf5 confirm
    transactions; as hadolint), and `dnf5`/`tdnf`. `-y` and `--assumeyes`
    count; the other actions that ask (`remove`, `upgrade`, `module
    install`, `group install`) are checked as well.
    """
    return asking_findings(df, ("dnf", "microdnf"))
