"""The install view: what package-manager commands a RUN runs, and what they install.

``Instr.package_commands`` (and ``installs``, ``Stage.installs``,
``Dockerfile.installs``) are the entry points; this package reads each
command line with the option table of its tool (one module per family) so
every rule agrees on what an install is. See docs/model.md.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from dockerlint.model.packages import apk, apt, conda, node, python, rpm, toolchains
from dockerlint.model.packages.types import (
    CACHE_CLEANED,
    CACHE_ENV,
    CACHE_FLAG,
    CACHE_MOUNT,
    CACHE_TMPFS,
    EXACT,
    LOCAL,
    PINS,
    RANGE,
    UNKNOWN,
    UNPINNED,
    URL,
    VCS,
    CacheState,
    Package,
    PackageCommand,
)
from dockerlint.model.shell import Command

if TYPE_CHECKING:
    from dockerlint.model.dockerfile import Instr

__all__ = [
    "CACHE_CLEANED", "CACHE_ENV", "CACHE_FLAG", "CACHE_MOUNT", "CACHE_TMPFS", "CacheState", "EXACT", "LOCAL",
    "PINS", "Package", "PackageCommand", "RANGE", "UNKNOWN", "UNPINNED", "URL", "VCS", "package_command",
    "package_commands",
]

Parser = Callable[[Command, "Instr", Sequence[Command]], "PackageCommand | None"]
_PARSERS: dict[str, Parser] = {
    **{name: apt.parse for name in apt.PROGRAMS},
    "apk": apk.parse,
    **rpm.PROGRAMS,
    **python.PROGRAMS,
    **{name: conda.parse for name in conda.PROGRAMS},
    **{name: node.parse for name in node.ACTIONS},
    **toolchains.PROGRAMS,
}


def _parser(program: str) -> Parser | None:
    return _PARSERS.get(program) or python.parser_for(program)


def package_command(cmd: Command, instr: Instr, later: Sequence[Command] = ()) -> PackageCommand | None:
    """The ``PackageCommand`` of one shell command of ``instr`` (None if not a package manager's).

    ``later``: the commands after it in the same RUN (they may clean its cache).
    """
    program = cmd.program
    if not program:
        return None
    parse = _parser(program)
    return parse(cmd, instr, later) if parse is not None else None


def package_commands(instr: Instr) -> tuple[PackageCommand, ...]:
    """Every package-manager command of a RUN, in order (use ``Instr.package_commands``)."""
    commands = instr.commands
    out = []
    for i, cmd in enumerate(commands):
        found = package_command(cmd, instr, commands[i + 1:])
        if found is not None:
            out.append(found)
    return tuple(out)
