"""DL3001: commands that make no sense in an image build."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# hadolint's list: interactive tools, process and system management of a machine.
_POINTLESS = frozenset({"free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"})


@rule(id="DL3001", name="pointless-command", severity=Severity.INFO, category="maintainability", on=("RUN",))
def pointless_command(df: Dockerfile) -> Iterator[Finding]:
    """Do not run interactive or machine-management commands in a build (`ssh`, `vim`, `top`, `service`…).

    Why: a build step has no terminal, no init system and no other processes:
    `service nginx start` starts nothing that survives the step, `vim` waits
    forever, `ps`/`top`/`free` describe the build container, not the image.

    Bad:
        RUN service nginx start
    Good:
        CMD ["nginx", "-g", "daemon off;"]

    Note: hadolint's list (free, kill, mount, ps, service, shutdown, ssh, top,
    vim), matched on the command that runs (also behind `sudo`, `sh -c` and in
    heredoc scripts), never on package names (`apt-get install vim` is fine).
    """
    for run in df.walk():
        if run.keyword != "RUN":
            continue
        for cmd in run.commands:
            if cmd.program in _POINTLESS:
                yield run.finding(f"`{cmd.program}` makes no sense in a Dockerfile RUN: nothing it starts or "
                                  "shows outlives the build step", span=cmd.argv[0].span)
