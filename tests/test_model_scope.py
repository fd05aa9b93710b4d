"""ARG/ENV scoping as BuildKit does it (dockerlint.model)."""
from __future__ import annotations

from model_helpers import model


def instr_at(df, keyword, n=0):
    return [i for i in df.instructions if i.keyword == keyword][n]


def test_global_arg_is_usable_in_from():
    df = model("ARG PY=3.11\nFROM python:${PY}-slim\n")
    assert df.stages[0].base.tag == "3.11-slim"
    assert [i.keyword for i in df.global_args] == ["ARG"]
    assert df.global_args[0].stage is None


def test_global_arg_is_invisible_in_a_stage_until_redeclared():
    df = model("ARG V=1\nFROM scratch\nWORKDIR /a$V\nARG V\nWORKDIR /b$V\n")
    first, second = [i for i in df.instructions if i.keyword == "WORKDIR"]
    assert first.workdir.value == "/a"  # scratch stage: V is definitely unset
    assert "V" not in first.args
    assert second.workdir.value == "/b1"
    assert second.args["V"] == "1"


def test_undeclared_name_in_image_stage_is_unknown_not_empty():
    df = model("FROM python:3.11\nWORKDIR $HOME/app\n")
    workdir = instr_at(df, "WORKDIR").workdir
    assert workdir.value is None
    assert workdir.unresolved == ("HOME",) and workdir.undefined == ("HOME",)


def test_undeclared_name_in_from_is_empty_like_buildkit():
    df = model("FROM python:3.11${SUFFIX}\n")
    base = df.stages[0].base
    assert base.tag == "3.11" and base.resolved
    assert df.stages[0].base_name.undefined == ("SUFFIX",)


def test_arg_without_default_is_unknown_until_build_arg_given():
    text = "ARG TAG\nFROM python:${TAG}\n"
    assert model(text).stages[0].base.tag is None
    assert not model(text).stages[0].base.resolved
    assert model(text, build_args={"TAG": "3.12"}).stages[0].base.tag == "3.12"


def test_build_arg_overrides_default_but_declares_nothing():
    df = model("ARG TAG=3.10\nFROM python:$TAG$EXTRA\n", build_args={"TAG": "3.12", "EXTRA": "-x"})
    assert df.stages[0].base.tag == "3.12"
    decl = df.global_args[0].arg_decls[0]
    assert decl.value == "3.12" and decl.from_build_arg and decl.default.value == "3.10"


def test_arg_defaults_expand_in_order():
    df = model("FROM scratch\nARG A=1 B=${A}2\nWORKDIR /$B\n")
    assert instr_at(df, "WORKDIR").workdir.value == "/12"


def test_env_values_in_one_instruction_see_the_scope_before_it():
    df = model("FROM scratch\nENV A=1\nENV A=2 B=$A\nWORKDIR /$B\n")
    env = instr_at(df, "WORKDIR").env
    assert (env["A"], env["B"]) == ("2", "1")


def test_env_is_inherited_from_the_parent_stage():
    df = model("FROM python:3.11 AS base\nENV APP=/srv\nFROM base\nWORKDIR $APP\nFROM python:3.11\nWORKDIR $APP\n")
    inherited, fresh = [i for i in df.instructions if i.keyword == "WORKDIR"]
    assert inherited.env["APP"] == "/srv"
    assert inherited.workdir_path == "/srv"
    assert "APP" not in fresh.env and fresh.workdir.value is None


def test_stage_args_are_inherited_by_child_stages():
    df = model("FROM scratch AS a\nARG X=7\nFROM a\nWORKDIR /$X\n")
    assert instr_at(df, "WORKDIR").workdir.value == "/7"
    assert instr_at(df, "WORKDIR").args["X"] == "7"


def test_predefined_platform_args_are_known_in_from_only():
    df = model("FROM --platform=$BUILDPLATFORM golang:1.22-$TARGETARCH AS build\n"
               "WORKDIR /$TARGETARCH\nARG TARGETARCH\nWORKDIR /$TARGETARCH\n")
    stage = df.stages[0]
    assert stage.platform.value == "linux/amd64"
    assert stage.base.tag == "1.22-amd64"
    before, after = [i for i in df.instructions if i.keyword == "WORKDIR"]
    assert before.workdir.value is None  # image stage: undeclared, unknown
    assert after.workdir.value == "/amd64"


def test_platform_args_follow_build_args():
    df = model("FROM --platform=$TARGETPLATFORM alpine:3.20\n", build_args={"TARGETPLATFORM": "linux/arm64"})
    assert df.stages[0].platform.value == "linux/arm64"


def test_proxy_args_are_not_expanded_without_declaration():
    df = model("FROM scratch\nWORKDIR /x$HTTP_PROXY\n", build_args={"HTTP_PROXY": "http://p"})
    assert instr_at(df, "WORKDIR").workdir.value == "/x"


