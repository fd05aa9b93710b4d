"""ConsistentInstructionCasing: instructions not all in the same case."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.buildkit._buildkit import self_consistent, written_keyword


@rule(id="ConsistentInstructionCasing", name="consistent-instruction-casing", severity=Severity.WARNING,
      category="style", buildkit="ConsistentInstructionCasing", hadolint=())
def consistent_instruction_casing(df: Dockerfile) -> Iterator[Finding]:
    """Write every instruction in the same case (upper case by convention).

    Why: Dockerfile keywords are case-insensitive, so mixing `RUN` and `run`
    (or writing `Run`) means nothing, but makes the file harder to scan and
    to search.

    Bad:
        FROM debian:12.7
        run apt-get update
    Good:
        FROM debian:12.7
        RUN apt-get update

    Note: BuildKit's vote, exactly: the instructions of the stages (FROM
    included; ARGs before the first FROM and the instruction inside ONBUILD
    are not counted) vote lower or upper case, mixed-case ones do not vote;
    lower case wins only with a strict majority, so a tie means upper case.
    Every instruction not in the winning case is reported, mixed-case ones
    (`Run`) included.
    References:
    - https://docs.docker.com/reference/build-checks/consistent-instruction-casing/
    """
    words = [(instr, written_keyword(instr)) for stage in df.stages for instr in stage.instructions]
    lower = sum(1 for _, w in words if self_consistent(w) and w == w.lower())
    upper = sum(1 for _, w in words if self_consistent(w) and w != w.lower())
    majority_lower = lower > upper
    for instr, word in words:
        if majority_lower and word != word.lower():
            casing = "lowercase"
        elif not majority_lower and word != word.upper():
            casing = "uppercase"
        else:
            continue
        yield instr.finding(f"Command '{word}' should match the case of the command majority ({casing})")
