"""DL3063 / ReservedStageName: a stage named `scratch` or `context`."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

RESERVED = frozenset({"context", "scratch"})


@rule(id="DL3063", name="reserved-stage-name", severity=Severity.ERROR, category="correctness",
      on=("FROM",), buildkit="ReservedStageName")
def reserved_stage_name(df: Dockerfile) -> Iterator[Finding]:
    """Do not name a stage `scratch` or `context`.

    Why: `scratch` is the empty image and `context` the build context;
    `FROM scratch` or `COPY --from=context` would no longer mean what every
    reader expects.

    Bad:
        FROM python:3.12-slim AS scratch
    Good:
        FROM python:3.12-slim AS build

    Note: compared case-insensitively (BuildKit lower-cases stage names).
    References:
    - https://docs.docker.com/reference/build-checks/reserved-stage-name/
    """
    for stage in df.stages:
        if stage.name in RESERVED:
            yield stage.from_.finding(
                f'Stage name should not use the same name as reserved stage "{stage.name}"')
