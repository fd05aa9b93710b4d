"""DL3002: the final image runs as root."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

_ROOT = frozenset({"root", "0"})


@rule(id="DL3002", name="last-user-root", severity=Severity.WARNING, category="security",
      on=("USER",), trivy=("DS002",), checkov=("CKV_DOCKER_8",))
def last_user_root(df: Dockerfile) -> Iterator[Finding]:
    """The last USER of the final image should not be root.

    Why: a process running as root inside the container is root on the host
    for every file it can reach through a mount, and turns any escape into a
    full compromise. Build as root if you must, then drop to a plain user.

    Bad:
        FROM python:3.12-slim
        RUN useradd --create-home app
        USER root
    Good:
        FROM python:3.12-slim
        RUN useradd --create-home app
        USER app

    Note: only the image that is built counts: the target stage (`--target`,
    else the last one) and the stages it is built FROM. `USER root` in a
    builder stage is fine (hadolint reports it; #405). `root:group`,
    `0`, `0:0` are root; a user from an unresolvable variable is not judged.
    An image with no USER at all is not reported: its base image decides.
    """
    target = df.target
    if target is None:
        return
    for stage in target.chain:
        users = [(i, i.user) for i in stage.instructions if i.keyword == "USER" and i.user is not None]
        if not users:
            continue
        last, spec = users[-1]
        name = spec.user.value
        if name is not None and name in _ROOT:
            written = spec.user.raw
            shown = f"`{written}`" if written == name else f"`{written}` (= `{name}`)"
            yield last.finding(f"Last USER should not be root: the image runs as {shown}", span=spec.span)
        return
