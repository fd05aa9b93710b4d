"""DL3061: a Dockerfile that does not begin with FROM or ARG."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL3061", name="begin-with-from", severity=Severity.ERROR, category="correctness")
def begin_with_from(df: Dockerfile) -> Iterator[Finding]:
    """Invalid instruction order: a Dockerfile must begin with `FROM`, `ARG` or a comment.

    Why: BuildKit refuses any other instruction before the first FROM (only
    global ARGs may come before it), so the file does not build.

    Bad:
        ARG VERSION=3.20
        RUN echo hello
        FROM alpine:$VERSION
    Good:
        ARG VERSION=3.20
        FROM alpine:$VERSION
        RUN echo hello
    """
    for instr in df.instructions:
        if instr.keyword == "FROM":
            return
        if instr.keyword != "ARG":
            yield instr.finding(f"Invalid instruction order: `{instr.keyword}` before the first FROM "
                                "(a Dockerfile must begin with FROM, ARG or a comment)", span=instr.keyword_span)
            return
