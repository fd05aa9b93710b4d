"""Version pins for system and Python packages installed in RUN.

One module because the mechanism is one: find the install commands of a
package manager in every RUN (ONBUILD included), classify each package
argument, report the command when some are unpinned.
"""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.rule import rule
from dockerlint.rules._common import runs, summarize
from dockerlint.rules.packages._installers import (
    UNPINNED,
    apt_install,
    apt_package_state,
    pip_install,
    pip_requirement_words,
)


@rule(id="DL3008", name="apt-get-pin-versions", severity=Severity.WARNING, category="reproducibility")
def apt_get_pin_versions(df) -> Iterator[Finding]:
    """Pin versions in `apt-get install`: `apt-get install <package>=<version>`.

    Why: without a version, `apt-get install curl` installs whatever the
    mirror serves on the day of the build, so two builds a month apart differ
    and a rebuild can break. A pin makes the drift visible: the build fails
    loudly when the version leaves the archive instead of changing silently.

    Bad:
        RUN apt-get update && apt-get install -y --no-install-recommends curl
    Good:
        RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8

    Note: `.deb` files and `pkg/release` (as hadolint) count as pinned; the
    value of `-t/--target-release` is not a package. A package list held in a
    variable that cannot be resolved (`apt-get install $DEPS` with `DEPS` set
    by the shell) is not reported: dockerlint never guesses. `apt` and
    `aptitude` installs are checked too, in exec-form RUN as well.
    """
    for run in runs(df):
        for cmd in run.commands:
            install = apt_install(cmd)
            if install is None:
                continue
            unpinned = [w for w in install.packages if apt_package_state(w.value) == UNPINNED]
            if unpinned:
                names = [w.value for w in unpinned]
                yield run.finding(
                    f"Pin versions in {install.program} install: {summarize(names)} "
                    f"(use `{names[0]}=<version>`)",
                    span=unpinned[0].span,
                )


@rule(id="DL3013", name="pip-pin-versions", severity=Severity.WARNING, category="reproducibility")
def pip_pin_versions(df) -> Iterator[Finding]:
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
