"""Commands that run another command: ``sudo apt-get``, ``xargs -n1 pip``, ``sh -c '...'``.

Each wrapper is described by its options, so that the wrapped command is found
after them (``sudo -u app -E pip install`` runs ``pip``). The logic works on
argument values only; the parser applies it to its words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


@dataclass(frozen=True, slots=True)
class WrapperSpec:
    short_with_value: str = ""  # one-letter options that take a value (-u USER)
    long_with_value: frozenset[str] = frozenset()  # long options that may take the next word
    operands: int = 0  # words between the options and the command (timeout DURATION, gosu USER)
    assignments: bool = False  # NAME=value words before the command (env, sudo)
    no_run: str = ""  # options after which the command is only looked up, not run (command -v)


# Option tables from each tool's manual page (sudo(8), env(1), xargs(1), time(1),
# nice(1), timeout(1), stdbuf(1), chroot(8), bash's `exec`/`command` builtins).
WRAPPERS: dict[str, WrapperSpec] = {
    "sudo": WrapperSpec("CDghpRrTtUu", frozenset({
        "chdir", "close-from", "group", "host", "other-user", "prompt", "role", "type",
        "user", "command-timeout", "chroot"}), assignments=True),
    "env": WrapperSpec("uCS", frozenset({"unset", "chdir", "split-string"}), assignments=True),
    "xargs": WrapperSpec("adEILnPs", frozenset({
        "arg-file", "delimiter", "max-args", "max-procs", "max-chars", "process-slot-var"})),
    "nohup": WrapperSpec(),
    "time": WrapperSpec("fo", frozenset({"format", "output"})),
    "exec": WrapperSpec("a"),
    "command": WrapperSpec(no_run="vV"),
    "builtin": WrapperSpec(),
    "nice": WrapperSpec("n", frozenset({"adjustment"})),
    "ionice": WrapperSpec("cnp", frozenset({"class", "classdata", "pid"})),
    "timeout": WrapperSpec("ks", frozenset({"kill-after", "signal"}), operands=1),
    "stdbuf": WrapperSpec("ioe", frozenset({"input", "output", "error"})),
    "chroot": WrapperSpec("", frozenset({"userspec", "groups"}), operands=1),
    "gosu": WrapperSpec(operands=1),
    "su-exec": WrapperSpec(operands=1),
    "eatmydata": WrapperSpec(),
    "busybox": WrapperSpec(),
}

SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"})
# Shell options that consume the next word (-o pipefail, -O extglob, --rcfile F).
_SHELL_SHORT_WITH_VALUE = "oO"
_SHELL_LONG_WITH_VALUE = frozenset({"rcfile", "init-file"})


@dataclass(frozen=True, slots=True)
class Unwrapped:
    """Where the wrapped command starts in the wrapper's argv."""

    command: int  # index of the wrapped command's name in argv
    assignments: tuple[int, ...]  # indexes of NAME=value words given to it


def unwrap(program: str, values: list[str | None]) -> Unwrapped | None:
    """The command ``values`` (a wrapper's argv, name first) runs, or None."""
    spec = WRAPPERS.get(program)
    if spec is None:
        return None
    i = 1
    while i < len(values):
        text = values[i]
        if text is None or not text.startswith("-") or text == "-":
            break
        i += 1
        if text == "--":
            break
        if text.startswith("--"):
            if "=" not in text and text[2:] in spec.long_with_value:
                i += 1
            continue
        letters = text[1:]
        if any(c in spec.no_run for c in letters):
            return None
        for k, letter in enumerate(letters):
            if letter in spec.short_with_value:
                if k == len(letters) - 1:
                    i += 1
                break
    assignments = []
    while spec.assignments and i < len(values) and values[i] and _ASSIGNMENT.match(values[i]):
        assignments.append(i)
        i += 1
    i += spec.operands
    if i >= len(values):
        return None
    return Unwrapped(i, tuple(assignments))


def shell_script_index(values: list[str | None]) -> int | None:
    """Index of the script in ``sh -c SCRIPT`` / ``bash -euo pipefail -c SCRIPT``."""
    i = 1
    has_c = False
    while i < len(values):
        text = values[i]
        if text is None or text[:1] not in "-+" or text in ("-", "+"):
            break
        i += 1
        if text == "--":
            break
        if text.startswith("--"):
            if text[2:] in _SHELL_LONG_WITH_VALUE:
                i += 1
            continue
        letters = text[1:]
        has_c = has_c or (text[0] == "-" and "c" in letters)
        if any(c in _SHELL_SHORT_WITH_VALUE for c in letters):
            i += 1
    return i if has_c and i < len(values) else None
