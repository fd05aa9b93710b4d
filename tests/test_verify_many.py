"""`dockerlint verify DIR`: every Dockerfile the lint finds there, then one table of verdicts."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockerlint.verify.command import run_many


def tree(root: Path) -> Path:
    """Three Dockerfiles as the lint discovery finds them (one in node_modules is skipped)."""
    for rel, text in {
        "same/Dockerfile": "ARG BASE=dockerlint-test-base\nFROM ${BASE}\nRUN echo same > /same && touch -d @1700000000 /same\n",
        "stamp/app.Dockerfile": "ARG BASE=dockerlint-test-base\nFROM ${BASE}\nRUN date +%s > /stamp\n",
        "broken/Dockerfile": "ARG BASE=dockerlint-test-base\nFROM ${BASE}\nRUN false\n",
        "node_modules/x/Dockerfile": "FROM scratch\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def cli(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dockerlint", "verify", *map(str, args)], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


@pytest.mark.docker
def test_each_dockerfile_gets_its_report_and_one_table_sums_them_up(base_image, tmp_path):
    root = tree(tmp_path / "services")
    files = [str(root / p) for p in ("broken/Dockerfile", "same/Dockerfile", "stamp/app.Dockerfile")]
    tty, report, stderr = io.StringIO(), tmp_path / "r.json", io.StringIO()
    code = run_many(files, build_args={"BASE": base_image}, builder="classic",
                    outputs=[("tty", None), ("json", str(report))], stdout=tty, stderr=stderr)
    assert code == 2                                     # the worst: one build failed
    text = tty.getvalue()
    table = text.split("verdicts (3 Dockerfiles):\n", 1)[1].splitlines()
    assert table[0].split() == ["Dockerfile", "verdict", "findings", "exit"]
    rows = {line.split()[0]: line for line in table[1:4]}
    assert " error: build A failed at step 3/3 `RUN false`: " in rows[files[0]]
    assert rows[files[0]].endswith(" 2")
    assert "reproducible except metadata" in rows[files[1]] and rows[files[1]].endswith(" 0")
    assert "not reproducible" in rows[files[2]] and rows[files[2]].endswith(" 1")
    assert table[4] == "1 could not be checked, 1 reproducible except metadata, 1 not reproducible"
    assert text.count("verdict: ") == 2                  # each built file's own summary, above the table
    assert text.index(files[1]) < text.index(files[2]) < text.index("verdicts (")
    assert f"dockerlint: verify 1/3: {files[0]}\n" in stderr.getvalue()
    data = json.loads(report.read_text())
    assert data["files"] == files[1:]
    runs = data["extra"]["verify"]["runs"]
    assert [(r["path"], r["verdict"], r["exit_code"]) for r in runs] == [
        (files[0], "error", 2), (files[1], "reproducible except metadata", 0), (files[2], "not reproducible", 1)]
    assert runs[2]["verify"]["paths"][0]["path"] == "stamp"
    assert {(f["file"], f["rule"]) for f in data["findings"]} >= {(files[2], "REPRO-CONTENT")}


def test_the_cli_finds_the_dockerfiles_as_the_lint_does(tmp_path):
    root = tree(tmp_path / "services")
    result = cli(root, "-f", "json", env={"DOCKER_HOST": "unix:///nonexistent.sock"})
    assert result.returncode == 2
    runs = json.loads(result.stdout)["extra"]["verify"]["runs"]
    assert [r["path"] for r in runs] == [str(root / p) for p in
                                         ("broken/Dockerfile", "same/Dockerfile", "stamp/app.Dockerfile")]
    assert all(r["error"].startswith("cannot connect to the Docker daemon") for r in runs)


@pytest.mark.parametrize("argv, message", [
    (["--context", "."], "--context takes one Dockerfile, not a directory"),
    (["--against", "x.tar"], "--against takes one Dockerfile, not a directory"),
    (["--dump", "out"], "--dump takes one Dockerfile, not a directory"),
    (["-f", "html"], "-f html is one audit page for one Dockerfile"),
])
def test_options_for_one_dockerfile_are_refused_with_a_directory(tmp_path, argv, message):
    result = cli(tree(tmp_path / "services"), *argv)
    assert result.returncode == 2 and message in result.stderr and result.stdout == ""


def test_a_directory_without_dockerfiles_is_one_error_line(tmp_path):
    result = cli(tmp_path)
    assert result.returncode == 2
    assert result.stderr == (f"dockerlint: error: {tmp_path}: no Dockerfiles found (looked for Dockerfile, "
                             "Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile, Containerfile.*)\n")


def test_an_interrupted_run_stops_and_lists_the_rest_as_not_run(tmp_path, monkeypatch):
    from dockerlint.verify import command

    monkeypatch.setattr(command, "_attempt", lambda options, *a: command.Attempt(options.dockerfile, 130,
                                                                               error="interrupted"))
    tty, stderr = io.StringIO(), io.StringIO()
    code = run_many(["one/Dockerfile", "two/Dockerfile"], outputs=[("tty", None)], stdout=tty, stderr=stderr)
    assert code == 130
    assert stderr.getvalue() == "dockerlint: verify 1/2: one/Dockerfile\n"
    rows = tty.getvalue().split("verdicts (2 Dockerfiles):\n", 1)[1].splitlines()
    assert rows[1].split() == ["one/Dockerfile", "error:", "interrupted", "130"]
    assert rows[2].split() == ["two/Dockerfile", "not", "run"]
    assert rows[3] == "1 could not be checked, 1 not run"
