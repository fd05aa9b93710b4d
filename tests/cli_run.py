"""The dockerlint command run in this process (fast, no subprocess), as a user would see it."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from click.testing import CliRunner

from dockerlint.cli import main


def run_cli(*args: object, cwd: Path | None = None, input: bytes | str | None = None) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``dockerlint ARGS`` run in ``cwd`` (``input`` on stdin)."""
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with CliRunner().isolation(input=input) as (out, err, *_):
            code = main([str(a) for a in args])
            sys.stdout.flush()
            sys.stderr.flush()
            return code, out.getvalue().decode(), err.getvalue().decode()
    finally:
        os.chdir(old)
