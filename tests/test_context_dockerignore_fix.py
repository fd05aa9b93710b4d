"""`--fix` writes a `.dockerignore` where none exists (CACHE002), as a user runs it."""
from __future__ import annotations

import json
import os
import subprocess
import sys

HEADER = "# Left out of the build context (written by dockerlint --fix)\n"


def _project(root, *, data: bool = False, setup: str | None = None) -> None:
    files = {
        "Dockerfile": "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
                      "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD [\"python\", \"app.py\"]\n",
        "requirements.txt": "flask==3.0.3\n",
        "app.py": "print('hi')\n",
        "__pycache__/app.cpython-311.pyc": "x",
        "notebooks/.ipynb_checkpoints/eda-checkpoint.ipynb": "{}",
        ".git/HEAD": "ref: refs/heads/main\n",
    }
    if setup is not None:
        files["pyproject.toml"] = setup
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    if data:
        (root / "data").mkdir()
        with open(root / "data" / "train.csv", "wb") as fh:
            fh.truncate(52_000_000)


def _run(root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dockerlint", "check", *args, "Dockerfile"],
                          capture_output=True, text=True, cwd=root)


def test_fix_writes_a_dockerignore_listing_what_is_there(tmp_path):
    _project(tmp_path)
    out = _run(tmp_path, "--fix")
    assert (tmp_path / ".dockerignore").read_bytes() == \
        (HEADER + ".git\n**/.ipynb_checkpoints\n**/__pycache__\n").encode()
    assert "fixed 1 problem in 1 file" in out.stderr
    assert "CACHE002" not in out.stdout and out.returncode == 0
    assert (tmp_path / "Dockerfile").read_text().startswith("FROM python:3.11-slim\n")  # untouched


def test_diff_shows_the_new_file_and_writes_nothing(tmp_path):
    _project(tmp_path)
    out = _run(tmp_path, "--diff")
    assert "+++ .dockerignore" in out.stdout and "+**/__pycache__" in out.stdout
    assert not (tmp_path / ".dockerignore").exists()


def test_data_sets_make_the_fix_unsafe(tmp_path):
    _project(tmp_path, data=True)
    out = _run(tmp_path, "--fix")
    assert not (tmp_path / ".dockerignore").exists()
    assert "check first that the image does not need `data`" in out.stdout
    _run(tmp_path, "--fix", "--unsafe-fixes")
    assert (tmp_path / ".dockerignore").read_text() == HEADER + "data\n.git\n**/.ipynb_checkpoints\n**/__pycache__\n"


def test_git_history_read_by_setuptools_scm_is_not_left_out_safely(tmp_path):
    _project(tmp_path, setup='[build-system]\nrequires = ["setuptools", "setuptools_scm"]\n')
    _run(tmp_path, "--fix")
    assert not (tmp_path / ".dockerignore").exists()


def test_an_existing_dockerignore_is_never_rewritten(tmp_path):
    _project(tmp_path)
    mine = b"# mine\r\n.venv\r\n"
    (tmp_path / ".dockerignore").write_bytes(mine)
    out = _run(tmp_path, "--fix", "-f", "json")
    assert (tmp_path / ".dockerignore").read_bytes() == mine
    findings = [f for f in json.loads(out.stdout)["findings"] if f["rule"] == "CACHE002"]
    assert findings and findings[0]["fix"] is None
    assert "add to `.dockerignore`" in findings[0]["message"]


def test_a_line_that_would_exclude_a_copied_file_is_left_out(tmp_path):
    _project(tmp_path)
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "COPY notebooks/.ipynb_checkpoints/ /checkpoints/\n")
    out = _run(tmp_path, "-f", "json")
    fix = next(f["fix"] for f in json.loads(out.stdout)["findings"] if f["rule"] == "CACHE002")
    assert fix["file"] == ".dockerignore" and fix["safe"] is True
    assert fix["edits"][0]["replacement"] == HEADER + ".git\n**/__pycache__\n"
    assert os.listdir(tmp_path).count(".dockerignore") == 0


def test_a_secret_joins_the_one_proposed_file_and_makes_it_unsafe(tmp_path):
    _project(tmp_path)
    (tmp_path / ".env").write_text("API_KEY=replace-me\n")
    out = _run(tmp_path, "-f", "json")
    fixes = {f["rule"]: f["fix"] for f in json.loads(out.stdout)["findings"] if f["rule"] in ("CACHE002", "CACHE003")}
    assert fixes["CACHE002"] == fixes["CACHE003"] and fixes["CACHE003"]["safe"] is False
    assert fixes["CACHE003"]["edits"][0]["replacement"] == HEADER + ".git\n**/.ipynb_checkpoints\n**/__pycache__\n.env\n"
    _run(tmp_path, "--fix")
    assert not (tmp_path / ".dockerignore").exists()
    out = _run(tmp_path, "--fix", "--unsafe-fixes")
    assert (tmp_path / ".dockerignore").read_text().endswith("**/__pycache__\n.env\n")
    assert "fixed 2 problems in 1 file" in out.stderr
