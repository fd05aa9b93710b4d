"""DL3030: yum waits for a yes that never comes."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import asking_findings


@rule(id="DL3030", name="yum-yes", severity=Severity.WARNING, category="correctness", fixable=True,
      on=("RUN",))
def yum_yes(df: Dockerfile) -> Iterator[Finding]:
    """Use `-y` with yum: `yum install -y <package>`.

    Why: without `-y` yum asks "Is this ok [y/N]" and a build has no one to
    answer: it reads end of file and the RUN fails with "Exiting on user command".

    Bad:
        RUN yum install httpd-2.4.6-99.el7 && yum clean all
    Good:
        RUN yum install -y httpd-2.4.6-99.el7 && yum clean all
    Fix: inserts `-y` after the sub-command.
    Fix safety: `-y` only answers the question the build cannot answer.
    References:
    - https://man7.org/linux/man-pages/man8/yum.8.html
    Note: `-y` and `--assumeyes` count. `groupinstall`, `localinstall`,
    `reinstall` and the other actions that ask (`remove`, `update`,
    `distro-sync`, `builddep`) are checked, as are `sudo yum` and `sh -c`.
    """
    return asking_findings(df, ("yum",))
