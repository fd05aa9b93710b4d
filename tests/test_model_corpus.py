"""Every real Dockerfile of the shared corpus builds a model, and every view of it works."""
from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path("/work/shared/corpus/real")
VIEWS = ("arg_decls", "pairs", "workdir", "workdir_path", "user", "expose", "copy", "run", "cmd",
         "healthcheck", "shell_argv", "volumes", "onbuild", "commands")


def _files():
    return sorted(p for p in CORPUS.iterdir() if p.is_file()) if CORPUS.is_dir() else []


@pytest.mark.skipif(not _files(), reason="shared corpus not present")
def test_every_corpus_file_builds_a_model():
    parse = pytest.importorskip("dockerlint.syntax").parse
    from dockerlint.model import build
    from dockerlint.syntax import DockerfileSyntaxError

    built = 0
    for path in _files():
        try:
            tree = parse(path.read_bytes(), str(path))
        except DockerfileSyntaxError:
            continue
        df = build(tree, path=str(path))
        built += 1
        assert [i.index for i in df.instructions] == list(range(len(df.instructions)))
        for stage in df.stages:
            assert stage.from_.keyword == "FROM"
            assert all(dep.index < stage.index for dep in stage.dependencies), path.name
            assert (stage.base is None) == (stage.is_scratch or stage.base_stage is not None
                                            or stage.base_name is None), path.name
        if df.stages:
            assert df.target is df.stages[-1] and df.target.needed
        for instr in df.walk():
            for view in VIEWS:
                getattr(instr, view)
            if instr.cmd is not None:
                instr.cmd.commands
            for command in instr.commands:
                assert command.span is not None
    assert built >= len(_files()) * 0.95
