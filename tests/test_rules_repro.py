"""The reproducibility profiles as a user selects them: in the config file, on the command line."""
from __future__ import annotations

import json
import subprocess
import sys

DOCKERFILE = "FROM python:3.12-slim\nRUN pip install flask==3.0.3\n"


def _ids(tmp_path, config: str | None = None, *args: str) -> set[str]:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    if config is not None:
        (tmp_path / ".dockerlint.toml").write_text(config)
    out = subprocess.run([sys.executable, "-m", "dockerlint", "check", "-f", "json", *args, "Dockerfile"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    return {f["rule"] for f in json.loads(out.stdout)["findings"]}


def test_strict_profile_in_the_config_turns_on_digests_and_pyc_timestamps(tmp_path):
    assert _ids(tmp_path) == {"DL3042"}
    assert _ids(tmp_path, 'extend-select = ["profile:strict"]\n') >= {"DL3042", "SEC011", "REPRO006"}


def test_default_profile_is_the_set_that_runs_without_a_selection(tmp_path):
    assert _ids(tmp_path, 'select = ["profile:default"]\n') == {"DL3042"}
    assert _ids(tmp_path, 'select = ["profile:default"]\n', "--extend-select", "REPRO006") == {"DL3042", "REPRO006"}
