"""per-file-ignores globs: linear matching, and malformed classes as config errors naming file and key."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.cli import main
from dockerlint.pathglob import GlobError, PathGlob


@pytest.mark.parametrize(("glob", "path", "expected"), [
    ("**/Dockerfile", "a/b/Dockerfile", True),
    ("**/Dockerfile", "Dockerfile", True),
    ("*.Dockerfile", "a/x.Dockerfile", False),
    ("docker/*", "docker/a/b", False),
    ("docker/**", "docker/a/b", True),
    ("[!a]?", "bc", True),
    ("[a-c]x", "dx", False),
    ("./ci/Dockerfile", "ci/Dockerfile", True),
])
def test_glob_semantics(glob, path, expected):
    assert PathGlob(glob).matches(path) is expected


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=40))
def test_backtracking_shapes_answer(n):
    assert PathGlob("**a" * n + "**b").matches("a" * 300) is False


@pytest.mark.parametrize(("glob", "why"), [("[z-a]", "bad range 'z-a'"), ("[]]", "empty character class")])
def test_malformed_classes_are_config_errors(tmp_path, capsys, glob, why):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    config = tmp_path / ".dockerlint.toml"
    config.write_text(f'[per-file-ignores]\n"{glob}" = ["DL3006"]\n')
    assert main([str(tmp_path / "Dockerfile")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(config) in err[0] and "per-file-ignores" in err[0] and why in err[0]
    with pytest.raises(GlobError):
        PathGlob(glob)
