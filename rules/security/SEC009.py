"""SEC009: the final image never sets a USER."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="SEC009", name="final-user-missing", severity=Severity.INFO, category="security", on=(),
      default_enabled=False, hadolint=(), trivy=("DS002",), checkov=("CKV_DOCKER_3",))
def final_user_missing(df: Dockerfile) -> Iterator[Finding]:
    """Set a non-root USER in the image you ship.

    Why: without USER the container runs as whatever the base image says,
    usually root; a bug in the application then has root's power inside the
    container and over every mounted file.

    Bad:
        FROM python:3.12-slim
        CMD ["python", "app.py"]
    Good:
        FROM python:3.12-slim
        RUN useradd --create-home app
        USER app
        CMD ["python", "app.py"]

    Note: off by default (the `security` and `strict` profiles turn it on):
    many images rightly leave the user to their base image or to the
    runtime (`docker run --user`, Kubernetes `runAsUser`). Scoped to the
    built image only: the target stage and the stages it is built FROM;
    builder stages need root and are never reported (Checkov's
    CKV_DOCKER_3 and Trivy's DS002 look at every stage). `USER root` is
    DL3002's business. Stages from scratch are reported too.
    References:
    - https://docs.docker.com/build/building/best-practices/#user
    """
    target = df.target
    if target is None:
        return
    if any(i.keyword == "USER" for stage in target.chain for i in stage.instructions):
        return
    yield target.from_.finding(f"The image built from stage {target.display_name!r} sets no USER: "
                               "it runs as the base image's user, usually root")
