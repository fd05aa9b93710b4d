"""The parser against BuildKit's own parser tests, and against our extra cases in the same format.

fixtures/buildkit-parser/ is BuildKit's test data (see its SOURCE.md): every
positive case must dump byte for byte as BuildKit's ``Node.Dump()``, every
negative case must be rejected. fixtures/parser/ adds cases that corpus lacks
(BOM, CRLF, heredoc variants, flags under ONBUILD, escape edge cases, ...).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockerlint.syntax import DockerfileSyntaxError, parse
from dockerlint.syntax.dump import buildkit_dump

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BUILDKIT = FIXTURES / "buildkit-parser"
OURS = FIXTURES / "parser"


def _cases(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir())


def _heredocs_as_buildkit(instruction) -> list[dict] | None:
    """Node.Heredocs as BuildKit's tests spell them (null when there are none)."""
    return [
        {"Name": h.name, "FileDescriptor": h.file_descriptor or 0, "Expand": h.expand,
         "Chomp": h.chomp, "Content": h.raw_content}
        for h in instruction.heredocs
    ] or None


def test_corpus_is_complete():
    assert len(_cases(BUILDKIT / "testfiles")) == 33
    assert len(_cases(BUILDKIT / "testfiles-negative")) == 4


@pytest.mark.parametrize(
    "case", _cases(BUILDKIT / "testfiles") + _cases(OURS / "cases"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_dump_matches_buildkit_result(case: Path):
    expected = (case / "result").read_bytes().replace(b"\r\n", b"\n").decode()
    tree = parse((case / "Dockerfile").read_bytes(), str(case / "Dockerfile"))
    assert buildkit_dump(tree) == expected


@pytest.mark.parametrize("case", _cases(BUILDKIT / "testfiles-negative"), ids=lambda p: p.name)
def test_buildkit_negative_case_is_rejected(case: Path):
    with pytest.raises(DockerfileSyntaxError) as err:
        parse((case / "Dockerfile").read_bytes())
    assert err.value.span.line >= 1 and err.value.message


@pytest.mark.parametrize("case", _cases(OURS / "negative"), ids=lambda p: p.name)
def test_own_negative_case_gives_buildkit_error_at_line(case: Path):
    line, message = (case / "error").read_text().rstrip("\n").split(": ", 1)
    with pytest.raises(DockerfileSyntaxError) as err:
        parse((case / "Dockerfile").read_bytes())
    assert (err.value.span.line, err.value.message) == (int(line), message)


def test_line_numbers_of_instructions():
    spec = json.loads((BUILDKIT / "derived" / "line-numbers.json").read_text())
    tree = parse((BUILDKIT / spec["dockerfile"]).read_bytes())
    got = [[i.span.line, i.span.end_line] for i in tree.instructions]
    assert got == spec["expected"]
    assert [got[0][0], got[-1][1]] == spec["root"]


@pytest.mark.parametrize("folder", [BUILDKIT / "derived" / "heredoc-extract", OURS / "cases" / "heredocs"],
                         ids=["buildkit", "ours"])
def test_heredocs_extracted_like_buildkit(folder: Path):
    spec = json.loads((folder / "heredocs.json").read_text())
    tree = parse((folder / "Dockerfile").read_bytes())
    offset = spec.get("children_offset", 0)
    got = [_heredocs_as_buildkit(i) for i in tree.instructions[offset:]]
    assert got == spec["expected"]
