"""SEC004: the SSH port exposed."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="SEC004", name="ssh-port-exposed", severity=Severity.WARNING, category="security",
      on=("EXPOSE",), hadolint=(), trivy=("DS004",), checkov=("CKV_DOCKER_1",))
def ssh_port_exposed(df: Dockerfile) -> Iterator[Finding]:
    """Do not run SSH in a container: use `docker exec` to get a shell.

    Why: an SSH server is one more daemon with keys and passwords to manage
    and patch, reachable by anyone who can reach the port, while `docker
    exec` (or `kubectl exec`) gives the same access with no open port.

    Bad:
        EXPOSE 22
    Good:
        EXPOSE 8080

    Note: port 22 over TCP (`22`, `22/tcp`, or a range that includes it),
    after ARG/ENV expansion; `22/udp` is not SSH. ONBUILD EXPOSE counts.
    References:
    - https://avd.aquasec.com/misconfig/ds004
    """
    for instr in df.walk():
        if instr.keyword != "EXPOSE":
            continue
        for port in instr.expose or ():
            if not port.known or port.protocol != "tcp":
                continue
            low, _, high = port.port.partition("-")
            try:
                first, last = int(low), int(high or low)
            except ValueError:
                continue
            if first <= 22 <= last:
                yield instr.finding(f"Port 22 (SSH) is exposed: `{port.port}`", span=port.span)
