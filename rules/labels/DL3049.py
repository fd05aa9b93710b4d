"""DL3049: a stage that lacks a label the schema requires."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile, Stage
from dockerlint.rule import RuleOptions, rule


@rule(id="DL3049", name="missing-label", severity=Severity.INFO, category="maintainability", on=("FROM",))
def missing_label(df: Dockerfile, options: RuleOptions) -> Iterator[Finding]:
    """Every image must carry the labels the label schema requires.

    Why: registries, scanners and on-call people find an image's source,
    owner and version through its labels; an image without them is an orphan
    nobody can trace back.

    Bad:
        FROM python:3.12-slim
        LABEL org.opencontainers.image.title="model"
    Good:
        FROM python:3.12-slim
        LABEL org.opencontainers.image.title="model" \
              org.opencontainers.image.source="https://github.com/acme/model"

    Options: `required-labels` (hadolint's `label-schema`): the labels each
    image needs.

    Note: reported on the stage's FROM, once per missing label. As in hadolint,
    a stage built FROM a stage that sets the label has it, and a stage that
    other stages only COPY from (a builder) needs none; a stage that no image
    ships is not reported either.
    """
    required = list(options.required_labels)
    if not required:
        return
    copied_from = {spec.from_stage.index for instr in df.walk()
                   if (spec := instr.copy) is not None and spec.from_stage is not None}
    for stage in df.stages:
        if stage.index in copied_from or not stage.ships:
            continue
        present = _labels(stage)
        if present is None:
            continue  # a label key from an unknown variable may be any of them
        for label in required:
            if label not in present:
                yield stage.from_.finding(f"Label `{label}` is missing", span=stage.from_.span)


def _labels(stage: Stage) -> set[str] | None:
    """Label keys set in the stage or the stages it is built FROM; None when a key is unknown."""
    keys: set[str] = set()
    for s in stage.chain:
        for instr in s.instructions:
            if instr.keyword == "LABEL":
                keys.update(p.key for p in instr.pairs or ())
    return None if any("$" in k for k in keys) else keys
