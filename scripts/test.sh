#!/usr/bin/env bash
# Set up a virtual environment in .venv, lint and type-check the code (ruff, mypy) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[dev]'
.venv/bin/ruff check --quiet .
.venv/bin/mypy
exec .venv/bin/python -m pytest -q "$@"
