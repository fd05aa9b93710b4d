"""Every real Dockerfile of the shared corpus parses, or fails with a positioned DockerfileSyntaxError.

The corpus lives outside the repository (../shared/corpus/real from the repo
root, or /work/shared/corpus/real); the test skips when it is absent.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from dockerlint.syntax import DockerfileSyntaxError, parse
from dockerlint.syntax.dump import buildkit_dump

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = [ROOT.parent / "shared" / "corpus" / "real", Path("/work/shared/corpus/real")]
CORPUS = next((p for p in CANDIDATES if p.is_dir()), None)

pytestmark = pytest.mark.skipif(CORPUS is None, reason="shared corpus not available")


def _files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_file() and p.name != "MANIFEST.tsv")


def test_every_corpus_file_parses_or_fails_with_a_position():
    files = _files()
    assert len(files) > 500
    parsed = 0
    for path in files:
        data = path.read_bytes()
        try:
            tree = parse(data, str(path))
        except DockerfileSyntaxError as e:
            assert e.span.line >= 1 and e.span.column >= 1, path
            continue
        parsed += 1
        assert tree.instructions, path
        assert buildkit_dump(tree).count("\n") == len(tree.instructions), path
        for ins in tree.instructions:
            assert tree.source.text[ins.keyword_span.start:ins.keyword_span.end].upper() == ins.keyword \
                or ins.keyword_span.line != ins.keyword_span.end_line, path
            assert all(tree.source.text[o] == c for o, c in zip(ins.rest_offsets, ins.rest)), path
    # measured: all 605 files of the corpus are accepted by BuildKit's grammar
    assert parsed == len(files)
