"""DL3067: COPY of a whole stage's file system."""
from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL3067", name="copy-whole-filesystem", severity=Severity.WARNING, category="performance",
      on=("COPY",))
def copy_whole_filesystem(df: Dockerfile) -> Iterator[Finding]:
    """Do not copy an entire file system from another stage: copy what the image needs.

    Why: `COPY --from=builder / /` drags the builder's compilers, caches and
    package lists into the image, undoing what the multi-stage build was for.

    Bad:
        FROM python:3.12 AS builder
        RUN pip wheel --wheel-dir /wheels numpy==2.1.1
        FROM python:3.12-slim
        COPY --from=builder / /
    Good:
        FROM python:3.12 AS builder
        RUN pip wheel --wheel-dir /wheels numpy==2.1.1
        FROM python:3.12-slim
        COPY --from=builder /wheels /wheels

    Note: `/`, `/.` and `/*` count as the whole file system; `FROM scratch`
    images assembled from one stage (`FROM scratch` + `COPY --from=x / /`) are
    reported too, since the same bloat ships. Unlike hadolint, copying a whole
    *image* (`COPY --from=docker/compose-bin / /`, an image made to be copied
    whole) is not reported. The destination does not matter (`COPY
    --from=build / /app` ships the same bloat; hadolint reports only `/`).
    """
    for instr in df.walk():
        spec = instr.copy
        if instr.keyword != "COPY" or spec is None or spec.from_stage is None:
            continue  # an image built FROM scratch to be copied whole (a tools image) is its own business
        for source in spec.sources:
            value = source.value
            if value is not None and posixpath.normpath(value.rstrip("*") or "/") == "/":
                yield instr.finding("Do not copy an entire filesystem from another stage", span=source.span)
                break
