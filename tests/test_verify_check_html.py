"""`dockerlint check --verify-build -f html`: the audit page from the lint command too."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest


def dockerlint(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dockerlint", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "NO_COLOR": "1"}, timeout=300)


def test_html_without_verify_build_is_a_usage_error(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    result = dockerlint("check", "-f", "html", tmp_path / "Dockerfile")
    assert result.returncode == 2 and "-f html needs --verify-build" in result.stderr and result.stdout == ""


@pytest.mark.docker
def test_check_verify_build_writes_the_audit_page(base_image, tmp_path):
    (tmp_path / "Dockerfile").write_text("ARG BASE=dockerlint-test-base\nFROM ${BASE}\nRUN date +%s > /stamp\n")
    page = tmp_path / "audit.html"
    result = dockerlint("check", "--verify-build", "--builder", "classic", "--build-arg", f"BASE={base_image}",
                        "-f", "html", "-o", page, "-f", "tty", tmp_path / "Dockerfile")
    assert result.returncode == 1, result.stderr
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and "not reproducible" in html and "REPRO-CONTENT" in html
    assert "verdict: not reproducible" in result.stdout
