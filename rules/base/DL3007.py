"""DL3007: a base image on the `latest` tag."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import registry_bases, shown_image


@rule(id="DL3007", name="image-latest-tag", severity=Severity.WARNING, category="reproducibility",
      on=("FROM",), causes=("REPRO-PACKAGE-DRIFT",))
def image_latest_tag(df: Dockerfile) -> Iterator[Finding]:
    """Pin the base image to a release tag, not `latest`.

    Why: `latest` is whatever was pushed last. A rebuild silently picks up a
    new OS, Python or CUDA, and a cached build and a fresh one disagree.

    Bad:
        FROM python:latest
    Good:
        FROM python:3.12.7-slim-bookworm
        # or pin the exact image:
        FROM python:latest@sha256:2a6386ad2db20e7f55073f69a98d6da2cf9f168e05e7487d2670baeb9b7601c5

    Note: no automatic fix: only you know which release you tested with.
    Pick the release tag `latest` points to today (`docker image inspect`)
    or add its digest. A digest makes the tag irrelevant, so it is not
    reported. Checked after ARG expansion.
    """
    for stage, ref in registry_bases(df):
        if ref.tag == "latest" and ref.digest is None:
            yield stage.from_.finding(
                f"Using `latest` is prone to errors if the image ever updates: {shown_image(ref)}; "
                f"pin a release tag (e.g. `{ref.repository}:<version>`) or a digest",
                span=ref.tag_span or ref.span,
            )
