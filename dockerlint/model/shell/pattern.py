"""BuildKit's ``${VAR#p}``/``${VAR%p}``/``${VAR/p/r}`` patterns, matched in linear time.

BuildKit turns such a pattern into a Go regular expression (``*`` is ``.*``
or ``.*?``, ``?`` is ``.``, everything else literal) and runs it with Go's
linear-time engine. Python's ``re`` backtracks: ``*a*a*a*a*b`` against a
run of ``a`` takes minutes, so a user-built pattern never becomes a regex
here. A pattern is split at its stars into fixed-length segments (``?`` is
one character) and each segment is searched for, left to right.

Why that gives Go's answers: neither ``*`` nor ``?`` matches a newline, so a
match lies within one line; within a line the placements of the segments
that form a match are closed under element-wise min and max. The leftmost
placement is therefore what lazy stars (``#``, ``%``) find, and moving only
the last segment as far right as it goes is what greedy stars find. A pattern
holding a newline or a NUL is not compiled: the caller makes the value unknown.
"""
from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple


class PatternError(ValueError):
    """The pattern is malformed (BuildKit fails the build)."""


class Pattern(NamedTuple):
    """A pattern split at its stars: ``segments[0]`` is anchored, then one star before each next one."""

    segments: tuple[str, ...]  # "\0" stands for ``?`` (any character but a newline)
    stars: int


ANY = "\0"


def compile_pattern(pattern: str) -> Pattern:
    """Parse BuildKit's pattern syntax: ``\\*``, ``\\?``, ``\\\\`` are literal; ``\\}``, ``\\/`` drop the escape."""
    segments: list[str] = []
    current: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        i += 1
        if ch == "*":
            segments.append("".join(current))
            current = []
        elif ch == "?":
            current.append(ANY)
        elif ch == "\\":
            if i < n and pattern[i] in "}/":
                continue  # escapes ``}`` or ``/`` of the ${} syntax; the next character is literal
            if i >= n or pattern[i] not in "*?\\":
                raise PatternError(f"invalid escape '\\{pattern[i] if i < n else ''}'")
            current.append(pattern[i])
            i += 1
        elif ch == ANY or ch == "\n":
            raise PatternError("NUL or newline in pattern (not matched here)")
        else:
            current.append(ch)
    segments.append("".join(current))
    return Pattern(tuple(segments), len(segments) - 1)


# -- segment search (``?`` is a wildcard; linear for literal segments) --------------------------

def _matches_at(seg: str, text: str, at: int, end: int) -> bool:
    if at + len(seg) > end:
        return False
    if ANY not in seg:
        return text.startswith(seg, at)
    for k, ch in enumerate(seg):
        t = text[at + k]
        if ch == ANY:
            if t == "\n":
                return False
        elif t != ch:
            return False
    return True


@lru_cache(maxsize=64)
def _masks(seg: str) -> tuple[dict[str, int], int]:
    """Shift-and tables: bit k of ``wild | literal[c]`` says whether character c matches seg[k]."""
    wild = 0
    literal: dict[str, int] = {}
    for k, ch in enumerate(seg):
        if ch == ANY:
            wild |= 1 << k
        else:
            literal[ch] = literal.get(ch, 0) | (1 << k)
    return literal, wild


def _occurrences(seg: str, text: str, start: int, last_start: int, last: bool) -> int:
    """The first (or ``last``) start s in [start, last_start] where seg matches; -1 if none."""
    if last_start < start:
        return -1
    limit = min(last_start + len(seg), len(text))
    if ANY not in seg:
        return text.rfind(seg, start, limit) if last else text.find(seg, start, limit)
    # bit-parallel shift-and over Python integers: O(len(text) * len(seg) / word size), no backtracking
    literal, wild = _masks(seg)
    top = 1 << (len(seg) - 1)
    state, found = 0, -1
    for pos in range(start, limit):
        ch = text[pos]
        state = ((state << 1) | 1) & (literal.get(ch, 0) | (wild if ch != "\n" else 0))
        if state & top:
            found = pos - len(seg) + 1
            if not last:
                return found
    return found


# -- the three uses ---------------------------------------------------------------------------

def _match_from(p: Pattern, text: str, at: int, end: int, greedy: bool) -> int:
    """End of the match starting exactly at ``at`` within text (one line), or -1."""
    segs = p.segments
    if not _matches_at(segs[0], text, at, end):
        return -1
    pos = at + len(segs[0])
    if p.stars == 0:
        return pos
    middle = segs[1:-1]
    for seg in middle:
        found = _occurrences(seg, text, pos, end - len(seg), last=False)
        if found == -1:
            return -1
        pos = found + len(seg)
    tail = segs[-1]
    if not tail:
        return end if greedy else pos
    found = _occurrences(tail, text, pos, end - len(tail), last=greedy)
    return -1 if found == -1 else found + len(tail)


def _line_end(text: str, at: int) -> int:
    nl = text.find("\n", at)
    return len(text) if nl == -1 else nl


def match_prefix(p: Pattern, text: str, greedy: bool) -> int | None:
    """Length of the prefix of ``text`` the pattern matches (longest if ``greedy``), or None."""
    end = _match_from(p, text, 0, _line_end(text, 0), greedy)
    return None if end == -1 else end


def trim_prefix(p: Pattern, value: str, greedy: bool) -> str:
    end = match_prefix(p, value, greedy)
    return value if end is None else value[end:]


def reverse(p: Pattern) -> Pattern:
    """The pattern read backwards, for suffix matching (as BuildKit reverses pattern and value)."""
    return Pattern(tuple(s[::-1] for s in reversed(p.segments)), p.stars)


def trim_suffix(p: Pattern, value: str, greedy: bool) -> str:
    return trim_prefix(reverse(p), value[::-1], greedy)[::-1]


def _search(p: Pattern, text: str, start: int) -> tuple[int, int] | None:
    """The leftmost match at or after ``start`` (greedy stars), as (start, end)."""
    first = p.segments[0]
    pos = start
    while pos <= len(text):
        end = _line_end(text, pos)
        if first:
            s = _occurrences(first, text, pos, end - len(first), last=False)
            while s != -1:
                e = _match_from(p, text, s, end, greedy=True)
                if e != -1:
                    return s, e
                if p.stars == 0:
                    s = _occurrences(first, text, s + 1, end - len(first), last=False)
                else:
                    break  # a later start in this line finds the rest in less room: no match either
        else:
            e = _match_from(p, text, pos, end, greedy=True)
            if e != -1:
                return pos, e
        pos = end + 1
    return None


def replace(p: Pattern, value: str, replacement: str, replace_all: bool) -> str:
    """``${VAR/p/r}`` and ``${VAR//p/r}`` as Go's ``FindStringIndex`` / ``ReplaceAllString``
    (an empty match right after a match is skipped, as Go does)."""
    out: list[str] = []
    pos = 0
    last_end = -1
    while pos <= len(value):
        found = _search(p, value, pos)
        if found is None:
            break
        s, e = found
        if s == e == last_end:  # Go ignores an empty match abutting the previous match
            if s >= len(value):
                break
            out.append(value[pos:s + 1])
            pos = s + 1
            continue
        out.append(value[pos:s])
        out.append(replacement)
        last_end = e
        if not replace_all:
            pos = e
            break
        if e == s:
            if s < len(value):
                out.append(value[s])
            pos = s + 1
        else:
            pos = e
    out.append(value[pos:])
    return "".join(out)
