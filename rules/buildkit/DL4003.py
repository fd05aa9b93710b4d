"""DL4003 / MultipleInstructionsDisallowed: several CMD, ENTRYPOINT or HEALTHCHECK in one stage."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

_ONCE = ("CMD", "ENTRYPOINT", "HEALTHCHECK")


@rule(id="DL4003", name="multiple-instructions-disallowed", severity=Severity.WARNING, category="correctness",
      on=_ONCE, aliases=("DL4004", "DL3012"), buildkit="MultipleInstructionsDisallowed",
      hadolint=("DL4003", "DL4004", "DL3012"), trivy=("DS016", "DS007", "DS023"))
def multiple_instructions_disallowed(df: Dockerfile) -> Iterator[Finding]:
    """Write CMD, ENTRYPOINT and HEALTHCHECK at most once per stage.

    Why: only the last one of each takes effect; the earlier ones are dead
    code that readers take for the real command.

    Bad:
        CMD ["python", "train.py"]
        CMD ["python", "serve.py"]
    Good:
        CMD ["python", "serve.py"]

    Note: one rule for hadolint's DL4003 (CMD), DL4004 (ENTRYPOINT) and
    DL3012 (HEALTHCHECK) and BuildKit's MultipleInstructionsDisallowed; all
    four names select and suppress it. It is reported where BuildKit reports
    it: on each earlier instruction, the one that is overridden (hadolint
    reports the later ones). Per stage: a stage built FROM another may set
    its own CMD.
    References:
    - https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/
    - https://github.com/hadolint/hadolint/wiki/DL4003
    """
    for stage in df.stages:
        last: dict[str, object] = {}
        for instr in stage.instructions:
            if instr.keyword not in _ONCE:
                continue
            earlier = last.get(instr.keyword)
            if earlier is not None:
                yield earlier.finding(  # type: ignore[attr-defined]
                    f"Multiple {instr.keyword} instructions should not be used in the same stage because "
                    "only the last one will be used")
            last[instr.keyword] = instr
