"""DL3029: FROM --platform pinned to one platform."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# The platforms BuildKit sets per build: using them keeps the file multi-platform.
_BUILD_VARIABLES = ("$BUILDPLATFORM", "${BUILDPLATFORM}")


@rule(id="DL3029", name="no-from-platform", severity=Severity.WARNING, category="correctness", on=("FROM",))
def no_from_platform(df: Dockerfile) -> Iterator[Finding]:
    """Do not use the `--platform` flag with FROM; choose the platform with `docker build --platform`.

    Why: `FROM --platform=linux/amd64` pins every build to one architecture:
    on an arm64 laptop or a Graviton node it runs under emulation (10x
    slower) or fails, while `docker build --platform` leaves the choice to
    whoever builds.

    Bad:
        FROM --platform=linux/amd64 python:3.12-slim
    Good:
        FROM python:3.12-slim

    Note: unlike hadolint, `--platform=$BUILDPLATFORM` is not reported: it is
    Docker's documented cross-compilation idiom (the builder stage runs
    natively and compiles for `$TARGETPLATFORM`). `--platform=$TARGETPLATFORM`
    is redundant (BuildKit's RedundantTargetPlatform, DL3065).
    """
    for stage in df.stages:
        flag = stage.from_.flag("platform")
        if flag is None or not flag.value:
            continue
        if flag.value.strip() in _BUILD_VARIABLES or "TARGETPLATFORM" in flag.value:
            continue
        yield stage.from_.finding(f"Do not use --platform flag with FROM: `{flag.value}` pins the platform",
                                  span=flag.span)
