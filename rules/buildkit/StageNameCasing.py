"""StageNameCasing: a stage name with upper-case letters."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="StageNameCasing", name="stage-name-casing", severity=Severity.WARNING, category="style",
      on=("FROM",), buildkit="StageNameCasing", hadolint=())
def stage_name_casing(df: Dockerfile) -> Iterator[Finding]:
    """Write stage names in lower case: `FROM python:3.12 AS builder`.

    Why: stage names are case-insensitive (`COPY --from=Builder` finds
    `builder`), so upper-case letters only suggest a difference that does
    not exist, and make the names look inconsistent next to each other.

    Bad:
        FROM python:3.12-slim AS BuildEnv
    Good:
        FROM python:3.12-slim AS build-env

    Note: BuildKit's StageNameCasing, reported on the FROM instruction.
    References:
    - https://docs.docker.com/reference/build-checks/stage-name-casing/
    """
    for stage in df.stages:
        name = stage.name_as_written
        if name is not None and name != name.lower():
            yield stage.from_.finding(f"Stage name '{name}' should be lowercase")
