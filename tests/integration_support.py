"""Helpers for the integration tests (pre-commit hook, GitHub Action): the real CLI, as a command."""
from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BAD = "FROM python:latest\n"  # DL3007: a warning
GOOD = 'FROM python:3.12.7-slim-bookworm\nUSER 10001\nCMD ["python", "-V"]\n'


def dockerlint_command(tmp_path: Path) -> str:
    """An executable that runs this checkout's dockerlint with the test's interpreter
    (the console script may not be on PATH, e.g. under `.venv/bin/python -m pytest`)."""
    wrapper = tmp_path / "bin" / "dockerlint"
    wrapper.parent.mkdir(parents=True, exist_ok=True)
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m dockerlint "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return str(wrapper)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment minus anything a CI runner sets that would change the outcome."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GITHUB_", "INPUT_", "RUNNER_", "DOCKERLINT", "PRE_COMMIT"))}
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env

