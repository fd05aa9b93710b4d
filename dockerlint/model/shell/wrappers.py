"""Commands that run another command: ``sudo apt-get``, ``xargs -n1 pip``, ``sh -c '...'``.

Each wrapper is described by its options, so that the wrapped command is found
after them (``sudo -u app -E pip install`` runs ``pip``); the options are read
by ``dockerlint.model.options``, as everywhere else.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from types import MappingProxyType
from typing import NamedTuple

from dockerlint.model.options import OptionSpec, read_options
from dockerlint.model.shell.types import SHELL_DIALECTS, Word

_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


_NO_OPTIONS = OptionSpec(posix=True)


class WrapperSpec(NamedTuple):
    options: OptionSpec = _NO_OPTIONS  # its own options; the first operand ends them (posix)
    operands: int = 0  # words between the options and the command (timeout DURATION, gosu USER)
    assignments: bool = False  # NAME=value words before the command (env, sudo)
    no_run: str = ""  # options after which the command is only looked up, not run (command -v)
    subcommand: str = ""  # wraps only as `NAME SUBCOMMAND ...` (conda run, uv run)


def _wrapper(short: str = "", long: Iterable[str] = (), **kw) -> WrapperSpec:
    """A wrapper whose options ``short`` (letters) and ``long`` (names) take a value."""
    return WrapperSpec(OptionSpec(short, frozenset(long), posix=True), **kw)


# Option tables from each tool's manual page (sudo(8), env(1), xargs(1), time(1),
# nice(1), timeout(1), stdbuf(1), chroot(8), bash's `exec`/`command` builtins) and
# the `run` help of conda, mamba, micromamba, uv, poetry and pipenv.
_CONDA_RUN = _wrapper("np", {"name", "prefix", "cwd"}, subcommand="run")
WRAPPERS: dict[str, WrapperSpec] = {
    "sudo": _wrapper("CDghpRrTtUu", {
        "chdir", "close-from", "group", "host", "other-user", "prompt", "role", "type",
        "user", "command-timeout", "chroot"}, assignments=True),
    "env": _wrapper("uCS", {"unset", "chdir", "split-string"}, assignments=True),
    "xargs": _wrapper("adEILnPs", {
        "arg-file", "delimiter", "max-args", "max-procs", "max-chars", "process-slot-var"}),
    "nohup": _wrapper(),
    "time": _wrapper("fo", {"format", "output"}),
    "exec": _wrapper("a"),
    "command": _wrapper(no_run="vV"),
    "builtin": _wrapper(),
    "nice": _wrapper("n", {"adjustment"}),
    "ionice": _wrapper("cnp", {"class", "classdata", "pid"}),
    "timeout": _wrapper("ks", {"kill-after", "signal"}, operands=1),
    "stdbuf": _wrapper("ioe", {"input", "output", "error"}),
    "chroot": _wrapper("", {"userspec", "groups"}, operands=1),
    "gosu": _wrapper(operands=1),
    "su-exec": _wrapper(operands=1),
    "eatmydata": _wrapper(),
    "busybox": _wrapper(),
    "conda": _CONDA_RUN,
    "mamba": _CONDA_RUN,
    "micromamba": _CONDA_RUN,
    "uv": _wrapper("pw", {
        "with", "with-editable", "with-requirements", "python", "project", "directory", "extra",
        "group", "package", "env-file", "index", "index-url", "extra-index-url", "find-links",
        "default-index", "python-platform"}, subcommand="run"),
    "poetry": _wrapper(subcommand="run"),
    "pipenv": _wrapper(subcommand="run"),
}
# Programs whose `-c SCRIPT` option is run by a shell (su(1), runuser(1)).
SCRIPT_OPTION = frozenset({"su", "runuser"})
_SU_OPTIONS = OptionSpec("cgGsw", frozenset({
    "command", "session-command", "group", "supp-group", "shell", "whitelist-environment"}),
    long_names=MappingProxyType({"c": "command"}))
# find(1) actions that run a command: `-exec CMD ARGS ;` (or `{} +`).
_FIND_EXEC = frozenset({"-exec", "-execdir", "-ok", "-okdir"})

SHELLS = frozenset(SHELL_DIALECTS)
# Shell options: -o pipefail, -O extglob and --rcfile F take the next word; `set +e` is an option too.
_SHELL_OPTIONS = OptionSpec("oO", frozenset({"rcfile", "init-file"}), posix=True, plus=True, sh_bundles=True)


class Unwrapped(NamedTuple):
    """Where the wrapped command starts in the wrapper's argv."""

    command: int  # index of the wrapped command's name in argv
    assignments: tuple[int, ...]  # indexes of NAME=value words given to it
    label: str  # the wrapper as Command.wrapper names it: "sudo", "conda run"


def unwrap(program: str, argv: Sequence[Word]) -> Unwrapped | None:
    """The command ``argv`` (a wrapper's words, name first) runs, or None."""
    spec = WRAPPERS.get(program)
    if spec is None:
        return None
    start = 1
    if spec.subcommand:
        if len(argv) < 2 or argv[1].value != spec.subcommand:
            return None
        start = 2
    i = len(argv)
    for arg in read_options(argv, spec.options, start):
        if arg.option is None:
            i = arg.index
            break
        if arg.option in spec.no_run:
            return None
    assignments = []
    while spec.assignments and i < len(argv) and (value := argv[i].value) and _ASSIGNMENT.match(value):
        assignments.append(i)
        i += 1
    i += spec.operands
    if i >= len(argv):
        return None
    label = f"{program} {spec.subcommand}" if spec.subcommand else program
    return Unwrapped(i, tuple(assignments), label)


def shell_script_index(program: str, argv: Sequence[Word]) -> int | None:
    """Index of the script in ``sh -c SCRIPT`` / ``bash -euo pipefail -c SCRIPT`` / ``su app -c SCRIPT``."""
    if program in SCRIPT_OPTION:
        for arg in read_options(argv, _SU_OPTIONS, 1):
            if arg.option == "command" and arg.value_word is not None and arg.value_word is not arg.word:
                return arg.index + 1
        return None
    has_c, operand, _ = _shell_options(argv)
    return operand if has_c and operand < len(argv) else None


def shell_reads_stdin(argv: Sequence[Word]) -> bool:
    """Does the shell ``argv`` (its words, name first) run the script on its stdin?

    bash(1) and dash(1): it does without ``-c`` when no operand names a script
    file, or with ``-s`` (``bash -s -- --yes``).
    """
    has_c, operand, has_s = _shell_options(argv)
    return not has_c and (has_s or operand >= len(argv))


def _shell_options(argv: Sequence[Word]) -> tuple[bool, int, bool]:
    """(``-c`` given, index of the first operand, ``-s`` given) of a shell's argv."""
    has_c = has_s = False
    for arg in read_options(argv, _SHELL_OPTIONS, 1):
        if arg.option is None:
            return has_c, arg.index, has_s
        if (arg.word.value or "").startswith("-"):  # `+c` is no -c
            has_c = has_c or arg.option == "c"
            has_s = has_s or arg.option == "s"
    return has_c, len(argv), has_s


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
