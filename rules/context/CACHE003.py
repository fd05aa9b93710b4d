"""CACHE003: a secret in the build context copied into the image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.context.ignorefix import dockerignore_fix, secrets_sent
from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import summarize


@rule(id="CACHE003", name="secret-copied-into-image", severity=Severity.ERROR, category="security",
      on=("COPY", "ADD"), fixable=True, hadolint=())
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
    Fix: when the build has no ignore file, the `.dockerignore` CACHE002
    proposes, with the secrets' paths in it (one file, written once).
    Fix safety: unsafe (`--unsafe-fixes`): the program may read the file at
    start (a `.env` loaded by python-dotenv); give it the values at run time
    (`docker run --env-file .env`) instead.
    """
    ctx = df.context
    if ctx is None:
        return
    fix = None
    for copy, sent in ctx.copies(df):
        found = secrets_sent(ctx, sent)
        if not found:
            continue
        fix = fix or dockerignore_fix(df)
        names = [f"{rel} ({kind})" for rel, kind in found]
        yield copy.finding(
            f"This copies {len(found)} secret file{'s' if len(found) != 1 else ''} into the image: "
            f"{summarize(names, 4)}; add {'it' if len(found) == 1 else 'them'} to `.dockerignore` and pass what "
            f"a step needs with `RUN --mount=type=secret`", span=copy.span, fix=fix)
