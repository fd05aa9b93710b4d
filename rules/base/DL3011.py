"""DL3011: EXPOSE of a port outside 0-65535."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL3011", name="valid-port", severity=Severity.ERROR, category="correctness", on=("EXPOSE",))
def valid_port(df: Dockerfile) -> Iterator[Finding]:
    """Valid UNIX ports range from 0 to 65535.

    Why: a port outside the range cannot be published or listened on; the
    EXPOSE documents something that cannot exist.

    Bad:
        EXPOSE 80000
    Good:
        EXPOSE 8000

    Note: ranges (`8000-8010`) are checked at both ends; ports from unknown
    variables are not judged. A port that is not a number at all is
    BuildKit's ExposeInvalidFormat.
    """
    for instr in df.walk():
        if instr.keyword != "EXPOSE":
            continue
        for port in instr.expose or ():
            if not port.known:
                continue
            ends = port.port.split("-", 1)
            if all(e.isdigit() for e in ends) and any(int(e) > 65535 for e in ends):
                yield instr.finding(f"Valid UNIX ports range from 0 to 65535: `{port.port}`", span=port.span)
