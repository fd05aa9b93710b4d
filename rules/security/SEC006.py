"""SEC006: a downloaded script piped straight into a shell."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

_DOWNLOADERS = frozenset({"curl", "wget"})
_INTERPRETERS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "python", "python3", "perl", "ruby", "node"})


@rule(id="SEC006", name="remote-script-piped-to-shell", severity=Severity.WARNING, category="security",
      on=("RUN",), hadolint=())
def remote_script_piped_to_shell(df: Dockerfile) -> Iterator[Finding]:
    """Download a script, check its checksum, then run it; do not pipe `curl` into a shell.

    Why: `curl URL | sh` runs whatever the server sends today: a changed,
    hijacked or half-downloaded script runs with the build's privileges,
    and the build cannot be reproduced.

    Bad:
        RUN curl -fsSL https://example.com/install.sh | sh
    Good:
        RUN curl -fsSLo install.sh https://example.com/install.sh \\
            && echo "3f2c...  install.sh" | sha256sum -c - \\
            && sh install.sh

    Note: `curl`/`wget` output piped (`|`) into sh, bash, dash, ash, zsh,
    ksh, python, perl, ruby or node (also through sudo), and `sh -c
    "$(curl ...)"`/`bash <(curl ...)`.
    References:
    - https://docs.docker.com/build/building/best-practices/#run
    """
    for instr in (i for i in df.walk() if i.keyword == "RUN"):
        commands = [c for c in instr.commands if not (c.wrapper is None and c.program == "sudo")]
        for k, command in enumerate(commands):
            if command.program in _DOWNLOADERS and command.next_op in ("|", "|&"):
                nxt = next((c for c in commands[k + 1:] if c.start >= command.end), None)
                if nxt is not None and nxt.program in _INTERPRETERS:
                    yield instr.finding(f"`{command.program} ... | {nxt.program}` runs a script no one checked",
                                        span=command.span)
            elif command.program in _INTERPRETERS and any(
                    w.substituted and any(d + " " in w.raw for d in _DOWNLOADERS) for w in command.argv[1:]):
                yield instr.finding(f"`{command.program}` runs a downloaded script no one checked", span=command.span)
