"""Layer -> Dockerfile instruction, from the history both builders write.

The history strings are the ones Docker Engine 20.10 wrote on this machine
for the Dockerfile below (classic builder and its embedded BuildKit).
"""
from __future__ import annotations

import pytest

from dockerlint.syntax import parse
from dockerlint.verify.attribute import attribute, history_step, run_command, stage_chain

DOCKERFILE = """\
FROM base:1
COPY hello.txt /hello.txt
ENV A=1
WORKDIR /app
RUN echo det > /det.txt && \\
    touch -d @1700000000 /det.txt
RUN date > /app/date.txt
RUN true
CMD ["sh"]
"""

# layer history only (empty_layer entries dropped), as the image config lists it
CLASSIC = [
    "",
    "/bin/sh -c #(nop) COPY file:d5e01f9ded2658899111c5b8ae11cf0c8ac54b51891d464eb806b666842816ac in /hello.txt ",
    "/bin/sh -c #(nop) WORKDIR /app",
    "/bin/sh -c echo det > /det.txt &&     touch -d @1700000000 /det.txt",
    "/bin/sh -c date > /app/date.txt",
    # `RUN true` changed nothing: the classic builder records it as an empty layer
]
BUILDKIT = [
    "",
    "COPY hello.txt /hello.txt # buildkit",
    "WORKDIR /app",
    "RUN /bin/sh -c echo det > /det.txt &&     touch -d @1700000000 /det.txt # buildkit",
    "RUN /bin/sh -c date > /app/date.txt # buildkit",
    "RUN /bin/sh -c true # buildkit",
]


def lines(attribution) -> dict[int, int | None]:
    return {i: (ref.line if ref else None) for i, ref in attribution.layers.items()}


@pytest.mark.parametrize("created_by, expected", [
    ("/bin/sh -c #(nop)  ENV A=1", ("ENV", "A=1")),
    ("/bin/sh -c #(nop) COPY file:abc in /app/ ", ("COPY", "file:abc in /app/")),
    ("/bin/sh -c pip install -r req.txt", ("RUN", "/bin/sh -c pip install -r req.txt")),
    ("|2 A=1 B=two /bin/sh -c make", ("RUN", "|2 A=1 B=two /bin/sh -c make")),
    ("RUN /bin/sh -c make # buildkit", ("RUN", "/bin/sh -c make")),
    ("COPY . /src # buildkit", ("COPY", ". /src")),
    ("WORKDIR /app", ("WORKDIR", "/app")),
    ("Imported from -", None),
    ("", None),
])
def test_history_step(created_by, expected):
    assert history_step(created_by) == expected


def test_run_command_drops_build_arg_prefix():
    assert run_command("|2 A=1 B=two /bin/sh -c make   all") == "/bin/sh -c make all"


@pytest.mark.parametrize("history", [CLASSIC, BUILDKIT], ids=["classic", "buildkit"])
def test_layers_map_to_their_instructions(history):
    result = attribute(parse(DOCKERFILE), history)
    expected = {0: None, 1: 2, 2: 4, 3: 5, 4: 7}
    if history is BUILDKIT:
        expected[5] = 8  # BuildKit keeps the empty `RUN true` layer
    assert lines(result) == expected
    assert result.base_layers == 1
    assert result.image.line == 1 and result.image.text == "FROM base:1"
    ref = result.layers[3]
    assert (ref.line, ref.column, ref.end_line) == (5, 1, 6)
    assert ref.text == "RUN echo det > /det.txt &&"


def test_base_image_layers_built_by_buildkit_stay_unattributed():
    history = ["", "RUN /bin/sh -c apt-get update # buildkit", "COPY app /app # buildkit",
               "RUN /bin/sh -c make # buildkit"]
    result = attribute(parse("FROM python:3.12\nRUN make\n"), history)
    assert lines(result) == {0: None, 1: None, 2: None, 3: 2}
    assert result.base_layers == 3


def test_multi_stage_target_follows_stage_references():
    text = ("FROM base:1 AS build\nRUN make\n"
            "FROM build AS test\nRUN make test\n"
            "FROM scratch AS final\nCOPY --from=build /out /out\n")
    tree = parse(text)
    chain, target_from = stage_chain(tree, "test")
    assert [i.line for i in chain] == [2, 4] and target_from.line == 3
    history = ["", "/bin/sh -c make", "/bin/sh -c make test"]
    assert lines(attribute(tree, history, target="test")) == {0: None, 1: 2, 2: 4}
    # the default target is the last stage, FROM scratch: only the COPY makes a layer
    assert lines(attribute(tree, ["COPY /out /out # buildkit"])) == {0: 6}


def test_run_with_build_args_is_matched_by_command():
    tree = parse("FROM base\nARG V=1\nRUN echo $V > /v\nRUN echo other\n")
    history = ["", "|1 V=1 /bin/sh -c echo $V > /v", "|1 V=1 /bin/sh -c echo other"]
    assert lines(attribute(tree, history)) == {0: None, 1: 3, 2: 4}


def test_unknown_history_leaves_layers_unattributed():
    result = attribute(parse("FROM base\nRUN a\n"), ["", "/bin/sh -c something else"])
    assert lines(result) == {0: None, 1: None}
    assert result.unmatched == [1]


CONFIG_DOCKERFILE = """\
FROM base AS build
ENV STAMP=0
FROM base
ARG STAMP
ENV A=1 BUILD_STAMP=${STAMP}
LABEL "org.example.built"=${STAMP} other=x
COPY --from=build /out /app/out
COPY run.sh /run.sh
CMD ["sh"]
"""


@pytest.mark.parametrize("key, a, b, line", [
    ("config.Env", ["A=1", "BUILD_STAMP=1"], ["A=1", "BUILD_STAMP=2"], 5),
    ("config.Labels.org.example.built", "1", "2", 6),
    ("config.Cmd", ["sh"], ["bash"], 9),
    ("history[3].created_by", "/bin/sh -c #(nop) COPY file:0a1b in /run.sh ", "x", 8),
    ("history[2].created_by", "/bin/sh -c #(nop) COPY file:9f9f in /app/out ", "x", 7),
    ("config.Entrypoint", None, ["x"], None),  # no ENTRYPOINT in the file
    ("created", "2026-01-01", "2026-01-02", None),
])
def test_config_keys_map_to_the_instruction_that_sets_them(key, a, b, line):
    from dockerlint.verify.attribute import config_instruction

    ref = config_instruction(parse(CONFIG_DOCKERFILE), key, a, b)
    assert (ref.line if ref else None) == line


def test_heredoc_run_is_matched_by_kind():
    tree = parse("FROM base\nRUN <<EOF\nset -e\nmake\nEOF\nRUN echo done\n")
    history = ["", "RUN /bin/sh -c set -e\nmake # buildkit", "RUN /bin/sh -c echo done # buildkit"]
    result = attribute(tree, history)
    assert lines(result) == {0: None, 1: 2, 2: 6}
    assert result.layers[1].end_line == 5  # the span covers the heredoc body
