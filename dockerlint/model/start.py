"""What the container runs when it starts: ENTRYPOINT and CMD as Docker joins them.

A model fact because several families ask it (a start file never copied, a
tool never installed, an import nothing installs): each used to read the
instructions on its own.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from dockerlint.model.shell import Command, parse_commands
from dockerlint.syntax.nodes import Span

if TYPE_CHECKING:
    from dockerlint.model.dockerfile import Instr, Stage


class StartCommand(NamedTuple):
    """One command line the container starts with, as argv values (all known)."""

    argv: tuple[str, ...]
    instr: Instr  # the CMD or ENTRYPOINT it comes from
    span: Span  # where it is written


def start_commands(stage: Stage) -> tuple[StartCommand, ...]:
    """The last ENTRYPOINT and CMD of the FROM chain, joined as Docker does: an exec-form
    ENTRYPOINT gets the exec-form CMD as arguments (not a CMD of an earlier stage: an ENTRYPOINT
    resets the CMD it inherits); a shell form (or ``sh -c "…"``) gives one line per simple
    command. Lines with an unknown word are left out."""
    found: dict[str, Instr] = {}
    for s in reversed(stage.chain):
        for instr in s.instructions:
            if instr.keyword in ("CMD", "ENTRYPOINT") and instr.cmd is not None:
                found[instr.keyword] = instr
    entry, cmd = found.get("ENTRYPOINT"), found.get("CMD")
    if entry is not None and cmd is not None and entry.stage is not None and cmd.stage is not entry.stage \
            and cmd.stage in entry.stage.chain:
        cmd = None  # "setting ENTRYPOINT will reset CMD" inherited from a base (Dockerfile reference)
    if entry is not None and entry.cmd is not None:
        if not entry.cmd.exec_form:
            return _shell_lines(entry)
        extra = tuple(cmd.cmd.argv) if cmd is not None and cmd.cmd is not None and cmd.cmd.exec_form else ()
        return _exec_lines(tuple(entry.cmd.argv) + extra, entry)
    if cmd is not None and cmd.cmd is not None:
        return _exec_lines(tuple(cmd.cmd.argv), cmd) if cmd.cmd.exec_form else _shell_lines(cmd)
    return ()


def _exec_lines(argv: tuple[str, ...], instr: Instr) -> tuple[StartCommand, ...]:
    assert instr.cmd is not None
    if len(argv) >= 3 and argv[0].rsplit("/", 1)[-1] in ("sh", "bash") and argv[1] in ("-c", "-lc", "-ec"):
        return tuple(StartCommand(values, instr, instr.cmd.span)
                     for values in map(_values, parse_commands(argv[2])) if values)
    return (StartCommand(argv, instr, instr.cmd.span),) if argv else ()


def _shell_lines(instr: Instr) -> tuple[StartCommand, ...]:
    assert instr.cmd is not None
    return tuple(StartCommand(values, instr, c.span or instr.cmd.span)
                 for c in instr.cmd.commands if (values := _values(c)))


def _values(command: Command) -> tuple[str, ...] | None:
    """The command's words, or None when one is unknown (a rule cannot know what runs)."""
    known = tuple(w.value for w in command.argv if w.value is not None)
    return known if known and len(known) == len(command.argv) else None
