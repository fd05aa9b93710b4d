"""BuildContext: the files Docker would send and the dependency files among them."""
from __future__ import annotations

import pytest

from dockerlint.context import BuildContext, ContextError, DockerignoreError, classify_dependency_file


def make_tree(root, files):
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")


def test_files_honour_dockerignore_with_exceptions(tmp_path):
    make_tree(tmp_path, [
        "app/main.py", "app/__pycache__/main.cpython-311.pyc", "data/train.csv", "data/schema.json",
        ".git/HEAD", "requirements.txt", "notes/a/b.md",
    ])
    (tmp_path / ".dockerignore").write_text(".git\n**/__pycache__\ndata\n!data/schema.json\nnotes/**/*.md\n")
    ctx = BuildContext(tmp_path)
    assert ctx.files == (".dockerignore", "app/main.py", "data/schema.json", "requirements.txt")
    assert ctx.is_ignored("data/train.csv")
    assert not ctx.is_ignored(tmp_path / "app" / "main.py")
    assert ctx.exists("app") and not ctx.exists(".git/HEAD") and not ctx.exists("missing.txt")
    assert ctx.read_text("requirements.txt") == "x"
    assert ctx.read_text("data/train.csv") is None


def test_without_ignore_file_everything_is_sent(tmp_path):
    make_tree(tmp_path, ["a.py", "d/b.py"])
    ctx = BuildContext(tmp_path)
    assert ctx.ignore_file is None
    assert ctx.files == ("a.py", "d/b.py")


def test_dockerfile_specific_ignore_file_wins(tmp_path):
    make_tree(tmp_path, ["a.py", "b.py", "docker/app.Dockerfile"])
    (tmp_path / ".dockerignore").write_text("a.py\n")
    (tmp_path / "docker" / "app.Dockerfile.dockerignore").write_text("b.py\n")
    ctx = BuildContext(tmp_path, dockerfile=tmp_path / "docker" / "app.Dockerfile")
    assert ctx.ignore_file == tmp_path / "docker" / "app.Dockerfile.dockerignore"
    assert not ctx.is_ignored("a.py") and ctx.is_ignored("b.py")


def test_listing_stops_at_max_files(tmp_path):
    make_tree(tmp_path, [f"f{i}.txt" for i in range(5)])
    ctx = BuildContext(tmp_path, max_files=3)
    assert len(ctx.files) == 3 and ctx.truncated


def test_bad_pattern_and_missing_root_raise_documented_errors(tmp_path):
    (tmp_path / ".dockerignore").write_text("ok\n[broken\n")
    with pytest.raises(DockerignoreError, match="line 2"):
        BuildContext(tmp_path).is_ignored("x")
    with pytest.raises(ContextError):
        BuildContext(tmp_path / "nope").files


def test_dependency_files_are_found_and_classified(tmp_path):
    make_tree(tmp_path, [
        "requirements.txt", "requirements-dev.txt", "requirements/gpu.txt", "dev-requirements.in",
        "constraints.txt", "pyproject.toml", "poetry.lock", "uv.lock", "sub/setup.py", "environment.yml",
        "README.md", "src/requirements_parser.py",
    ])
    found = {d.path: (d.kind, d.lock) for d in BuildContext(tmp_path).dependency_files}
    assert found == {
        "requirements.txt": ("requirements", False), "requirements-dev.txt": ("requirements", False),
        "requirements/gpu.txt": ("requirements", False), "dev-requirements.in": ("requirements", False),
        "constraints.txt": ("constraints", False), "pyproject.toml": ("pyproject", False),
        "poetry.lock": ("poetry.lock", True), "uv.lock": ("uv.lock", True), "sub/setup.py": ("setup.py", False),
        "environment.yml": ("conda", False),
    }


@pytest.mark.parametrize("name", ["requirement.txt", "Requirements.TXT", "base_requirements.txt"])
def test_requirement_file_name_variants(name):
    assert classify_dependency_file(name).kind == "requirements"


def test_cache007_unsafe_fix_runs_the_command_through_sh():
    from dockerlint.engine import lint_text
    from dockerlint.fixes import apply_fixes

    text = 'FROM python:3.11-slim\nCMD ["uvicorn", "main:app", "--port", "$PORT", "--root-path", "/a b"]\n'
    findings = lint_text(text, select=["CACHE007"])
    fixed, applied = apply_fixes(text, findings, unsafe=True)
    assert len(applied) == 1
    assert fixed.splitlines()[1] == \
        'CMD ["sh", "-c", "exec uvicorn main:app --port \\"$PORT\\" --root-path \'/a b\'"]'
