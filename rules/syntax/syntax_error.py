"""DL1000: the file does not parse.

The engine turns ``DockerfileSyntaxError`` into this finding (there is no
model to check when the parse fails); the rule lives here for its id, its
metadata and its documentation, so its check yields nothing.
"""
from __future__ import annotations

from typing import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.rule import rule


@rule(id="DL1000", name="syntax-error", severity=Severity.ERROR, category="syntax")
def syntax_error(df) -> Iterator[Finding]:
    """The Dockerfile does not parse: BuildKit would refuse to build it.

    Why: nothing else can be checked until the file is valid. The finding
    points at the first place BuildKit's parser rejects (unknown flag, bad
    JSON in an exec form, a heredoc that never ends, ...) and says why.

    Bad:
        FROM python:3.12
        ENV PATH
    Good:
        FROM python:3.12
        ENV PATH=/opt/venv/bin:$PATH
    """
    return iter(())
