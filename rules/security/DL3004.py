"""DL3004: sudo in RUN."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL3004", name="no-sudo", severity=Severity.ERROR, category="security", on=("RUN",),
      trivy=("DS010",), checkov=("CKV2_DOCKER_1",))
def no_sudo(df: Dockerfile) -> Iterator[Finding]:
    """Do not use sudo: RUN already runs as the USER you chose; switch with USER (or gosu at run time).

    Why: sudo in a build needs a sudoers setup, behaves differently with and
    without a TTY, and leaves a setuid binary and a privilege path in the image.

    Bad:
        RUN sudo apt-get install -y curl
    Good:
        USER root
        RUN apt-get install -y curl
        USER app

    Note: also in ONBUILD RUN, `sh -c` scripts and heredocs, wherever sudo is
    the command that runs.
    """
    for run in df.walk():
        if run.keyword != "RUN":
            continue
        for cmd in run.commands:
            if cmd.program == "sudo":
                yield run.finding("Do not use sudo as it leads to unpredictable behavior; use USER (or gosu)",
                                  span=cmd.argv[0].span)
