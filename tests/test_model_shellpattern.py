"""The linear pattern matcher of ``${VAR#p}``, ``${VAR%p}``, ``${VAR/p/r}`` against Go's regexp semantics.

The oracle is the regex BuildKit builds (``convertShellPatternToRegex``), run by Python's ``re`` on
inputs small enough for backtracking to be harmless; Go's ``ReplaceAllString`` skips an empty match
right after a match, which the oracle does too.
"""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.model.expand import expand
from dockerlint.model.shell import pattern as shellpattern

PATTERNS = st.text(alphabet="ab*?", max_size=8)
VALUES = st.text(alphabet="ab\n", max_size=12)


def go_regex(pattern: str, greedy: bool, anchored: bool) -> re.Pattern[str]:
    star = ".*" if greedy else ".*?"
    body = "".join(star if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(("^" if anchored else "") + body)


def go_trim_prefix(pattern: str, value: str, greedy: bool) -> str:
    m = go_regex(pattern, greedy, True).search(value)
    return value[m.end():] if m else value


def go_replace(pattern: str, value: str, repl: str, replace_all: bool) -> str:
    regex = go_regex(pattern, True, False)
    if not replace_all:
        m = regex.search(value)
        return value if m is None else value[:m.start()] + repl + value[m.end():]
    out, pos, prev_end = [], 0, -1
    for m in regex.finditer(value):
        if m.start() == m.end() == prev_end:
            continue
        out.append(value[pos:m.start()] + repl)
        pos = prev_end = m.end()
    return "".join(out) + value[pos:]


@settings(max_examples=600, deadline=None)
@given(PATTERNS, VALUES, st.booleans())
def test_trim_prefix_and_suffix_agree_with_go(pattern, value, greedy):
    compiled = shellpattern.compile_pattern(pattern)
    assert shellpattern.trim_prefix(compiled, value, greedy) == go_trim_prefix(pattern, value, greedy)
    expected_suffix = go_trim_prefix(pattern[::-1], value[::-1], greedy)[::-1]
    assert shellpattern.trim_suffix(compiled, value, greedy) == expected_suffix


@settings(max_examples=600, deadline=None)
@given(PATTERNS, VALUES, st.booleans())
def test_replace_agrees_with_go(pattern, value, replace_all):
    compiled = shellpattern.compile_pattern(pattern)
    assert shellpattern.replace(compiled, value, "X", replace_all) == go_replace(pattern, value, "X", replace_all)


def test_escapes_as_buildkit():
    assert expand(r"${A#\*}", {"A": "*x"}).text == "x"
    assert expand(r"${A/\//-}", {"A": "a/b"}).text == "a-b"
    assert expand(r"${A#\q}", {"A": "q"}).error == r"invalid pattern (\q) in substitution: invalid escape '\q'"


def test_backtracking_shapes_are_answered():
    """These took minutes with a regex: 40 stars against a run of 5,000 ``a`` (no match)."""
    value = "a" * 5000
    pattern = "*a" * 40 + "*b"
    assert expand("${A//" + pattern + "/x}", {"A": value}).text == value
    assert expand("${A##" + pattern + "}", {"A": value}).text == value
    assert expand("${A%%" + pattern.replace("b", "c") + "}", {"A": value}).text == value
    assert expand("${A/*a?a*/x}", {"A": value}).text == "x"


def test_a_newline_in_the_pattern_makes_the_value_unknown():
    assert expand("${A/\n/x}", {"A": "a\nb"}).value is None
