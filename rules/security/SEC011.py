"""SEC011: a base image not pinned by digest."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import registry_bases, shown_image


@rule(id="SEC011", name="base-image-digest", severity=Severity.INFO, category="security", on=("FROM",),
      default_enabled=False, causes=("REPRO-PACKAGE-DRIFT",), hadolint=())
def base_image_digest(df: Dockerfile) -> Iterator[Finding]:
    """Pin base images by digest: `FROM python:3.12-slim@sha256:...`.

    Why: a tag is a pointer the publisher (or anyone who takes over the
    account) can move; a digest names exactly the bytes you tested, so a
    rebuild cannot silently pull a different, possibly malicious image.
    Keeping the tag next to the digest tells readers and update bots
    (Renovate, Dependabot) what it is.

    Bad:
        FROM python:3.12-slim
    Good:
        FROM python:3.12-slim@sha256:2a6386ad2db20e7f55073f69a98d6da2cf9f168e05e7487d2670baeb9b7601c5

    Note: opt-in (hadolint#773; the `security` and `strict` profiles turn it
    on): select `SEC011` or `base-image-digest`. Tag plus digest and digest
    alone are both accepted; `scratch` and stage names are not images.
    `trusted-registries` (DL3026) says where images may come from; this
    rule says which image: an image from a trusted registry still needs a
    digest. An image name from an unknown ARG is not judged.
    References:
    - https://docs.docker.com/reference/dockerfile/#from
    - https://github.com/hadolint/hadolint/issues/773
    """
    for stage, ref in registry_bases(df):
        if ref.digest is None:
            yield stage.from_.finding(f"Base image {shown_image(ref)} is not pinned by digest: add "
                                      f"`@sha256:<digest>` (`docker buildx imagetools inspect {ref.text}`)",
                                      span=ref.span)
