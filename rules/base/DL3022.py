"""DL3022: COPY --from naming no earlier stage."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL3022", name="copy-from-known-stage", severity=Severity.WARNING, category="correctness", on=("COPY",))
def copy_from_known_stage(df: Dockerfile) -> Iterator[Finding]:
    """`COPY --from` should reference a previously defined FROM alias.

    Why: a `--from` that names no earlier stage is read as an image name:
    `COPY --from=biulder /app /app` tries to pull an image called `biulder`
    from Docker Hub, and a stage defined later is not built first.

    Bad:
        FROM python:3.12-slim
        COPY --from=builder /wheels /wheels
    Good:
        FROM python:3.12 AS builder
        RUN pip wheel --wheel-dir /wheels numpy==2.1.1
        FROM python:3.12-slim
        COPY --from=builder /wheels /wheels

    Note: unlike hadolint, an explicit image reference (with a tag, digest or
    registry: `--from=nginx:1.27`, `--from=ghcr.io/org/tool`) and the index of
    an earlier stage (`--from=0`) are what Docker documents, so they are not
    reported; a bare name that is no earlier stage is, with the reason (a
    later stage, or an image pulled under that name).
    """
    for instr in df.walk():
        spec = instr.copy
        if instr.keyword != "COPY" or spec is None or spec.from_ is None:
            continue
        name = spec.from_
        target = spec.from_stage
        here = instr.stage.index if instr.stage is not None else -1  # before any FROM: every stage is later
        if target is not None and target.index < here:
            continue
        if "$" in name or (target is None and (name.isdigit() or any(c in name for c in ":/@"))):
            continue  # a variable, an index (out of range is BuildKit's error), or an explicit image
        if target is not None and target.index == here:
            continue  # DL3023
        why = (f"stage `{name}` is defined later, on line {target.from_.line}" if target is not None
               else f"no stage is called `{name}`: unless the build is given a context of that name "
                    f"(`--build-context {name}=…`), BuildKit pulls an image called `{name}`")
        flag = instr.flag("from")
        yield instr.finding(f"COPY --from should reference a previously defined FROM alias: {why}",
                            span=flag.span if flag is not None else instr.span)
