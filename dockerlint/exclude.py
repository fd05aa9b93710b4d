"""``exclude`` / ``extend-exclude``: vendored and generated Dockerfiles the run leaves out.

As ruff: a pattern without ``/`` matches any file or directory of that name
(``vendor``, ``*.gen.Dockerfile``); a pattern with ``/`` matches the path
relative to where it was written (the working directory for the command
line, the config file's directory for a config), and everything under a
matching directory. Files named on the command line are linted even when a
pattern matches them, unless ``--force-exclude`` is given (what pre-commit
and editors, which always name files, need). The glob language is the one
of ``per-file-ignores`` (``**`` crosses directories, ``*`` and ``?`` do not).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import NamedTuple


class Pattern(NamedTuple):
    base: str  # absolute directory the pattern is relative to
    glob: str


def excluded(path: str, patterns: Iterable[Pattern]) -> bool:
    """Whether ``path`` (as given, relative to the working directory) matches one of ``patterns``."""
    from dockerlint.pathglob import PathGlob  # one glob implementation with per-file-ignores

    absolute = os.path.abspath(path)
    for pattern in patterns:
        glob = pattern.glob.rstrip("/")
        matcher = PathGlob(glob)
        relative = os.path.relpath(absolute, pattern.base).replace(os.sep, "/")
        inside = relative != ".." and not relative.startswith("../")
        if "/" not in glob:  # a name: any file or directory of the path below the base
            parts = relative.split("/") if inside else path.replace(os.sep, "/").split("/")
            if any(matcher.matches(part) for part in parts if part not in ("", ".", "..")):
                return True
        elif inside:
            parts = relative.split("/")
            if any(matcher.matches("/".join(parts[:k])) for k in range(1, len(parts) + 1)):
                return True
    return False


def filter_files(files: list[str], named: Iterable[str], patterns_for: Callable[[str], Iterable[Pattern]],
                 force: bool) -> list[str]:
    """``files`` minus the excluded ones (``patterns_for(file)``: the patterns of the config that applies
    to it, and the command line's); a file ``named`` on the command line stays unless ``force``."""
    explicit = {os.path.abspath(p) for p in named if os.path.isfile(p)}
    return [f for f in files
            if (not force and os.path.abspath(f) in explicit) or not excluded(f, patterns_for(f))]
