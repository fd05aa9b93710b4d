"""BuildKit shell-word expansion (dockerlint.model.expand)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockerlint.model.expand import UNKNOWN, Env, expand

ENV = {"A": "alpha", "EMPTY": "", "PATHY": "a/b/c.tar.gz", "SPACED": "x  y", "U": None}


@pytest.mark.parametrize("word, expected", [
    ("plain", "plain"),
    ("$A", "alpha"),
    ("${A}", "alpha"),
    ("pre-${A}-post", "pre-alpha-post"),
    ("$A.txt", "alpha.txt"),
    ("$MISSING", ""),
    ("${MISSING}x", "x"),
    ("$", "$"),
    ("a$", "a$"),
    ("$/", "$/"),
    ("${MISSING:-def}", "def"),
    ("${EMPTY:-def}", "def"),
    ("${EMPTY-def}", ""),
    ("${A:-def}", "alpha"),
    ("${MISSING:+alt}", ""),
    ("${EMPTY:+alt}", ""),
    ("${EMPTY+alt}", "alt"),
    ("${A:+alt}", "alt"),
    ("${A:?boom}", "alpha"),
    ("${MISSING:-${A}}", "alpha"),
    ("${MISSING:-\"a b\"}", "a b"),
    ("${PATHY#*/}", "b/c.tar.gz"),
    ("${PATHY##*/}", "c.tar.gz"),
    ("${PATHY%.*}", "a/b/c.tar"),
    ("${PATHY%%.*}", "a/b/c"),
    ("${PATHY#nomatch}", "a/b/c.tar.gz"),
    ("${PATHY/b/B}", "a/B/c.tar.gz"),
    ("${PATHY//./_}", "a/b/c_tar_gz"),
    ("'$A'", "$A"),
    ('"$A"', "alpha"),
    ('"\\$A"', "$A"),
    ('"a\\nb"', "a\\nb"),
    ("\\$A", "$A"),
    ("a\\ b", "a b"),
    ("it's'", "its"),
    ("$1x", "x"),
    ("$$", ""),
])
def test_expands_like_buildkit(word, expected):
    assert expand(word, ENV).value == expected


def test_backtick_escape_directive():
    assert expand("`$A", ENV, "`").value == "$A"
    assert expand("\\$A", ENV, "`").value == "\\alpha"


@pytest.mark.parametrize("word, error", [
    ("${A", "missing '}'"),
    ("${}", "bad substitution"),
    ("${:x}", "bad substitution"),
    ("${A:x}", "unsupported modifier"),
    ("${MISSING:?must be set}", "MISSING: must be set"),
    ("${EMPTY:?}", "EMPTY: is not allowed to be empty"),
    ("'open", "single-quote"),
    ('"open', "double-quote"),
])
def test_malformed_words_report_an_error_and_no_value(word, error):
    result = expand(word, ENV)
    assert result.value is None
    assert error in result.error


def test_unknown_value_stays_unknown_and_is_named():
    result = expand("python:${U}-slim", ENV)
    assert result.value is None
    assert result.unresolved == ("U",)
    assert result.text == f"python:{UNKNOWN}-slim"


def test_default_of_unknown_is_unknown_but_alternative_of_set_is_known():
    assert expand("${U:-3.11}", ENV).value is None
    assert expand("${U-3.11}", ENV).value is None
    assert expand("${U+set}", ENV).value == "set"  # set, whatever its value
    assert expand("${U:+set}", ENV).value is None  # empty or not: unknown


def test_unused_unknown_in_default_does_not_make_value_unknown():
    result = expand("${A:-$U}", ENV)
    assert result.value == "alpha"
    assert result.unresolved == ()
    assert "U" in result.names


def test_open_env_makes_undeclared_names_unknown():
    result = expand("$HOME/app", Env({}, open=True))
    assert result.value is None
    assert result.undefined == ("HOME",)
    assert expand("$HOME/app", Env({}, open=False)).value == "/app"


def test_origins_point_at_literal_characters():
    result = expand("py:${A}x", ENV)
    assert result.origins[:3] == (0, 1, 2)
    assert set(result.origins[3:8]) == {-1}
    assert result.origins[8] == 7


def test_words_split_only_on_unquoted_blanks():
    assert expand("80 $SPACED '1 2'", ENV, split=True).words == ("80", "x", "y", "1 2")


def test_quotes_left_alone_when_asked():
    assert expand("'$A'", ENV, quotes=False).value == "'alpha'"


# -- properties -------------------------------------------------------------------------
NAMES = st.sampled_from(["A", "B", "C", "D"])
LITERAL = st.text(alphabet="abcxyz019/._-", min_size=1, max_size=6)
VALUE = st.one_of(st.none(), st.text(alphabet="abc/._-", max_size=5))  # None: unset


@st.composite
def words_and_expected(draw):
    """A word made of pieces whose expansion is computed without parsing."""
    env = {name: draw(VALUE) for name in ["A", "B", "C", "D"]}
    env = {k: v for k, v in env.items() if v is not None}
    pieces, expected = [], []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["lit", "plain", "braced", ":-", "-", ":+", "+", "squote", "dquote"]))
        if kind == "lit":
            text = draw(LITERAL)
            pieces.append(text)
            expected.append(text)
            continue
        if kind in ("squote", "dquote"):
            text = draw(st.text(alphabet="ab $/", max_size=5))
            if kind == "squote":
                pieces.append(f"'{text}'")
                expected.append(text)
            else:
                pieces.append('"' + text.replace("$", "\\$") + '"')
                expected.append(text)
            continue
        name = draw(NAMES)
        value = env.get(name)
        if kind == "plain":
            # a following literal must not extend the name
            pieces.append("$" + name + "/")
            expected.append((value or "") + "/")
        elif kind == "braced":
            pieces.append("${" + name + "}")
            expected.append(value or "")
        else:
            word = draw(LITERAL)
            pieces.append("${" + name + kind + word + "}")
            is_set, empty = value is not None, value == ""
            if kind == ":-":
                expected.append(word if not is_set or empty else value)
            elif kind == "-":
                expected.append(word if not is_set else value)
            elif kind == ":+":
                expected.append(word if is_set and not empty else "")
            else:
                expected.append(word if is_set else "")
    return "".join(pieces), env, "".join(expected)


@given(words_and_expected())
def test_expansion_agrees_with_reference(case):
    word, env, expected = case
    result = expand(word, env)
    assert result.error is None
    assert result.value == expected


@given(name=NAMES, value=st.text(alphabet="ab/.", max_size=6), default=LITERAL)
def test_default_laws(name, value, default):
    env = {name: value}
    assert expand("${%s:-%s}" % (name, default), env).value == (value or default)
    assert expand("${%s:+%s}" % (name, default), env).value == (default if value else "")
    assert expand("${%s:-%s}" % (name, default), {}).value == default
    assert expand("${%s-%s}" % (name, default), env).value == value


@given(value=st.text(alphabet="ab/.", max_size=10))
def test_trim_laws_match_python_string_operations(value):
    env = {"V": value}
    assert expand("${V##*/}", env).value == value.rsplit("/", 1)[-1]
    assert expand("${V#*/}", env).value == (value.split("/", 1)[1] if "/" in value else value)
    assert expand("${V%/*}", env).value == (value.rsplit("/", 1)[0] if "/" in value else value)
    assert expand("${V%%/*}", env).value == value.split("/", 1)[0]
    assert expand("${V#ab}", env).value == value.removeprefix("ab")
    assert expand("${V%ab}", env).value == value.removesuffix("ab")
    assert expand("${V//a/X}", env).value == value.replace("a", "X")


@given(words_and_expected(), st.sampled_from(["A", "B", "C", "D"]))
def test_unknown_variable_makes_value_unknown_exactly_when_it_is_used(case, unknown):
    word, env, _ = case
    env = dict(env)
    env.pop(unknown, None)
    known = expand(word, env)
    marked = expand(word, {**env, unknown: "\x01"})  # a value no generated word contains
    env[unknown] = None
    result = expand(word, env)
    used = "\x01" in (marked.value or "")
    if used:
        assert result.value is None and unknown in result.unresolved
    elif marked.value == known.value:
        # the variable's value did not matter (set/unset may still have)
        assert result.value is None or result.value == known.value


@given(st.text(max_size=30))
def test_never_raises_on_any_word(word):
    result = expand(word, ENV)
    assert (result.value is None) == (result.error is not None or UNKNOWN in result.text)
    assert len(result.origins) == len(result.text)
