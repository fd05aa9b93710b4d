"""Stages, stage references, the stage graph and the target (dockerlint.model)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from model_helpers import model

MULTI = """\
FROM python:3.11-slim AS Builder
RUN pip wheel -w /wheels torch
FROM node:20 AS assets
RUN npm ci
FROM builder AS test
RUN pytest
FROM python:3.11-slim
COPY --from=builder /wheels /wheels
RUN --mount=type=bind,from=assets,source=/dist,target=/dist true
"""


def test_stage_names_indexes_and_bases():
    df = model(MULTI)
    assert [s.name for s in df.stages] == ["builder", "assets", "test", None]
    assert [s.index for s in df.stages] == [0, 1, 2, 3]
    assert df.stages[0].name_as_written == "Builder"
    assert df.stages[2].base is None and df.stages[2].base_stage is df.stages[0]
    assert df.stages[3].base.repository == "python"
    assert df.stage("BUILDER") is df.stages[0] and df.stage(1) is df.stages[1]
    assert df.stage("missing") is None and df.stage(9) is None


def test_instructions_belong_to_their_stage():
    df = model(MULTI)
    assert all(i.stage is s for s in df.stages for i in s.instructions)
    assert df.stages[0].instructions[0] is df.stages[0].from_
    assert [i.index for i in df.instructions] == list(range(len(df.instructions)))


def test_dependencies_follow_from_copy_and_mounts():
    df = model(MULTI)
    builder, assets, test, final = df.stages
    assert test.dependencies == (builder,)
    assert final.dependencies == (builder, assets)
    copy = final.instructions[1].copy
    assert copy.from_ == "builder" and copy.from_stage is builder
    mount = final.instructions[2].run.mounts[0]
    assert mount.from_stage is assets


def test_target_and_needed():
    df = model(MULTI)
    assert df.target is df.stages[3] and df.stages[3].is_target
    assert [s.needed for s in df.stages] == [True, True, False, True]
    df = model(MULTI, target="test")
    assert df.target.name == "test"
    assert [s.needed for s in df.stages] == [True, False, True, False]


def test_unknown_target_keeps_every_stage_in_view():
    df = model(MULTI, target="nope")
    assert df.target is None and all(s.needed for s in df.stages)


def test_scratch_and_copy_from_index_or_image():
    df = model("FROM scratch AS empty\nFROM alpine:3.20\nCOPY --from=0 / /\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n")
    assert df.stages[0].is_scratch and df.stages[0].base is None
    first, second = [i.copy for i in df.instructions if i.keyword == "COPY"]
    assert first.from_stage is df.stages[0]
    assert second.from_stage is None and second.from_image.tag == "1.27"
    assert df.stages[1].dependencies == (df.stages[0],)


def test_forward_and_self_references_are_not_dependencies():
    df = model("FROM alpine:3.20 AS a\nCOPY --from=b /x /x\nCOPY --from=a /y /y\nFROM alpine:3.20 AS b\n")
    a, b = df.stages
    copies = [i.copy for i in a.instructions if i.keyword == "COPY"]
    assert copies[0].from_stage is b and copies[1].from_stage is a
    assert a.dependencies == ()


def test_from_an_arg_naming_a_stage():
    df = model("ARG BASE=builder\nFROM alpine:3.20 AS builder\nFROM ${BASE}\n")
    assert df.stages[1].base_stage is df.stages[0]


def test_root_image_follows_the_chain():
    df = model("FROM nvidia/cuda:12.1.0-base AS a\nFROM a AS b\nFROM b\n")
    assert df.stages[2].root is df.stages[0]
    assert df.stages[2].root_image.repository == "nvidia/cuda"


def test_onbuild_copy_from_in_parent_makes_a_dependency():
    df = model("FROM alpine:3.20 AS data\nFROM alpine:3.20 AS base\nONBUILD COPY --from=data /d /d\nFROM base\n")
    assert df.stages[2].dependencies == (df.stages[0], df.stages[1])
    assert df.stages[1].dependencies == ()  # the trigger runs in children only
    inner = df.stages[1].instructions[1].onbuild
    assert inner.keyword == "COPY" and inner.copy.from_stage is df.stages[0]


@st.composite
def dockerfiles(draw):
    """Random multi-stage files referring to stages by name, index or image."""
    n = draw(st.integers(1, 6))
    lines = []
    for i in range(n):
        base = draw(st.sampled_from(["alpine:3.20", "scratch"] + [f"s{j}" for j in range(i)]))
        if base.startswith("s") and draw(st.booleans()):
            base = base.upper()  # stage names are case-insensitive
        lines.append(f"FROM {base} AS s{i}")
        for _ in range(draw(st.integers(0, 3))):
            ref = draw(st.one_of(st.integers(0, n), st.sampled_from([f"s{j}" for j in range(n)] + ["busybox"])))
            if draw(st.booleans()):
                lines.append(f"COPY --from={ref} /a /b")
            else:
                lines.append(f"RUN --mount=type=bind,from={ref},target=/m true")
    target = draw(st.one_of(st.none(), st.sampled_from([f"s{j}" for j in range(n)])))
    return "\n".join(lines) + "\n", target


@given(dockerfiles())
def test_stage_graph_points_backwards_and_needed_is_reachability(case):
    text, target = case
    df = model(text, target=target)
    for stage in df.stages:
        assert all(dep.index < stage.index for dep in stage.dependencies)
        if stage.base_stage is not None:
            assert stage.base_stage in stage.dependencies
    reach, todo = set(), [df.target]
    while todo:
        s = todo.pop()
        if s.index not in reach:
            reach.add(s.index)
            todo.extend(s.dependencies)
    assert {s.index for s in df.stages if s.needed} == reach
    assert sum(s.is_target for s in df.stages) == 1


TAGS = st.from_regex(r"[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,10}", fullmatch=True)


@given(tag=TAGS, how=st.sampled_from(["literal", "default", "build-arg", "unknown"]))
def test_from_tag_through_args(tag, how):
    if how == "literal":
        text, kwargs = f"FROM python:{tag}\n", {}
    elif how == "default":
        text, kwargs = f"ARG TAG={tag}\nFROM python:${{TAG}}\n", {}
    elif how == "build-arg":
        text, kwargs = "ARG TAG=old\nFROM python:$TAG\n", {"build_args": {"TAG": tag}}
    else:
        text, kwargs = "ARG TAG\nFROM python:$TAG\n", {}
    df = model(text, **kwargs)
    ref = df.stages[0].base
    assert ref.repository == "python"
    if how == "unknown":
        assert ref.tag is None and not ref.resolved and ref.unresolved == ("TAG",)
        return
    assert ref.tag == tag and ref.resolved
    if how == "literal":
        assert df.source.slice(ref.tag_span) == tag
    else:
        assert ref.tag_span == ref.span  # the value came from an ARG: the whole word
