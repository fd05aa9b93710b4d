"""DL3043: ONBUILD of ONBUILD, FROM or MAINTAINER."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

_FORBIDDEN = ("ONBUILD", "FROM", "MAINTAINER")


@rule(id="DL3043", name="onbuild-forbidden-trigger", severity=Severity.ERROR, category="correctness",
      on=("ONBUILD",))
def onbuild_forbidden_trigger(df: Dockerfile) -> Iterator[Finding]:
    """`ONBUILD`, `FROM` or `MAINTAINER` cannot be triggered from within an ONBUILD instruction.

    Why: Docker refuses these triggers: the image that inherits them fails to
    build ("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed").

    Bad:
        ONBUILD FROM python:3.12
    Good:
        ONBUILD RUN pip install --no-cache-dir -r requirements.txt
    """
    for instr in df.instructions:
        inner = instr.onbuild
        if inner is not None and inner.keyword in _FORBIDDEN:
            yield instr.finding(f"`{inner.keyword}` cannot be triggered from within an ONBUILD instruction",
                                span=inner.keyword_span)
