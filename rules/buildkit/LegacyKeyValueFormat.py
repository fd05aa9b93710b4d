"""LegacyKeyValueFormat: `ENV key value` without `=`."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.buildkit._buildkit import stage_instructions, written_keyword


@rule(id="LegacyKeyValueFormat", name="legacy-key-value-format", severity=Severity.WARNING,
      category="maintainability", on=("ENV", "LABEL"), buildkit="LegacyKeyValueFormat", hadolint=())
def legacy_key_value_format(df: Dockerfile) -> Iterator[Finding]:
    """Write `ENV key=value`, not the legacy `ENV key value`.

    Why: in the legacy form everything after the first space is the value,
    quotes and spaces included, and only one variable can be set; it is
    easy to misread, and `key=value` is the form every other line uses.

    Bad:
        ENV PYTHONUNBUFFERED 1
    Good:
        ENV PYTHONUNBUFFERED=1

    Note: ENV and LABEL, in every stage, as BuildKit checks them when it
    dispatches them (ARGs before the first FROM cannot use the form).
    References:
    - https://docs.docker.com/reference/build-checks/legacy-key-value-format/
    """
    for _, instr in stage_instructions(df):
        if instr.keyword not in ("ENV", "LABEL"):
            continue
        if any(pair.legacy for pair in instr.pairs or ()):
            name = written_keyword(instr)
            yield instr.finding(f'"{name} key=value" should be used instead of legacy "{name} key value" format')
