"""The exec (JSON) form of RUN, CMD, COPY, ...: a JSON array of strings.

BuildKit decodes the arguments with Go's ``json.Unmarshal`` into
``[]interface{}``: text that is not valid JSON falls back to the shell form,
valid JSON with a non-string element is an error. Go's decoder differs from
Python's (no NaN/Infinity, nesting limit 10000, overflowing numbers are a
decode error, bad UTF-8 becomes U+FFFD), so this is a small validator of its
own; only string literals go through the stdlib's C ``scanstring``.
"""
from __future__ import annotations

import math
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # public, but not in the stubs

from .gotext import GO_SPACE, runes

MAX_DEPTH = 10000  # encoding/json maxNestingDepth
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_WS = " \t\n\r"


class NotStringArray(Exception):
    """Valid JSON array with an element that is not a string."""

    message = "when using JSON array syntax, arrays must be comprised of strings only"


class _Invalid(Exception):
    pass


def _ws(s: str, i: int) -> int:
    n = len(s)
    while i < n and s[i] in _WS:
        i += 1
    return i


def _key(s: str, i: int) -> int:
    """An object key and its colon, returning where the value starts."""
    if not s.startswith('"', i):
        raise _Invalid
    _, i = scanstring(s, i + 1, True)
    i = _ws(s, i)
    if not s.startswith(":", i):
        raise _Invalid
    return _ws(s, i + 1)


def _skip_value(s: str, i: int, depth: int) -> tuple[int, bool]:
    """Validate the JSON value at ``s[i]``; return its end and whether a number overflowed."""
    n = len(s)
    stack: list[str] = []
    overflow = False
    while True:
        if i >= n:
            raise _Invalid
        c = s[i]
        if c == '"':
            _, i = scanstring(s, i + 1, True)
        elif c == "[" or c == "{":
            if depth + len(stack) + 1 > MAX_DEPTH:
                raise _Invalid
            closer = "]" if c == "[" else "}"
            i = _ws(s, i + 1)
            if s.startswith(closer, i):
                i += 1
            else:
                stack.append(closer)
                if closer == "}":
                    i = _key(s, i)
                continue
        elif c == "-" or "0" <= c <= "9":
            m = _NUMBER.match(s, i)
            if not m:
                raise _Invalid
            overflow = overflow or math.isinf(float(m.group()))
            i = m.end()
        elif s.startswith("true", i) or s.startswith("null", i):
            i += 4
        elif s.startswith("false", i):
            i += 5
        else:
            raise _Invalid
        # after a value: close finished containers, or go on to the next value
        while True:
            if not stack:
                return i, overflow
            i = _ws(s, i)
            if i >= n:
                raise _Invalid
            if s[i] == ",":
                i = _ws(s, i + 1)
                if stack[-1] == "}":
                    i = _key(s, i)
                break
            if s[i] != stack[-1]:
                raise _Invalid
            stack.pop()
            i += 1


def parse_json_array(rest: str) -> list[tuple[str, int, int]] | None:
    """Elements of a JSON array of strings as (value, start, end) in ``rest``.

    None when ``rest`` is not valid JSON (BuildKit then uses the shell form);
    raises NotStringArray when it is valid but holds anything but strings.
    """
    i = len(rest) - len(rest.lstrip(GO_SPACE))
    if not rest.startswith("[", i):
        return None
    n = len(rest)
    items: list[tuple[str, int, int]] = []
    non_string = overflow = False
    try:
        i = _ws(rest, i + 1)
        if rest.startswith("]", i):
            i += 1
        else:
            while True:
                if rest.startswith('"', i):
                    value, end = scanstring(rest, i + 1, True)
                    items.append((runes(value), i, end))
                    i = end
                else:
                    i, ov = _skip_value(rest, i, 1)
                    non_string = True
                    overflow = overflow or ov
                i = _ws(rest, i)
                if rest.startswith(",", i):
                    i = _ws(rest, i + 1)
                elif rest.startswith("]", i):
                    i += 1
                    break
                else:
                    raise _Invalid
        if _ws(rest, i) != n:
            raise _Invalid
    except (_Invalid, ValueError):
        return None
    if overflow:
        return None
    if non_string:
        raise NotStringArray
    return items
