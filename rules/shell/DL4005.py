"""DL4005: replacing /bin/sh with a link instead of using SHELL."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL4005", name="use-shell-instruction", severity=Severity.WARNING, category="maintainability",
      on=("RUN",))
def use_shell_instruction(df: Dockerfile) -> Iterator[Finding]:
    """Use SHELL to change the default shell, not `ln -s … /bin/sh`.

    Why: relinking `/bin/sh` changes the shell of every program in the image
    that calls `system()` or `sh -c`, not only of your RUN lines; SHELL
    changes exactly the build's shell, and says so.

    Bad:
        RUN ln -sf /bin/bash /bin/sh
    Good:
        SHELL ["/bin/bash", "-c"]
    """
    for run in df.walk():
        if run.keyword != "RUN":
            continue
        for cmd in run.commands:
            if cmd.program != "ln":
                continue
            words = [w.value for w in cmd.argv[1:]]
            if any(w is not None and w.startswith("-") and "s" in w.lstrip("-") for w in words if w) \
                    and words and words[-1] == "/bin/sh":
                yield run.finding("Use SHELL to change the default shell", span=cmd.span or run.span)
