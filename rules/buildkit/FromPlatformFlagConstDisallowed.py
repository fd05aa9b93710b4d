"""FromPlatformFlagConstDisallowed: `FROM --platform=linux/amd64 ...`."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.buildkit._platform import parse_platform


@rule(id="FromPlatformFlagConstDisallowed", name="from-platform-flag-const-disallowed",
      severity=Severity.WARNING, category="correctness", on=("FROM",),
      buildkit="FromPlatformFlagConstDisallowed", hadolint=())
def from_platform_flag_const_disallowed(df: Dockerfile) -> Iterator[Finding]:
    """Do not hard-code `FROM --platform`: use `$BUILDPLATFORM` or `$TARGETPLATFORM`.

    Why: a constant platform builds the same architecture whatever
    `docker build --platform` asks for, so a multi-platform build silently
    ships an amd64 image labelled arm64 (or runs everything under emulation).

    Bad:
        FROM --platform=linux/amd64 python:3.12-slim
    Good:
        FROM --platform=$BUILDPLATFORM python:3.12-slim

    Note: as BuildKit: silent when the value uses any variable, when it is
    not a valid platform (the build fails on it anyway), and when the stage
    name contains the platform's OS or architecture (`AS build-arm64`
    deliberately builds for arm64).
    References:
    - https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/
    """
    for stage in df.stages:
        platform = stage.platform
        if platform is None or platform.names or platform.value is None:
            continue
        parsed = parse_platform(platform.value)
        if parsed is None:
            continue
        name = stage.name or ""
        if parsed.os in name or (parsed.architecture and parsed.architecture in name):
            continue
        yield stage.from_.finding(f'FROM --platform flag should not use constant value "{platform.value}"')
