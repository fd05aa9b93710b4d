"""Which build context a Dockerfile is linted with when none is given (--context, config `context`)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dockerlint.discover import implied_context

# CACHE004 reports a missing source only where another source is found (else the context is not this one)
DOCKERFILE = "FROM python:3.12.7-slim\nWORKDIR /app\nCOPY Dockerfile.gpu ./\nCOPY src/ ./src/\n"


def _rules(path, *args) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "dockerlint", "-f", "json", "--select", "CACHE004", *args,
                             str(path)], capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    return [f["rule"] for f in json.loads(result.stdout)["findings"]]


def test_a_project_directory_is_the_context_and_a_missing_copy_source_is_reported(tmp_path):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "Dockerfile.gpu").write_text(DOCKERFILE)
    (tmp_path / "README.md").write_text("a project without src/\n")
    assert implied_context(str(tmp_path / "Dockerfile")) == str(tmp_path)
    assert _rules(tmp_path / "Dockerfile") == ["CACHE004"]


@pytest.mark.parametrize("others", [[], ["MANIFEST.tsv"]])
def test_a_folder_of_dockerfiles_is_not_their_context(tmp_path, others):
    # docker/Dockerfile.cpu beside docker/Dockerfile.gpu (built with `-f docker/... .`), or a
    # collection of Dockerfiles: the real context is elsewhere, so context rules stay silent.
    for name in ["Dockerfile.cpu", "Dockerfile.gpu", *[f"app{i}.Dockerfile" for i in range(8)]]:
        (tmp_path / name).write_text(DOCKERFILE)
    for name in others:
        (tmp_path / name).write_text("listing\n")
    assert implied_context(str(tmp_path / "Dockerfile.cpu")) is None
    assert _rules(tmp_path / "Dockerfile.cpu") == []
    # --context says where the context is: then it is read
    (tmp_path / "ctx").mkdir()
    (tmp_path / "ctx" / "Dockerfile.gpu").write_text(DOCKERFILE)
    assert _rules(tmp_path / "Dockerfile.cpu", "--context", str(tmp_path / "ctx")) == ["CACHE004"]


def test_a_single_dockerfile_alone_is_its_own_context(tmp_path):
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    assert implied_context(str(tmp_path / "Dockerfile")) == str(tmp_path)


def test_a_subdirectory_makes_it_a_project(tmp_path):
    for name in ["Dockerfile", "Dockerfile.gpu"]:
        (tmp_path / name).write_text(DOCKERFILE)
    (tmp_path / "tests").mkdir()
    assert implied_context(str(tmp_path / "Dockerfile")) == str(tmp_path)
    assert _rules(tmp_path / "Dockerfile") == ["CACHE004"]
