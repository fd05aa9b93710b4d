"""docs/migrating-from-hadolint.md as a hadolint user would try it: its command lines run, and its
.hadolint.yaml and its [tool.dockerlint] table mean the same thing (the same findings, the same
exit status, each key doing what the page says)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from test_docs_snippets import BIN, REPO, by_content

PAGE = REPO / "docs" / "migrating-from-hadolint.md"
DOCKERFILE = """\
FROM untrusted.example.org/base:1.0 AS build
RUN echo build
FROM python:latest
LABEL maintainer="ops@example.com" org.opencontainers.image.version="1.0" extra="x"
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN echo $HOME
RUN echo two
"""


def lint(cwd: Path, *args: str) -> tuple[int, list[tuple[str, int, str]], str]:
    done = subprocess.run([sys.executable, "-m", "dockerlint", "-f", "json", *args, "Dockerfile"], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    found = sorted((f["rule"], f["line"], f["severity"]) for f in json.loads(done.stdout)["findings"])
    return done.returncode, found, done.stderr


def test_the_page_is_in_the_snippet_tests():
    assert PAGE in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def test_the_hadolint_yaml_and_the_toml_table_mean_the_same(tmp_path):
    yaml_dir, toml_dir = tmp_path / "yaml", tmp_path / "toml"
    for d in (yaml_dir, toml_dir):
        d.mkdir()
        (d / "Dockerfile").write_text(DOCKERFILE)
    (yaml_dir / ".hadolint.yaml").write_text(by_content("yaml", "# .hadolint.yaml"))
    (toml_dir / "pyproject.toml").write_text(by_content("toml", 'ignore = ["DL3008", "SC2086"]'))
    code_yaml, from_yaml, err = lint(yaml_dir)
    assert err == ""
    code_toml, from_toml, _ = lint(toml_dir)
    assert (code_yaml, from_yaml) == (code_toml, from_toml)
    rules = {rule: (line, level) for rule, line, level in from_yaml}
    assert "DL3008" not in rules and "SC2086" not in rules  # ignored
    assert rules["DL3007"] == (3, "error")  # override.error
    assert rules["DL3026"][0] == 1  # trustedRegistries: the untrusted FROM
    assert rules["DL3059"] == (7, "style")  # override.style
    assert "DL3058" not in rules and any(r == "DL3050" for r, *_ in from_yaml)  # label-schema, strict-labels
    assert code_yaml == 1  # failure-threshold warning: the error fails the run


def test_the_command_lines_run(tmp_path):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}
    lines = [line for line in by_content("sh", "dockerlint --ignore DL3008").splitlines() if line.strip()]
    codes = []
    for line in lines:
        done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=120)
        assert "error:" not in done.stderr and "Traceback" not in done.stderr, (line, done.stderr)
        codes.append(done.returncode)
    assert codes == [1, 1, 0, 0, 0]  # the last: no finding reaches HADOLINT_FAILURE_THRESHOLD=error
    assert json.loads((tmp_path / "dockerlint.sarif").read_text())["version"] == "2.1.0"


def test_hadolint_json_keeps_hadolints_shape_and_a_hadolint_yaml_json_means_it(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM debian:12.7\nRUN echo $HOME\n")
    done = subprocess.run([sys.executable, "-m", "dockerlint", "-f", "hadolint-json", "--select", "SC2086",
                           "Dockerfile"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    expected = [{"code": "SC2086", "column": 10, "file": "Dockerfile", "level": "info", "line": 2,
                 "message": "Double quote to prevent globbing and word splitting."}]
    assert json.loads(done.stdout) == expected
    assert list(json.loads(done.stdout)[0]) == ["code", "column", "file", "level", "line", "message"]
    (tmp_path / ".hadolint.yaml").write_text("format: json\nignored: [DL3059]\n")
    done = subprocess.run([sys.executable, "-m", "dockerlint", "--select", "SC2086", "Dockerfile"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert json.loads(done.stdout) == expected


def test_verbose_names_the_hadolint_yaml_a_dockerlint_config_shadows(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM debian\n")
    (tmp_path / "app" / ".hadolint.yaml").write_text("ignored: [DL3006]\n")
    (tmp_path / ".dockerlint.toml").write_text('ignore = ["DL3007"]\n')
    done = subprocess.run([sys.executable, "-m", "dockerlint", "-v", "-q", "-f", "gnu", "app/Dockerfile"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert f"dockerlint: {tmp_path / 'app' / '.hadolint.yaml'} is not read: {tmp_path / '.dockerlint.toml'} " \
           "applies (a dockerlint config wins over hadolint's)" in done.stderr.splitlines()
    assert "[DL3006]" in done.stdout  # the .hadolint.yaml's ignore is indeed not applied
    done = subprocess.run([sys.executable, "-m", "dockerlint", "-q", "app/Dockerfile"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert "is not read" not in done.stderr  # said under -v only
