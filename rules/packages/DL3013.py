"""DL3013: pip packages installed without a version."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import unpinned_findings


@rule(id="DL3013", name="pip-pin-versions", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",))
def pip_pin_versions(df: Dockerfile) -> Iterator[Finding]:
    """Pin versions in pip: `pip install <package>==<version>`, or install from a requirements file.

    Why: `pip install torch` resolves to the newest release at build time;
    next month's rebuild gets another torch (and another CUDA runtime with it)
    without any change to the Dockerfile.

    Bad:
        RUN pip install --no-cache-dir flask gunicorn
    Good:
        RUN pip install --no-cache-dir flask==3.0.3 gunicorn==22.0.0
        # or, with the pins in a file:
        RUN pip install --no-cache-dir -r requirements.txt

    Note: also checks `pip3`, `python -m pip`, `uv pip install`,
    `ONBUILD RUN` and exec form (`RUN ["pip", "install", ...]`,
    `RUN ["sh", "-c", ...]`). Any version specifier counts as a pin (`==`, `~=`, `>=`,
    `<`, as hadolint); so do VCS URLs with `@ref`, direct URLs, local paths,
    wheels and `.` / `-e .`. A command using `-c/--constraint` is skipped (the
    constraints may pin everything); with `-r`, only the packages named on the
    command line are checked. Arguments that cannot be resolved are skipped.
    Exclusions alone are no pin: `pip install 'alabaster!=0.7'` still takes
    every new release, so it is reported (hadolint accepts it).
    """
    return unpinned_findings(df, ("pip", "uv"), _command, _pin_hint)


def _command(pc) -> str | None:
    """``pip install`` and ``uv pip install`` are judged; project tools (``uv add``) have lock files."""
    if pc.subcommand == "install" and pc.manager == "pip":
        return "pip install"
    return "uv pip install" if pc.subcommand == "pip install" else None


def _pin_hint(requirement: str) -> str:
    if "://" in requirement:
        url, _, fragment = requirement.partition("#")
        return f"pin a tag or commit: `{url}@<ref>{'#' + fragment if fragment else ''}`"
    name = re.split(r"[\s;<>=!~]", requirement, maxsplit=1)[0] or requirement
    return f"use `{name}==<version>` or a requirements file"
