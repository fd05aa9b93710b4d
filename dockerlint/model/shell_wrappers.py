"""Commands that run another command: ``sudo apt-get``, ``xargs -n1 pip``, ``sh -c '...'``.

Each wrapper is described by its options, so that the wrapped command is found
after them (``sudo -u app -E pip install`` runs ``pip``). The logic works on
argument values only; the parser applies it to its words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from dockerlint.model.shell import SHELL_DIALECTS

_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


@dataclass(frozen=True, slots=True)
class WrapperSpec:
    short_with_value: str = ""  # one-letter options that take a value (-u USER)
    long_with_value: frozenset[str] = frozenset()  # long options that may take the next word
    operands: int = 0  # words between the options and the command (timeout DURATION, gosu USER)
    assignments: bool = False  # NAME=value words before the command (env, sudo)
    no_run: str = ""  # options after which the command is only looked up, not run (command -v)
    subcommand: str = ""  # wraps only as `NAME SUBCOMMAND ...` (conda run, uv run)


# Option tables from each tool's manual page (sudo(8), env(1), xargs(1), time(1),
# nice(1), timeout(1), stdbuf(1), chroot(8), bash's `exec`/`command` builtins) and
# the `run` help of conda, mamba, micromamba, uv, poetry and pipenv.
_CONDA_RUN = WrapperSpec("np", frozenset({"name", "prefix", "cwd"}), subcommand="run")
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
    "conda": _CONDA_RUN,
    "mamba": _CONDA_RUN,
    "micromamba": _CONDA_RUN,
    "uv": WrapperSpec("pw", frozenset({
        "with", "with-editable", "with-requirements", "python", "project", "directory", "extra",
        "group", "package", "env-file", "index", "index-url", "extra-index-url", "find-links",
        "default-index", "python-platform"}), subcommand="run"),
    "poetry": WrapperSpec(subcommand="run"),
    "pipenv": WrapperSpec(subcommand="run"),
}
# Programs whose `-c SCRIPT` option is run by a shell (su(1), runuser(1)).
SCRIPT_OPTION = frozenset({"su", "runuser"})
# find(1) actions that run a command: `-exec CMD ARGS ;` (or `{} +`).
_FIND_EXEC = frozenset({"-exec", "-execdir", "-ok", "-okdir"})

SHELLS = frozenset(SHELL_DIALECTS)
# Shell options that consume the next word (-o pipefail, -O extglob, --rcfile F).
_SHELL_SHORT_WITH_VALUE = "oO"
_SHELL_LONG_WITH_VALUE = frozenset({"rcfile", "init-file"})


@dataclass(frozen=True, slots=True)
class Unwrapped:
    """Where the wrapped command starts in the wrapper's argv."""

    command: int  # index of the wrapped command's name in argv
    assignments: tuple[int, ...]  # indexes of NAME=value words given to it
    label: str  # the wrapper as Command.wrapper names it: "sudo", "conda run"


def unwrap(program: str, values: list[str | None]) -> Unwrapped | None:
    """The command ``values`` (a wrapper's argv, name first) runs, or None."""
    spec = WRAPPERS.get(program)
    if spec is None:
        return None
    i = 1
    if spec.subcommand:
        if len(values) < 2 or values[1] != spec.subcommand:
            return None
        i = 2
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
    label = f"{program} {spec.subcommand}" if spec.subcommand else program
    return Unwrapped(i, tuple(assignments), label)


def shell_script_index(program: str, values: list[str | None]) -> int | None:
    """Index of the script in ``sh -c SCRIPT`` / ``bash -euo pipefail -c SCRIPT`` / ``su app -c SCRIPT``."""
    if program in SCRIPT_OPTION:
        for i, text in enumerate(values[1:-1], 1):
            if text in ("-c", "--command"):
                return i + 1
        return None
    has_c, operand, _ = _shell_options(values)
    return operand if has_c and operand < len(values) else None


def shell_reads_stdin(values: list[str | None]) -> bool:
    """Does the shell ``values`` (its argv, name first) run the script on its stdin?

    bash(1) and dash(1): it does without ``-c`` when no operand names a script
    file, or with ``-s`` (``bash -s -- --yes``).
    """
    has_c, operand, has_s = _shell_options(values)
    return not has_c and (has_s or operand >= len(values))


def _shell_options(values: list[str | None]) -> tuple[bool, int, bool]:
    """(``-c`` given, index of the first operand, ``-s`` given) of a shell's argv."""
    i = 1
    has_c = has_s = False
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
        if text[0] == "-":
            has_c = has_c or "c" in letters
            has_s = has_s or "s" in letters
        if any(c in _SHELL_SHORT_WITH_VALUE for c in letters):
            i += 1
    return has_c, i, has_s


def find_exec_ranges(values: list[str | None]) -> list[tuple[int, int]]:
    """[start, end) argv ranges of the commands ``find ... -exec CMD ... ;`` runs."""
    ranges = []
    i = 1
    while i < len(values):
        if values[i] not in _FIND_EXEC:
            i += 1
            continue
        j = i + 1
        while j < len(values) and values[j] != ";" and not (values[j] == "+" and values[j - 1] == "{}"):
            j += 1
        if j > i + 1:
            ranges.append((i + 1, j))
        i = j + 1
    return ranges
