"""Helpers the security rules share: shell commands of RUN instructions, and ENV values."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.rules._common import runs


def run_commands(df) -> Iterator[tuple[object, object]]:
    """(instruction, command) for every simple command of every RUN (ONBUILD RUN included).

    A command run through a wrapper appears once, unwrapped (``sudo apt-get``
    is ``apt-get``): the written wrapper itself is skipped unless the rule
    looks for it.
    """
    for instr in runs(df):
        for command in instr.commands:
            yield instr, command


def env_settings(df) -> Iterator[tuple[object, str, object]]:
    """(instruction, name, Value) for every ENV pair and every ARG default."""
    for instr in df.walk():
        if instr.keyword == "ENV":
            for pair in instr.pairs or ():
                yield instr, pair.key, pair.value
        elif instr.keyword == "ARG":
            for decl in instr.arg_decls or ():
                if decl.default is not None:
                    yield instr, decl.name, decl.default
