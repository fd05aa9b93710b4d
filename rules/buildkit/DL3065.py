"""DL3065 / RedundantTargetPlatform: `FROM --platform=$TARGETPLATFORM`."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL3065", name="redundant-target-platform", severity=Severity.INFO, category="style",
      on=("FROM",), buildkit="RedundantTargetPlatform")
def redundant_target_platform(df: Dockerfile) -> Iterator[Finding]:
    """Drop `--platform=$TARGETPLATFORM` from FROM: it is the default.

    Why: every stage is built for the target platform unless it says
    otherwise; spelling it out adds noise and hides the stages that really
    differ (`--platform=$BUILDPLATFORM`).

    Bad:
        FROM --platform=$TARGETPLATFORM python:3.12-slim
    Good:
        FROM python:3.12-slim

    Note: as BuildKit: only when TARGETPLATFORM is the one variable used and
    the value is exactly the target platform (`${TARGETPLATFORM:-linux/amd64}`
    counts; `$TARGETPLATFORM$SUFFIX` does not).
    References:
    - https://docs.docker.com/reference/build-checks/redundant-target-platform/
    """
    for stage in df.stages:
        platform = stage.platform
        if platform is None or set(platform.names) != {"TARGETPLATFORM"} or platform.undefined:
            continue
        target = df.global_scope.vars.get("TARGETPLATFORM")
        if target is not None and platform.value == target:
            yield stage.from_.finding(f"Setting platform to predefined {platform.raw} in FROM is redundant as "
                                      "this is the default behavior")
