"""DL3024 / DuplicateStageName: two stages with the same name."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL3024", name="duplicate-stage-name", severity=Severity.ERROR, category="correctness",
      on=("FROM",), buildkit="DuplicateStageName", trivy=("DS012",), checkov=("CKV_DOCKER_11",))
def duplicate_stage_name(df: Dockerfile) -> Iterator[Finding]:
    """Give every stage a name of its own.

    Why: `COPY --from=NAME` and `FROM NAME` take the nearest earlier stage
    of that name, and `--target NAME` the first; with two stages of one
    name, which one a reference means depends on where it is written.

    Bad:
        FROM python:3.12-slim AS build
        FROM python:3.12-slim AS build
    Good:
        FROM python:3.12-slim AS build
        FROM python:3.12-slim AS test

    Note: names are compared case-insensitively, as BuildKit resolves them
    (`AS Build` and `AS build` are duplicates). Reported on each later FROM.
    hadolint's DL3024 and BuildKit's DuplicateStageName are this one rule.
    References:
    - https://docs.docker.com/reference/build-checks/duplicate-stage-name/
    - https://github.com/hadolint/hadolint/wiki/DL3024
    """
    seen: set[str] = set()
    for stage in df.stages:
        if stage.name is None:
            continue
        if stage.name in seen:
            yield stage.from_.finding(f'Duplicate stage name "{stage.name}", stage names should be unique')
        seen.add(stage.name)
