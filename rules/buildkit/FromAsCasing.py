"""FromAsCasing: `FROM ... as` (or `from ... AS`) with mismatched casing."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.buildkit._buildkit import self_consistent, written_keyword


@rule(id="FromAsCasing", name="from-as-casing", severity=Severity.WARNING, category="style",
      on=("FROM",), buildkit="FromAsCasing", hadolint=())
def from_as_casing(df: Dockerfile) -> Iterator[Finding]:
    """Write the `AS` keyword in the same case as `FROM`.

    Why: a Dockerfile is easier to read, grep and review when its keywords
    look alike; `FROM image as name` is the usual slip.

    Bad:
        FROM python:3.12-slim as builder
    Good:
        FROM python:3.12-slim AS builder

    Note: as BuildKit does, a `FROM` keyword that is itself mixed case
    (`From`) is not reported here: ConsistentInstructionCasing reports it.
    References:
    - https://docs.docker.com/reference/build-checks/from-as-casing/
    """
    for stage in df.stages:
        args = stage.from_.syntax.args
        if len(args) < 3:
            continue
        keyword = written_keyword(stage.from_)
        if not self_consistent(keyword):
            continue
        as_word = args[1].value
        wanted = as_word.lower() if keyword == keyword.lower() else as_word.upper()
        if as_word != wanted:
            yield stage.from_.finding(f"'{as_word}' and '{keyword}' keywords' casing do not match")
