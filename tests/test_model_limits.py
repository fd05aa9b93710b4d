"""Bounded work on hostile Dockerfiles: values past the cap are unknown, never truncated or
exhausting memory; nesting never reaches Python's recursion limit; scopes are shared, not copied."""
from __future__ import annotations

import tracemalloc

from model_helpers import model

from dockerlint import lint_text
from dockerlint.model.expand import MAX_EXPANSION, MAX_NESTING, expand
from dockerlint.model.scope import Scope, VarMap


def _ids(text: str) -> list[str]:
    return [f.rule_id for f in lint_text(text)]


def test_exponential_arg_defaults_become_unknown_past_the_cap():
    lines = ["ARG A0=xx"] + [f"ARG A{i}=${{A{i - 1}}}${{A{i - 1}}}" for i in range(1, 26)]
    df = model("\n".join(lines) + "\nFROM alpine\n")
    values = df.global_scope.vars
    assert values["A10"] == "x" * 2 ** 11  # below the cap: known exactly
    assert len(values["A10"]) <= MAX_EXPANSION
    assert values["A25"] is None  # past it: unknown, not a truncated guess
    assert "DLINT001" not in _ids("\n".join(lines) + "\nFROM alpine:3\n")


def test_one_word_repeating_a_large_value_is_unknown_not_huge():
    value = "v" * (MAX_EXPANSION // 2 + 1)
    assert expand("${A}${A}", {"A": value}).value is None
    assert expand("${A}", {"A": value}).value == value


def test_deep_nesting_is_unknown_not_a_recursion_error():
    deep = "${Y:-" * 500 + "x" + "}" * 500
    assert expand(deep, {}).value is None
    shallow = "${Y:-" * (MAX_NESTING - 1) + "x" + "}" * (MAX_NESTING - 1)
    assert expand(shallow, {}).value == "x"
    assert "DLINT001" not in _ids(f"FROM alpine:3\nARG Y={deep}\n")


def test_twenty_thousand_args_share_one_history():
    text = "".join(f"ARG A{i}=v{i}\n" for i in range(20000)) + "FROM alpine:3\nARG A19999\n"
    tracemalloc.start()
    df = model(text)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert df.global_scope.vars["A19999"] == "v19999"
    assert peak < 400 * 2 ** 20  # copying the scope per ARG needed gigabytes


def test_var_maps_keep_each_version_and_the_order_of_last_assignment():
    base = VarMap.of({"A": "1", "B": "2"})
    one = base.put("A", "3")
    two = one.put("C", "4")
    branch = one.put("D", "5")  # extends an older version: its own history
    assert dict(base) == {"A": "1", "B": "2"}
    assert list(one) == ["B", "A"] and one["A"] == "3"
    assert dict(two) == {"B": "2", "A": "3", "C": "4"}
    assert dict(branch) == {"B": "2", "A": "3", "D": "5"} and "C" not in branch
    assert "D" not in two and len(two) == 3


def test_scope_env_and_args_split_by_origin():
    scope = Scope().with_arg("A", "1").with_env([("E", "2"), ("A", "3")])
    assert dict(scope.vars) == {"E": "2", "A": "3"}
    assert dict(scope.env) == {"E": "2", "A": "3"} and dict(scope.args) == {"A": "1"}


def test_nested_find_exec_is_bounded_and_shares_its_words():
    depth = 3000
    df = model("FROM alpine:3\nRUN " + "find . -exec " * depth + "apt-get install curl" + " \\;" * depth + "\n")
    commands = df.stages[0].instructions[1].commands
    words = 3 * depth + 2 + 2 * depth
    # each unwrapped level held the rest of the line again: 3000 levels were 13.5 million words
    assert sum(len(c.argv) for c in commands) < 50 * words
    assert len([c for c in commands if c.wrapper == "find -exec"]) >= 40
    assert len({id(w) for c in commands for w in c.argv if w.value == "curl"}) == 1  # one Word, shared
    shallow = model("FROM alpine:3\nRUN find . -exec find . -exec apt-get install curl \\; \\;\n")
    assert "apt-get" in [c.name for c in shallow.stages[0].instructions[1].commands]


def test_a_script_longer_than_the_limit_has_unknown_commands():
    from dockerlint.model.shell import MAX_SCRIPT_CHARS

    line = "  apt-get install curl && \\\n"
    short = "FROM alpine:3\nRUN \\\n" + line * 10 + "  true\n"
    assert len(model(short).stages[0].instructions[1].commands) == 11
    long = "FROM alpine:3\nRUN \\\n" + line * (MAX_SCRIPT_CHARS // 20) + "  true\n"
    assert model(long).stages[0].instructions[1].commands == ()
    assert not [i for i in _ids(long) if i.startswith(("DLINT", "SC", "DL3015"))]


def test_exports_in_one_run_share_one_environment():
    n = 2000
    text = ("FROM alpine:3\nRUN " + " && \\\n  ".join(f"export A{i}={i}" for i in range(n))
            + " && unset A0 && echo done\n")
    tracemalloc.start()
    df = model(text)
    commands = df.stages[0].instructions[1].commands
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert commands[1].environ["A0"] == "0" and "A1" not in commands[1].environ
    last = commands[-1]
    assert last.name == "echo" and last.environ["A1999"] == "1999" and "A0" not in last.environ
    assert len(last.environ) == len(commands[-2].environ) - 1 and last.env("A0") is None
    assert peak < 24 * 2 ** 20  # a dict per export: 2,000 exports held 2 million entries (60 MB)