def test_stage_arg_without_default_inherits_the_global_value():
    df = model("ARG PY=3.11\nFROM scratch\nARG PY\nWORKDIR /py$PY\n")
    assert instr_at(df, "WORKDIR").workdir.value == "/py3.11"
    assert instr_at(df, "ARG", 1).arg_decls[0].value == "3.11"


def test_later_arg_overrides_earlier_env_for_expansion():
    # BuildKit puts both in one ordered environment: the last one set wins
    df = model("FROM scratch\nENV V=env\nARG V=arg\nWORKDIR /$V\n")
    assert instr_at(df, "WORKDIR").workdir.value == "/arg"


def test_workdir_resolution():
    df = model("FROM scratch\nWORKDIR app\nWORKDIR ../srv/./x/\nWORKDIR /abs\nFROM ubuntu:24.04\nWORKDIR rel\n")
    paths = [i.workdir_path for i in df.instructions if i.keyword == "WORKDIR"]
    assert paths == ["/app", "/srv/x", "/abs", None]


def test_cwd_is_visible_to_following_instructions():
    df = model("FROM scratch\nWORKDIR /app\nCOPY . .\n")
    assert instr_at(df, "COPY").cwd == "/app"


def test_shell_instruction_changes_the_active_shell():
    df = model('FROM ubuntu:24.04\nRUN a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN b\n'
               'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN c\n')
    a, b, c = [i for i in df.instructions if i.keyword == "RUN"]
    assert a.shell == ("/bin/sh", "-c") and a.posix_shell
    assert b.shell == ("/bin/bash", "-o", "pipefail", "-c") and b.posix_shell
    assert c.shell == ("powershell", "-Command") and not c.posix_shell


def test_expand_uses_the_instruction_scope():
    df = model("FROM scratch\nENV A=1\nRUN echo\n")
    value = instr_at(df, "RUN").expand("v${A}")
    assert value.value == "v1" and value.span == instr_at(df, "RUN").span


def test_scratch_stage_has_buildkit_default_path():
    df = model("FROM scratch\nENV PATH=/opt/bin:$PATH\n")
    assert instr_at(df, "ENV").pairs[0].value.value == "/opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    image = model("FROM debian:12\nENV PATH=/opt/bin:$PATH\n")
    assert instr_at(image, "ENV").pairs[0].value.value is None  # the image's PATH is not known


# -- property: scoping agrees with a plain simulation of BuildKit's rules ----------------------
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st

UNKNOWN_VALUE = object()
VAR = st.sampled_from(["A", "B", "C"])
RHS = st.one_of(st.none(), st.sampled_from(["x", "yy", "1.0"]), VAR.map(lambda n: "$" + n))


def _resolve(rhs, state):
    if rhs is None or not rhs.startswith("$"):
        return rhs
    return state.get(rhs[1:], "")


@st.composite
def scoped_files(draw):
    build_args = draw(st.dictionaries(VAR, st.sampled_from(["ba", "bb"]), max_size=2))
    lines, probes = [], []
    globals_: dict = {}
    for _ in range(draw(st.integers(0, 2))):
        name, rhs = draw(VAR), draw(RHS)
        lines.append(f"ARG {name}" + (f"={rhs}" if rhs is not None else ""))
        if name in build_args:
            globals_[name] = build_args[name]
        else:
            globals_[name] = _resolve(rhs, globals_) if rhs is not None else UNKNOWN_VALUE
    ends: list[dict] = []
    for k in range(draw(st.integers(1, 3))):
        parent = draw(st.one_of(st.none(), st.integers(0, k - 1))) if k else None
        lines.append(f"FROM {'scratch' if parent is None else f's{parent}'} AS s{k}")
        state = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"} \
            if parent is None else dict(ends[parent])
        for _ in range(draw(st.integers(0, 4))):
            kind, name, rhs = draw(st.sampled_from(["ARG", "ENV", "PROBE"])), draw(VAR), draw(RHS)
            if kind == "PROBE":
                lines.append(f"WORKDIR /${name}")
                value = state.get(name, "")
                probes.append(None if value is UNKNOWN_VALUE else "/" + value)
            elif kind == "ENV":
                rhs = rhs if rhs is not None else "e"
                lines.append(f"ENV {name}={rhs}")
                state[name] = _resolve(rhs, state)
            else:
                lines.append(f"ARG {name}" + (f"={rhs}" if rhs is not None else ""))
                if name in build_args:
                    state[name] = build_args[name]
                elif rhs is not None:
                    state[name] = _resolve(rhs, state)
                else:
                    state[name] = globals_.get(name, UNKNOWN_VALUE)
        ends.append(state)
    return "\n".join(lines) + "\n", build_args, probes


@given(scoped_files())
def test_scoping_agrees_with_simulation(case):
    text, build_args, probes = case
    df = model(text, build_args=build_args)
    got = [i.workdir.value for i in df.instructions if i.keyword == "WORKDIR"]
    assert got == probes, text
