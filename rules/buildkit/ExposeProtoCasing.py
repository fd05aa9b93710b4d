"""ExposeProtoCasing: `EXPOSE 80/TCP`."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.buildkit._buildkit import stage_instructions
from dockerlint.rules.buildkit._expose import port_specs


@rule(id="ExposeProtoCasing", name="expose-proto-casing", severity=Severity.WARNING, category="style",
      on=("EXPOSE",), buildkit="ExposeProtoCasing", hadolint=())
def expose_proto_casing(df: Dockerfile) -> Iterator[Finding]:
    """Write the protocol of an EXPOSE port in lower case: `EXPOSE 53/udp`.

    Why: Docker lower-cases the protocol anyway; `TCP` only suggests that
    case matters, and tools that compare port specs as text disagree.

    Bad:
        EXPOSE 8080/TCP
    Good:
        EXPOSE 8080/tcp

    Note: checked after ARG/ENV expansion; one finding per port word.
    References:
    - https://docs.docker.com/reference/build-checks/expose-proto-casing/
    """
    for _, instr in stage_instructions(df):
        if instr.keyword != "EXPOSE":
            continue
        for spec in port_specs(instr):
            if spec.proto != spec.proto.lower():
                yield instr.finding(f"Defined protocol '{spec.raw}' in EXPOSE instruction should be lowercase")
