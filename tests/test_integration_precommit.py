"""The pre-commit hook, installed by pre-commit itself from this repository (`try-repo`)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from integration_support import BAD, GOOD, REPO, clean_env

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_manifest_is_valid_and_uses_the_python_entry_point():
    subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest",
                    str(REPO / ".pre-commit-hooks.yaml")], check=True, capture_output=True)
    (hook,) = HOOKS
    assert (hook["id"], hook["language"], hook["entry"], hook["types"]) == (
        "dockerlint", "python", "dockerlint --pre-commit --force-exclude", ["file"])


@pytest.mark.parametrize("path, matched", [
    ("Dockerfile", True), ("deploy/Dockerfile", True), ("Dockerfile.gpu", True),
    ("Containerfile", True), ("build/Containerfile.dev", True), ("serve.Dockerfile", True),
    ("a/train.dockerfile", True),
    ("Dockerfile.dockerignore", False), ("README.md", False), ("Dockerfile-dev", False),
    ("dockerfile", False), ("notes/Dockerfiles.md", False), ("Dockerfile/notes.txt", False),
])
def test_files_pattern(path, matched):
    (hook,) = HOOKS
    selected = re.search(hook["files"], path) and not re.search(hook["exclude"], path)
    assert bool(selected) == matched


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env=clean_env(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                                 GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com"))


@pytest.fixture
def project(tmp_path) -> Path:
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    root = tmp_path / "project"
    root.mkdir()
    (root / ".dockerignore").write_text(".git\n", encoding="utf-8")
    (root / "Dockerfile").write_text(GOOD, encoding="utf-8")
    (root / "gpu").mkdir()
    (root / "gpu" / "train.dockerfile").write_text(BAD, encoding="utf-8")
    (root / "README.md").write_text(BAD, encoding="utf-8")  # not a Dockerfile: never linted
    _git(root, "init", "-q")
    _git(root, "add", ".")
    return root


def _try_repo(project: Path, *files: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "dockerlint", "--verbose",
         "--files", *files],
        cwd=project, capture_output=True, text=True, timeout=600, env=clean_env(),
    )


def test_hook_fails_on_a_bad_dockerfile_and_passes_on_a_good_one(project):
    bad = _try_repo(project, "gpu/train.dockerfile", "README.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert re.search(r"^dockerlint\.+Failed$", bad.stdout, re.MULTILINE), bad.stdout
    assert "gpu/train.dockerfile" in bad.stdout and "DL3007" in bad.stdout
    assert "README.md" not in bad.stdout  # the files pattern kept it from dockerlint

    good = _try_repo(project, "Dockerfile", "README.md")
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"^dockerlint\.+Passed$", good.stdout, re.MULTILINE), good.stdout


def test_a_file_named_like_an_option_is_linted_and_the_users_args_still_apply(project):
    """pre-commit runs entry + args + file names with no "--": a committed `-oapp.Dockerfile` must
    not become `-o app.Dockerfile` (the report written over it), `-c…` no config, and the user's
    own args: keep working. The hook's entry runs as written in the manifest, through pre-commit."""
    (hook,) = HOOKS
    (project / "app.Dockerfile").write_text(GOOD, encoding="utf-8")
    (project / "-oapp.Dockerfile").write_text(BAD, encoding="utf-8")
    (project / "-c.evil.toml.Dockerfile").write_text(GOOD, encoding="utf-8")
    program = str(Path(sys.executable).with_name("dockerlint"))
    config = {"repos": [{"repo": "local", "hooks": [{
        **{k: hook[k] for k in ("id", "name", "files", "exclude", "types")},
        "entry": hook["entry"].replace("dockerlint", program, 1), "language": "system",
        "args": ["--format", "gnu", "--failure-threshold", "warning"]}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(project, "add", ".")
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--verbose"], cwd=project,
                          capture_output=True, text=True, timeout=600, env=clean_env())
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (project / "app.Dockerfile").read_text(encoding="utf-8") == GOOD  # no report written over it
    assert "-oapp.Dockerfile:" in proc.stdout and "[DL3007]" in proc.stdout  # linted, in the user's gnu format
    assert "-c.evil.toml.Dockerfile" not in proc.stdout  # a good file, linted: no finding
    assert "error:" not in proc.stdout
