"""CACHE003: a secret in the build context copied into the image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.context.kinds import secret_kind
from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import summarize


@rule(id="CACHE003", name="secret-copied-into-image", severity=Severity.ERROR, category="security",
      on=("COPY", "ADD"), hadolint=())
def secret_copied_into_image(df: Dockerfile) -> Iterator[Finding]:
    """Keep credentials out of the image: exclude them in `.dockerignore`, pass them as build secrets.

    Why: a file copied into a layer stays in the image for everyone who can
    pull it, even if a later `RUN rm` deletes it. `COPY . .` next to a `.env`
    with an API key, an `id_rsa` or `.aws/credentials` publishes them.

    Bad:
        COPY . /app
    Good:
        # .dockerignore
        .env
        # and, for a step that needs the secret:
        RUN --mount=type=secret,id=pypi,target=/root/.pypirc pip install --no-cache-dir -r requirements.txt
    Note: files are recognised by name (`.env`, `.env.<name>` but not
    `.env.example`/`.sample`/`.template`, `id_rsa`/`id_ed25519`, `*.pem`,
    `*.key`, `*.p12`, `.aws/credentials`, `credentials.json`, `.netrc`,
    `.pypirc`, `.git-credentials`, `.kube/config`, `.docker/config.json`);
    `.npmrc` only when it holds an auth token. The content is never printed.
    Only with a build context.
    """
    ctx = df.context
    if ctx is None:
        return
    for copy in df.walk():
        if copy.keyword not in ("COPY", "ADD"):
            continue
        sent = ctx.sent(copy)
        if sent is None:
            continue
        found = [(rel, kind) for rel in sent.files if (kind := secret_kind(ctx, rel)) is not None]
        if not found:
            continue
        names = [f"{rel} ({kind})" for rel, kind in found]
        yield copy.finding(
            f"This copies {len(found)} secret file{'s' if len(found) != 1 else ''} into the image: "
            f"{summarize(names, 4)}; add {'it' if len(found) == 1 else 'them'} to `.dockerignore` and pass what "
            f"a step needs with `RUN --mount=type=secret`", span=copy.span)
