"""DL3064 / SecretsUsedInArgOrEnv: a secret-looking name in ARG or ENV."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# BuildKit's token rules: a secret word as the whole name or one of its
# `_`-separated words (case-insensitive), unless a word says it is not secret.
_SECRET = re.compile(r"(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)",
                     re.IGNORECASE)
_ALLOWED = re.compile(r"(?:_|^)(?:public|file|version)(?:_|$)", re.IGNORECASE)


def secret_name(name: str) -> bool:
    """Whether BuildKit's SecretsUsedInArgOrEnv takes ``name`` for a secret."""
    return bool(_SECRET.search(name)) and not _ALLOWED.search(name)


@rule(id="DL3064", name="secrets-used-in-arg-or-env", severity=Severity.WARNING, category="security",
      on=("ARG", "ENV"), buildkit="SecretsUsedInArgOrEnv", trivy=("DS031",))
def secrets_used_in_arg_or_env(df: Dockerfile) -> Iterator[Finding]:
    """Pass secrets with `RUN --mount=type=secret`, not through ARG or ENV.

    Why: ARG and ENV values are stored in the image: `docker history` shows
    build arguments, `docker inspect` shows ENV, in every layer pushed to a
    registry, long after the token was meant to be used once.

    Bad:
        FROM python:3.12-slim
        ARG GITHUB_TOKEN
        RUN git clone https://$GITHUB_TOKEN@github.com/org/repo.git
    Good:
        RUN --mount=type=secret,id=github_token \\
            git clone https://$(cat /run/secrets/github_token)@github.com/org/repo.git

    Note: BuildKit's rule, exactly: a name is secret when it is, or has as
    one of its `_`-separated words, apikey, auth, credential(s), key,
    password, pword, passwd, secret or token (any case), and has none of
    the words public, file, version (`AWS_SECRET_ACCESS_KEY` and
    `API_KEY` are reported; `PUBLIC_KEY`, `GPG_KEY_FILE`, `KEYCLOAK_URL`,
    `TOKENIZER` are not). ARGs and ENVs of the stages; ARGs before the
    first FROM are not checked (BuildKit checks them where a stage
    re-declares them).
    References:
    - https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/
    - https://docs.docker.com/build/building/secrets/
    """
    for stage in df.stages:
        for instr in stage.instructions:
            if instr.keyword == "ARG":
                names = [d.name for d in instr.arg_decls or ()]
            elif instr.keyword == "ENV":
                names = [p.key for p in instr.pairs or ()]
            else:
                continue
            for name in names:
                if secret_name(name):
                    yield instr.finding(
                        f'Do not use ARG or ENV instructions for sensitive data ({instr.keyword} "{name}")')
