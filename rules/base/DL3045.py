"""DL3045: COPY to a relative destination with no WORKDIR set."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile, Instr
from dockerlint.rule import rule


@rule(id="DL3045", name="copy-relative-without-workdir", severity=Severity.WARNING, category="correctness",
      on=("COPY",))
def copy_relative_without_workdir(df: Dockerfile) -> Iterator[Finding]:
    """`COPY` to a relative destination without `WORKDIR` set.

    Why: a relative destination is relative to the base image's working
    directory, which you did not choose and which changes between images
    (`/` in debian, `/app` or `/home/jovyan` elsewhere): the files land
    somewhere else when the base changes.

    Bad:
        FROM python:3.12-slim
        COPY requirements.txt .
    Good:
        FROM python:3.12-slim
        WORKDIR /app
        COPY requirements.txt .

    Note: as hadolint, a WORKDIR earlier in the stage or in a stage it is built
    FROM counts (for an `ONBUILD COPY`, an earlier `ONBUILD WORKDIR` too);
    absolute (`/x`, `C:\\x`) and variable destinations are not judged.
    """
    for instr in df.walk():
        spec = instr.copy
        if instr.keyword != "COPY" or spec is None or spec.dest is None:
            continue
        dest = spec.dest.raw.strip("\"'")
        if dest.startswith(("/", "$")) or dest[1:3] in (":\\", ":/"):
            continue
        if not _workdir_before(df, instr):
            yield instr.finding("COPY to a relative destination without WORKDIR set: "
                                f"`{spec.dest.raw}` depends on the base image's working directory",
                                span=spec.dest.span)


def _workdir_before(df: Dockerfile, instr: Instr) -> bool:
    """A WORKDIR before ``instr`` in its stage or anywhere in the stages it is built FROM.

    An ONBUILD COPY also counts an earlier ONBUILD WORKDIR of its stage (both run
    in the child build, in order). Instructions before any FROM (no stage: a
    build error, judged as hadolint does) count the WORKDIRs before them.
    """
    trigger = instr.parent
    index = trigger.index if trigger is not None else instr.index
    stage = instr.stage
    if stage is None:
        return any(i.keyword == "WORKDIR" and i.stage is None and i.index < index for i in df.instructions)
    for s in stage.chain:
        for i in s.instructions:
            if s is stage and i.index >= index:
                break
            if i.keyword == "WORKDIR" or (trigger is not None and s is stage and i.onbuild is not None
                                          and i.onbuild.keyword == "WORKDIR"):
                return True
    return False
