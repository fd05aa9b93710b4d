"""DL4006: a pipe in RUN without `-o pipefail`."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile, Instr
from dockerlint.rule import rule

_PIPEFAIL_SHELLS = frozenset({"bash", "zsh", "ash", "ksh", "mksh"})


@rule(id="DL4006", name="pipefail", severity=Severity.WARNING, category="correctness", on=("RUN",))
def pipefail(df: Dockerfile) -> Iterator[Finding]:
    """Set the SHELL option `-o pipefail` before a RUN with a pipe in it.

    Why: a pipeline's status is its last command's: in `curl -fsSL $URL | tar
    -xz` a failed download still "succeeds" because tar exits 0 on empty
    input, and the build goes on with nothing installed.

    Bad:
        RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin
    Good:
        SHELL ["/bin/bash", "-o", "pipefail", "-c"]
        RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin

    Note: a SHELL in the stage or in a stage it is built FROM counts (hadolint
    forgets it at each FROM); so does `set -o pipefail` (or `set -eo
    pipefail`) in the same RUN before the pipe, including in a heredoc script
    (#1137). Not checked under a non-POSIX SHELL. On Alpine's `/bin/sh`
    (busybox ash) `SHELL ["/bin/ash", "-o", "pipefail", "-c"]` works too.
    """
    for run in df.walk():
        if run.keyword != "RUN" or not run.posix_shell or _shell_has_pipefail(run):
            continue
        pipefail_at: int | None = None
        for cmd in run.commands:
            if cmd.program == "set" and _sets_pipefail([w.value for w in cmd.argv[1:]]):
                pipefail_at = pipefail_at if pipefail_at is not None else cmd.start
            if cmd.next_op in ("|", "|&") and pipefail_at is None:
                yield run.finding("Set the SHELL option -o pipefail before RUN with a pipe in it (or "
                                  "`set -o pipefail` first)", span=cmd.span or run.span)
                break


def _shell_has_pipefail(run: Instr) -> bool:
    shell = list(run.shell)
    if not shell:
        return False
    program = shell[0].rsplit("/", 1)[-1]
    return program in _PIPEFAIL_SHELLS and _sets_pipefail(shell[1:])


def _sets_pipefail(words: Sequence[str | None]) -> bool:
    """``-o pipefail`` (``-eo pipefail``, ``-euxo pipefail``) or ``-opipefail`` among ``words``."""
    for i, word in enumerate(words):
        if word is None or not word.startswith("-") or word.startswith("--"):
            continue
        if word.endswith("o") and i + 1 < len(words) and words[i + 1] == "pipefail":
            return True
        if word.endswith("opipefail"):
            return True
    return False
