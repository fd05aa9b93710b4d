#!/usr/bin/env bash
# Set up a virtual environment in .venv, lint the code (ruff) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[dev]'
.venv/bin/ruff check --quiet .
exec .venv/bin/python -m pytest -q "$@"
