"""DL3003: `cd` in RUN instead of WORKDIR."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL3003", name="use-workdir", severity=Severity.WARNING, category="maintainability", on=("RUN",))
def use_workdir(df: Dockerfile) -> Iterator[Finding]:
    """Use WORKDIR to switch to a directory, not `cd` in RUN.

    Why: a `cd` lasts for one RUN only; the next instruction runs in the old
    directory again, which is how `COPY . .` ends up somewhere nobody expected.
    WORKDIR states the directory once, for every later instruction and for the
    container.

    Bad:
        RUN cd /app && pip install --no-cache-dir .
    Good:
        WORKDIR /app
        RUN pip install --no-cache-dir .

    Note: as hadolint, any `cd` in a RUN (heredoc scripts included); a `cd`
    inside a subshell or a function is reported too, since dockerlint does not
    judge the intent.
    """
    for run in df.walk():
        if run.keyword != "RUN":
            continue
        for cmd in run.commands:
            if cmd.program == "cd":
                yield run.finding("Use WORKDIR to switch to a directory", span=cmd.argv[0].span)
