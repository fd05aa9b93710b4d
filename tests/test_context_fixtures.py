"""The data-science fixture (fixtures/contexts/ds-churn-api): the bad project's findings, the fixed
one's silence, and the README block that shows the bad one's report, byte for byte."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "fixtures" / "contexts" / "ds-churn-api"
SIZES = {"data/customers.csv": 52_000_000, "models/model.pkl": 3_000_000}  # what the stand-ins stand for


def _sized_copy(tmp_path: Path) -> Path:
    root = tmp_path / "churn"
    shutil.copytree(APP, root)
    for rel, size in SIZES.items():
        os.truncate(root / rel, size)
    return root


def _lint(root: Path, dockerfile: str) -> tuple[int, list[tuple[str, str, int]]]:
    out = subprocess.run([sys.executable, "-m", "dockerlint", "check", "-f", "json", dockerfile],
                         capture_output=True, text=True, cwd=root)
    return out.returncode, sorted((f["rule"], f["file"], f["line"]) for f in json.loads(out.stdout)["findings"])


def test_the_bad_project_gets_what_costs_it(tmp_path):
    code, found = _lint(_sized_copy(tmp_path), "Dockerfile")
    assert found == sorted([
        ("CACHE001", "Dockerfile", 7), ("CACHE002", "Dockerfile", 7), ("CACHE003", "Dockerfile", 7),
        ("DL3025", "Dockerfile", 10), ("DL3042", "Dockerfile", 8),
        *(("REPRO001", "requirements.txt", n) for n in range(1, 6)),
    ])
    assert code == 1


def test_the_fixed_project_is_clean(tmp_path):
    assert _lint(_sized_copy(tmp_path), "Dockerfile.fixed") == (0, [])


def test_the_readme_shows_the_bad_projects_report(tmp_path):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    fence = "```sh\n"
    start = text.index("fixtures/contexts/ds-churn-api\" churn")
    command_start = text.rindex(fence, 0, start) + len(fence)
    command = text[command_start:text.index("```\n", command_start)]
    shown = text[text.index("```\n", command_start) + 4:].split("```\n", 2)[1]
    if Path(sys.prefix).resolve() != (REPO / ".venv").resolve():
        pytest.skip("runs the checkout's own .venv/bin/dockerlint (as scripts/test.sh makes it)")
    result = subprocess.run(["bash", "-c", command], cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "TMPDIR": str(tmp_path)})
    assert result.returncode == 1, result.stderr
    assert result.stdout == shown
