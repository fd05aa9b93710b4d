"""DL3013: pip packages installed without a version."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import runs, summarize
from dockerlint.rules.packages._installers import UNPINNED, pip_install, pip_requirement_words


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
    """
    for run in runs(df):
        for cmd in run.commands:
            install = pip_install(cmd)
            if install is None or install.uses_constraints:
                continue
            unpinned = [(w, text) for w, state, text in pip_requirement_words(install) if state == UNPINNED]
            if unpinned:
                names = [text for _, text in unpinned]
                tool = "uv pip" if install.tool == "uv" else "pip"
                yield run.finding(
                    f"Pin versions in {tool} install: {summarize(names)} ({_pin_hint(names[0])})",
                    span=unpinned[0][0].span,
                )


def _pin_hint(requirement: str) -> str:
    if "://" in requirement:
        url, _, fragment = requirement.partition("#")
        return f"pin a tag or commit: `{url}@<ref>{'#' + fragment if fragment else ''}`"
    return f"use `{requirement}==<version>` or a requirements file"
