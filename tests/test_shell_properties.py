"""Property tests: any text parses without raising; generated scripts round-trip."""
from __future__ import annotations

import shlex
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerlint.model.shell import parse_commands, parse_script
from dockerlint.model.shell.wrappers import SHELLS, WRAPPERS

IDIOMS = [c["script"] for c in yaml.safe_load(
    (Path(__file__).parent.parent / "fixtures" / "shell" / "idioms.yaml").read_text())]
RESERVED = {"if", "then", "elif", "else", "fi", "do", "done", "while", "until", "for", "select",
            "case", "esac", "function", "in", "time"}
SHELLISH = st.text(alphabet=st.sampled_from(list(" \t\n;&|<>()$`'\"\\{}[]#=!*?~-_.:/%+,@^ax0EOF")), max_size=80)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_invariants(text: str, **kw) -> None:
    script = parse_script(text, **kw)
    assert not any(i.message.startswith("internal") for i in script.issues), script.issues
    for issue in script.issues:
        assert 0 <= issue.start <= issue.end <= len(text)
    for cmd in script.commands:
        assert 0 <= cmd.start <= cmd.end <= len(text)
        for word in cmd.argv + cmd.assignments:
            assert 0 <= word.start <= word.end <= len(text)
            assert text[word.start:word.end] == word.raw


@SETTINGS
@given(st.one_of(SHELLISH, st.text(max_size=80)), st.sampled_from(["sh", "bash"]))
def test_any_text_parses_without_raising(text, dialect):
    check_invariants(text, dialect=dialect, resolve={"a": "x y", "x": ""}.get)


@SETTINGS
@given(st.sampled_from(IDIOMS), st.data())
def test_damaged_real_scripts_parse_without_raising(script, data):
    cut = data.draw(st.integers(0, len(script)))
    junk = data.draw(SHELLISH)
    check_invariants(script[:cut] + junk + script[cut:])
    check_invariants(script[:cut])


NAMES = st.builds(
    str.__add__, st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-.", max_size=8),
).filter(lambda n: n not in RESERVED and n not in WRAPPERS and n not in SHELLS)
ARGS = st.lists(st.text(min_size=0, max_size=12), max_size=4)
OPERATORS = st.sampled_from([" && ", " || ", "; ", " | ", "\n", " & ", " |& "])


def double_quote(value: str) -> str:
    return '"' + "".join("\\" + c if c in '"\\$`' else c for c in value) + '"'


def command_text(name: str, args: list[str], quote) -> str:
    return " ".join([name, *(quote(a) for a in args)])


def wrap(text: str, how: str) -> str:
    return {"plain": text, "subshell": f"( {text} )", "group": f"{{ {text}; }}",
            "if": f"if true; then {text}; fi", "loop": f"for i in 1 2; do {text}; done",
            "case": f"case x in x) {text} ;; esac"}[how]


@SETTINGS
@given(st.lists(st.tuples(NAMES, ARGS), min_size=1, max_size=6), st.data())
def test_generated_chains_round_trip_names_and_args(commands, data):
    quote = data.draw(st.sampled_from([shlex.quote, double_quote]))
    parts = [command_text(name, args, quote) for name, args in commands]
    text = parts[0]
    for part in parts[1:]:
        text += data.draw(OPERATORS) + part
    how = data.draw(st.sampled_from(["plain", "subshell", "group", "if", "loop", "case"]))
    script = parse_script(wrap(text, how), dialect="bash")
    found = [c for c in script.commands if c.name != "true"]
    assert script.understood, script.issues
    assert [c.name for c in found] == [name for name, _ in commands]
    assert [list(c.args) for c in found] == [args for _, args in commands]


@SETTINGS
@given(NAMES, ARGS, st.sampled_from(["sh", "bash"]))
def test_sh_c_scripts_round_trip_through_the_outer_quotes(name, args, shell):
    inner = command_text(name, args, shlex.quote)
    text = f"{shell} -c {double_quote(inner)}"
    unwrapped = [c for c in parse_commands(text) if c.wrapper == f"{shell} -c"]
    assert [c.name for c in unwrapped] == [name]
    assert list(unwrapped[0].args) == args
    for word in unwrapped[0].argv:
        assert text[word.start:word.end] == word.raw


WRAPPED = st.lists(st.sampled_from(["find . -exec", "sudo", "env A=1", "xargs", "nohup", "sh -c 'true;", "\\;",
                                    "'", "apt-get install curl", "&&", "|", "2>&1", "> log"]), max_size=30)


@SETTINGS
@given(WRAPPED, st.sampled_from(["sh", "bash"]))
def test_shared_spans_equal_spans_computed_per_command(pieces, dialect):
    """with_spans shares one copy per Word across a script's commands (wrapper chains were
    quadratic); every command and word still gets exactly the span it would get alone."""
    from dockerlint.syntax.nodes import Source

    text = " ".join(pieces)
    source = Source(text)
    commands = parse_commands(text, dialect=dialect)
    memo: dict = {}
    shared = [c.with_spans(source.span, memo) for c in commands]
    alone = [c.with_spans(source.span) for c in commands]
    assert shared == alone
    assert len(parse_commands("find . -exec " * 200 + "true" + " \\;" * 200)) <= 42  # nesting is bounded
