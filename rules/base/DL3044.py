"""DL3044: ENV referring to a variable defined in the same ENV."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

_REFERENCE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))")


@rule(id="DL3044", name="env-self-reference", severity=Severity.ERROR, category="correctness", on=("ENV",))
def env_self_reference(df: Dockerfile) -> Iterator[Finding]:
    """Do not refer to an environment variable within the same ENV statement where it is defined.

    Why: all values of one ENV are expanded before any is set, so
    `ENV A=1 B=$A` gives B the *previous* A (often empty), not 1.

    Bad:
        ENV APP_HOME=/app APP_DATA=$APP_HOME/data
    Good:
        ENV APP_HOME=/app
        ENV APP_DATA=$APP_HOME/data

    Note: as hadolint, a reference counts only when the variable was not
    already defined before this ENV (by ARG or ENV, or the base image's known
    variables): then the old value is what the author meant, and `ENV
    PATH=/opt/bin:$PATH` is the idiom it is.
    """
    for instr in df.walk():
        if instr.keyword != "ENV":
            continue
        defined_here: list[str] = []
        for pair in instr.pairs or ():
            raw = pair.value.raw
            for match in _REFERENCE.finditer(raw):
                name = match.group(1) or match.group(2)
                if name in defined_here and name not in instr.vars:
                    yield instr.finding(f"`{name}` is defined in this same ENV: its value here is not the one "
                                        "set a few words earlier", span=pair.span)
                    break
            defined_here.append(pair.key)
