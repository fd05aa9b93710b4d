"""DL3057: the final image has no HEALTHCHECK."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL3057", name="healthcheck-missing", severity=Severity.INFO, category="security", on=(),
      default_enabled=False, trivy=("DS026",), checkov=("CKV_DOCKER_2",))
def healthcheck_missing(df: Dockerfile) -> Iterator[Finding]:
    """Give a long-running service a HEALTHCHECK so a hung process is noticed and restarted.

    Why: Docker and Swarm only know a container has died, not that its
    server stopped answering; a HEALTHCHECK turns "running but stuck" into
    "unhealthy".

    Bad:
        FROM python:3.12-slim
        CMD ["gunicorn", "app:server"]
    Good:
        FROM python:3.12-slim
        HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"]
        CMD ["gunicorn", "app:server"]

    Note: off by default (the `security` and `strict` profiles turn it on):
    most images are batch jobs, CLIs, bases or run on Kubernetes, which
    ignores HEALTHCHECK and has its own probes (hadolint's DL3057 is off by
    default for the same reason; Trivy DS026 and Checkov CKV_DOCKER_2 report
    every Dockerfile). Only the built image counts (the target stage and the
    stages it is built FROM); `HEALTHCHECK NONE` is an explicit choice and
    is not reported.
    References:
    - https://docs.docker.com/reference/dockerfile/#healthcheck
    - https://github.com/hadolint/hadolint/wiki/DL3057
    """
    target = df.target
    if target is None:
        return
    if any(i.keyword == "HEALTHCHECK" for stage in target.chain for i in stage.instructions):
        return
    yield target.from_.finding(f"The image built from stage {target.display_name!r} has no HEALTHCHECK")
