"""NoEmptyContinuation: an empty line inside a continued instruction."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="NoEmptyContinuation", name="no-empty-continuation", severity=Severity.WARNING,
      category="syntax", buildkit="NoEmptyContinuation", hadolint=())
def no_empty_continuation(df: Dockerfile) -> Iterator[Finding]:
    """Remove empty lines from instructions continued with `\\`.

    Why: Docker joins the lines around an empty line today, but has
    announced that empty continuation lines will become errors; a blank line
    in the middle of a long RUN also hides where the instruction ends.

    Bad:
        RUN apt-get update \\

            && apt-get install -y curl
    Good:
        RUN apt-get update \\
            && apt-get install -y curl

    Note: reported, as BuildKit reports it, on the last line of the
    instruction (before any here-document body). Comment lines inside a
    continuation are not empty lines.
    References:
    - https://docs.docker.com/reference/build-checks/no-empty-continuation/
    """
    warnings = [w for w in df.tree.warnings if w.message.startswith("Empty continuation line")]
    if not warnings:
        return
    for instr in df.instructions:
        span = instr.span
        if not any(span.line <= w.span.line <= span.end_line for w in warnings):
            continue
        heredocs = instr.syntax.heredocs
        last = heredocs[0].span.line - 1 if heredocs else span.end_line
        yield instr.finding("Empty continuation line", span=df.source.line_span(last))
