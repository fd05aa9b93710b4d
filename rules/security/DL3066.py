"""DL3066: a non-numeric USER in the final image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL3066", name="numeric-user", severity=Severity.INFO, category="security", on=("USER",))
def numeric_user(df: Dockerfile) -> Iterator[Finding]:
    """Use a numeric user id in the final USER: `USER 10001` (or `USER 10001:10001`).

    Why: Kubernetes' `runAsNonRoot` can only verify a numeric user; with a
    name it refuses to start the pod ("image has non-numeric user, cannot
    verify user is non-root"), and a name means nothing on the host for files
    written to volumes.

    Bad:
        FROM python:3.12-slim
        RUN useradd --uid 10001 app
        USER app
    Good:
        FROM python:3.12-slim
        RUN useradd --uid 10001 app
        USER 10001

    Note: only the last USER of the image that is built counts (the target
    stage and the stages it is built FROM), as in hadolint; a user from an
    unknown variable is not judged.
    """
    target = df.target
    # No stage at all: the USERs before any FROM (a build error, judged as hadolint does).
    groups = [s.instructions for s in target.chain] if target is not None else [df.instructions]
    for instructions in groups:
        users = [i for i in instructions if i.keyword == "USER" and i.user is not None]
        if not users:
            continue
        last = users[-1]
        spec = last.user
        assert spec is not None
        name = spec.user.value
        if name is not None and not name.isdigit():
            yield last.finding(f"Non-numeric user-id may not be resolvable by host system: `{name}`",
                               span=spec.span)
        return
