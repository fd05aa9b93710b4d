"""DL3059: consecutive RUN instructions that could be one."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile, Instr
from dockerlint.rule import rule


@rule(id="DL3059", name="consecutive-run", severity=Severity.INFO, category="performance", on=("RUN",))
def consecutive_run(df: Dockerfile) -> Iterator[Finding]:
    """Multiple consecutive `RUN` instructions. Consider consolidation.

    Why: every RUN is a layer; two short RUNs in a row (`RUN apt-get update`
    then `RUN apt-get install`) cost a layer each and can serve a stale cache
    for the first one.

    Bad:
        RUN apt-get update
        RUN apt-get install -y --no-install-recommends curl
    Good:
        RUN apt-get update && apt-get install -y --no-install-recommends curl

    Note: as hadolint: RUNs with different flags (`--mount`, `--network`) are
    separate on purpose, and a RUN that chains commands (`a && b`, `a; b`) was
    split deliberately, so neither is reported (only two single-command RUNs
    in a row are); comments between RUNs do not separate them. Unlike
    hadolint (#805), a heredoc RUN is a script of its own: it is never told to
    merge, and it separates the RUNs around it.
    """
    previous: Instr | None = None
    for instr in df.instructions:
        if instr.keyword != "RUN" or instr.run is None or instr.run.heredocs:
            previous = None
            continue
        if (previous is not None and _flags(previous) == _flags(instr)
                and _count(previous) == 1 and _count(instr) == 1):
            yield instr.finding("Multiple consecutive `RUN` instructions. Consider consolidation "
                                f"with the RUN on line {previous.line}", span=instr.keyword_span)
        previous = instr


def _flags(instr: Instr) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((f.name, f.value or "") for f in instr.flags))


def _count(instr: Instr) -> int:
    return sum(1 for c in instr.commands if c.wrapper is None)
