"""The simple commands of a shell script (RUN bodies, heredoc scripts).

Rules ask "does this RUN call ``apt-get install`` without
``--no-install-recommends``?"; this module answers by walking the script the way
a POSIX shell (or bash) would split it into simple commands, and keeps the
offset of every word so a finding can point at it.

Everything here is pure and works on a plain string; offsets index that string.
The model maps them to Dockerfile spans (``Instruction.span_of``) with
``Command.with_spans``. Parsing never raises: what is not understood becomes a
``ShellIssue`` and parsing goes on with a best guess.

The parser is our own (``parser``), chosen by measurement on the 2,935
shell-form RUN bodies of the shared corpus (``bench/shell_parsers.py``): it
reads all of them without error (bashlex 92.5%, tree-sitter-bash 95.8%, both
failing on bodies that end in a Dockerfile heredoc marker), finds the same
command names as tree-sitter-bash on every body both read, and is fast enough
(thousands of bodies per second; tree-sitter's C is faster). It needs no new
runtime dependency, and values (quote removal, ARG/ENV resolution, field
splitting), dash-vs-bash differences and exact offsets through
``sh -c '...'`` all need control of the scanner.
"""
from __future__ import annotations

from collections.abc import Iterable

from dockerlint.model.shell.parser import parse, parse_argv
from dockerlint.model.shell.types import (
    MAX_SCRIPT_CHARS,
    SHELL_DIALECTS,
    Command,
    Redirect,
    Resolver,
    ShellIssue,
    ShellScript,
    Word,
    is_posix_shell,
    shell_dialect,
)

__all__ = [
    "Command", "MAX_SCRIPT_CHARS", "Redirect", "Resolver", "SHELL_DIALECTS", "ShellIssue", "ShellScript", "Word",
    "is_posix_shell",
    "parse_commands", "parse_exec", "parse_script", "shell_dialect",
]


def parse_script(script: str, *, dialect: str = "sh", resolve: Resolver | None = None) -> ShellScript:
    """Split ``script`` into simple commands; never raises.

    ``dialect`` is ``"sh"`` (POSIX; dash, ash) or ``"bash"`` (also zsh, ksh):
    bash reads ``$'...'`` as ANSI-C strings and ``&>`` as one redirection.
    ``resolve(name)`` gives the value of ``$name`` (ARG/ENV scope) or None when
    unknown; without it every expansion leaves its word's value None.
    """
    return parse(script, dialect=dialect, resolve=resolve)


def parse_commands(script: str, *, dialect: str = "sh", resolve: Resolver | None = None) -> tuple[Command, ...]:
    """The simple commands of ``script`` (see ``parse_script``)."""
    return parse_script(script, dialect=dialect, resolve=resolve).commands


def parse_exec(text: str, literals: Iterable[tuple[str, int, int]], *,
               resolve: Resolver | None = None) -> ShellScript:
    """The commands an exec-form argv (``RUN ["pip", "install", "x"]``) runs; never raises.

    ``literals`` are the JSON string elements as (decoded value, start, end)
    with ``text[start:end]`` the literal, quotes included; offsets index
    ``text`` (the Dockerfile). The argv is one command whose words point at
    the literals; what it wraps is unwrapped as in a script, so the script of
    ``["sh", "-c", SCRIPT]`` is parsed (with ``resolve``) and its words point
    into the literal: exactly when the literal holds no escape, else each
    word spans the whole literal (an escape breaks the one-to-one mapping).
    """
    return parse_argv(text, tuple(literals), resolve=resolve)
