"""The gitignore-like globs of ``per-file-ignores``, matched without backtracking.

``**`` crosses directories, ``*`` and ``?`` do not, ``[a-z]``/``[!a-z]`` are
character classes. A regular expression built from a user's glob backtracks
(``**a**a**a…b`` against a long path); here the glob is a small automaton
whose set of live states advances one path character at a time, so a match
costs at most len(path) x len(glob) steps. Malformed classes (``[z-a]``,
``[]]``) are errors naming the glob, not internal errors.
"""
from __future__ import annotations

from typing import NamedTuple

from dockerlint.config.settings import ConfigError


class GlobError(ConfigError):
    """A per-file-ignores glob is malformed."""


class _Class(NamedTuple):
    negated: bool
    ranges: tuple[tuple[str, str], ...]

    def matches(self, ch: str) -> bool:
        return any(lo <= ch <= hi for lo, hi in self.ranges) != self.negated


# tokens: a one-character string (literal), or one of these markers, or a _Class
_ANY, _STAR, _DEEP, _DEEP_DIR = object(), object(), object(), object()


class PathGlob:
    """One compiled glob; ``matches(path)`` on a ``/``-separated relative path."""

    __slots__ = ("text", "tokens")

    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokens(text.removeprefix("./"))

    def _closure(self, states: set[int]) -> set[int]:
        tokens, todo = self.tokens, list(states)
        while todo:
            i = todo.pop()
            if i >= 0 and i < len(tokens) and tokens[i] in (_STAR, _DEEP, _DEEP_DIR) and i + 1 not in states:
                states.add(i + 1)
                todo.append(i + 1)
        return states

    def matches(self, path: str) -> bool:
        tokens = self.tokens
        n = len(tokens)
        states = self._closure({0})
        for ch in path:
            nxt: set[int] = set()
            for i in states:
                if i < 0:  # inside the ``.*/`` of a ``**/``
                    nxt.add(i)
                    if ch == "/":
                        nxt.add(-i)  # -(k + 1) -> k + 1
                    continue
                if i >= n:
                    continue
                tok = tokens[i]
                if tok is _STAR:
                    if ch != "/":
                        nxt.add(i)
                elif tok is _DEEP:
                    nxt.add(i)
                elif tok is _DEEP_DIR:
                    nxt.add(-(i + 1))
                    if ch == "/":
                        nxt.add(i + 1)
                elif tok is _ANY:
                    if ch != "/":
                        nxt.add(i + 1)
                elif isinstance(tok, _Class):
                    if tok.matches(ch):
                        nxt.add(i + 1)
                elif tok == ch:
                    nxt.add(i + 1)
            if not nxt:
                return False
            states = self._closure(nxt)
        return n in states


def _tokens(glob: str) -> list[object]:
    out: list[object] = []
    i, n = 0, len(glob)
    while i < n:
        if glob.startswith("**/", i):
            out.append(_DEEP_DIR)
            i += 3
        elif glob.startswith("**", i):
            out.append(_DEEP)
            i += 2
        elif glob[i] == "*":
            out.append(_STAR)
            i += 1
        elif glob[i] == "?":
            out.append(_ANY)
            i += 1
        elif glob[i] == "[" and "]" in glob[i + 1:]:
            cls, i = _class(glob, i)
            out.append(cls)
        else:
            out.append(glob[i])
            i += 1
    return out


def _class(glob: str, start: int) -> tuple[_Class, int]:
    i = start + 1
    negated = i < len(glob) and glob[i] in "!^"
    if negated:
        i += 1
    end = glob.find("]", i)
    if end == i:
        raise GlobError(f"glob {glob!r}: empty character class '[]'")
    if end == -1:
        raise GlobError(f"glob {glob!r}: unterminated character class")
    body = glob[i:end]
    ranges: list[tuple[str, str]] = []
    k = 0
    while k < len(body):
        if k + 2 < len(body) and body[k + 1] == "-":
            lo, hi = body[k], body[k + 2]
            if lo > hi:
                raise GlobError(f"glob {glob!r}: bad range '{lo}-{hi}' in character class")
            ranges.append((lo, hi))
            k += 3
        else:
            ranges.append((body[k], body[k]))
            k += 1
    return _Class(negated, tuple(ranges)), end + 1
