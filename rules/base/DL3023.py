"""DL3023: COPY --from of the stage it is in."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL3023", name="copy-from-self", severity=Severity.ERROR, category="correctness", on=("COPY",))
def copy_from_self(df: Dockerfile) -> Iterator[Finding]:
    """`COPY --from` cannot reference its own FROM alias.

    Why: a stage cannot copy from itself while it is being built; BuildKit
    fails with a circular dependency.

    Bad:
        FROM python:3.12 AS app
        COPY --from=app /src /dst
    Good:
        FROM python:3.12 AS build
        FROM python:3.12 AS app
        COPY --from=build /src /dst
    """
    for instr in df.walk():
        spec = instr.copy
        if instr.keyword != "COPY" or spec is None or spec.from_stage is None or instr.stage is None:
            continue
        if spec.from_stage.index == instr.stage.index and instr.parent is None:
            flag = instr.flag("from")
            yield instr.finding(f"COPY --from cannot reference its own FROM alias `{spec.from_}`",
                                span=flag.span if flag is not None else instr.span)
