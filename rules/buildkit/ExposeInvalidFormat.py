"""ExposeInvalidFormat: `EXPOSE 127.0.0.1:80:80` or `EXPOSE 8080:80`."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.buildkit._buildkit import stage_instructions
from dockerlint.rules.buildkit._expose import port_specs


@rule(id="ExposeInvalidFormat", name="expose-invalid-format", severity=Severity.WARNING,
      category="correctness", on=("EXPOSE",), buildkit="ExposeInvalidFormat", hadolint=())
def expose_invalid_format(df: Dockerfile) -> Iterator[Finding]:
    """EXPOSE takes container ports only: `EXPOSE 80`, not `EXPOSE 8080:80`.

    Why: EXPOSE documents which ports the container listens on. An IP
    address or a host port in it is ignored (publishing is `docker run -p`'s
    job), so the file says something the image does not do.

    Bad:
        EXPOSE 127.0.0.1:8080:80
    Good:
        EXPOSE 80

    Note: checked after ARG/ENV expansion; one finding per port word.
    References:
    - https://docs.docker.com/reference/build-checks/expose-invalid-format/
    """
    for _, instr in stage_instructions(df):
        if instr.keyword != "EXPOSE":
            continue
        for spec in port_specs(instr):
            if spec.ip or spec.host_port:
                yield instr.finding("EXPOSE instruction should not define an IP address or host-port mapping, "
                                    f"found '{spec.raw}'")
