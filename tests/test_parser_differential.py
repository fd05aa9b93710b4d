"""Differential test against the ``dockerfile`` PyPI package (a Go binding of BuildKit's parser).

That binding is frozen on 2023 BuildKit, so it predates three changes our
parser follows: the ``check`` directive, ``<<  EOF`` (blanks after ``<<``) and
``json.Unmarshal`` for the exec form (text after the closing ``]`` now means
shell form). Generated Dockerfiles and Dockerfile-like noise avoid the first
two and allow the third; on the real corpus every disagreement must be the
third. The package does not expose separator
arguments of ENV/LABEL, flags of ONBUILD's inner instruction, or the argument
of unknown instructions, so those are normalised away. Skipped when the
package is not installed.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_parser_corpus import CORPUS, _files
from test_parser_properties import Generated, dockerfiles

from dockerlint.syntax import DockerfileSyntaxError, parse

oracle = pytest.importorskip("dockerfile")


def _ours(data: bytes) -> list[tuple]:
    out = []
    for ins in parse(data).instructions:
        node = ins.inner or ins
        values = tuple(a.value for a in node.args)
        if node.keyword in ("ENV", "LABEL"):
            values = tuple(v for k, v in enumerate(values) if k % 3 != 2)  # drop separators
        flags = () if ins.inner else tuple(f.text for f in node.flags)
        out.append((ins.keyword, ins.inner.keyword if ins.inner else None, flags, values or None,
                    node.json_form, ins.span.line, ins.span.end_line,
                    () if ins.inner else tuple((h.name, h.raw_content) for h in ins.heredocs)))
    return out


def _theirs(data: bytes) -> list[tuple]:
    out = []
    for c in oracle.parse_string(data.decode("utf-8")):
        values = None if c.value in ((), ("",)) else tuple(c.value)
        out.append(((c.cmd or "").upper(), c.sub_cmd.upper() if c.sub_cmd else None,
                    () if c.sub_cmd else tuple(c.flags), values, c.json, c.start_line, c.end_line,
                    () if c.sub_cmd else tuple((h.name, h.content) for h in c.heredocs)))
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfiles(newer_syntax=False))
def test_generated_dockerfiles_agree_with_go_binding(gen: Generated):
    data = gen.text.encode()
    assert _ours(data) == _theirs(data)


@pytest.mark.skipif(CORPUS is None, reason="shared corpus not available")
def test_corpus_disagreements_are_only_the_newer_exec_form_rule():
    same = 0
    for path in _files():
        data = path.read_bytes()
        ours, theirs = _ours(data), _theirs(data)
        if ours == theirs:
            same += 1
            continue
        assert len(ours) == len(theirs), path
        for a, b in zip(ours, theirs):
            if a != b:
                # we: shell form of text starting with a JSON array; 2023 BuildKit: exec form
                assert not a[4] and b[4] and a[3][0].startswith("["), (path, a, b)
    print(f"\ncorpus agreement with the Go binding: {same}/{len(_files())}")


NOISE = st.lists(st.sampled_from([
    "FROM a", "RUN ", "run", "ENV ", "LABEL ", "ARG ", "ONBUILD ", "COPY ", "HEALTHCHECK ", "CMD ", "USER ",
    "x", "a=b", "\"", "'", "\\", "\n", "\r\n", "\t", " ", "#", "# escape=`\n", "`", "<<EOF", "<<-EOF",
    "EOF", "3<<", "[", "]", "\"a\"", ",", "1", "--flag=", "--", "$x", "${a}", "{", "=", "\\\n",
]), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(NOISE)
def test_noise_agrees_with_go_binding_up_to_newer_rules(text: str):
    assume(not any(f"<<{blank}" in text for blank in " \t\r"))  # newer: blanks after << join the word
    try:
        ours = _ours(text.encode())
    except DockerfileSyntaxError:
        with pytest.raises(oracle.GoParseError):
            _theirs(text.encode())
        return
    theirs = _theirs(text.encode())
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a == b or (not a[4] and b[4] and a[3][0].lstrip().startswith("[")), (a, b)
