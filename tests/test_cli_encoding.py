"""Dockerfiles that are not valid UTF-8 still give valid UTF-8 reports, whatever the locale."""
import json
import os
import subprocess
import sys

import pytest

FORMATS = ["tty", "json", "sarif", "gitlab", "gnu", "github", "checkstyle", "junit"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_invalid_utf8_in_a_dockerfile_gives_a_utf8_report(tmp_path, fmt):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_bytes(b"FROM python:latest\nRUN pip install caf\xe9\n")
    env = dict(os.environ, PYTHONIOENCODING="utf-8:strict", NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "dockerlint", "-f", fmt, str(dockerfile)],
                          capture_output=True, env=env, check=False)
    assert proc.returncode == 1, proc.stderr.decode(errors="replace")
    text = proc.stdout.decode("utf-8")  # raises if the report is not UTF-8
    assert "DL3042" in text
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(text)
