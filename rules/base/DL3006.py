"""DL3006: a base image without a tag."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import registry_bases, shown_image


@rule(id="DL3006", name="image-untagged", severity=Severity.WARNING, category="reproducibility",
      on=("FROM",), causes=("REPRO-PACKAGE-DRIFT",))
def image_untagged(df: Dockerfile) -> Iterator[Finding]:
    """Always tag the version of a base image explicitly.

    Why: `FROM python` means `python:latest`, which moves with every release;
    the same Dockerfile builds on a different OS or interpreter next month.

    Bad:
        FROM python
    Good:
        FROM python:3.12.7-slim-bookworm

    Note: checked after ARG expansion, so `ARG BASE=python` + `FROM $BASE` is
    reported and `FROM $BASE` with an unknown `BASE` is not, nor is a
    placeholder default that is not an image name (`ARG BASE=<image>`). A digest
    (`python@sha256:...`) counts as a version. `scratch` and earlier stages
    are not images from a registry.
    """
    for stage, ref in registry_bases(df):
        if ref.tag is None and ref.digest is None:
            yield stage.from_.finding(
                f"Always tag the version of an image explicitly: {shown_image(ref)} has no tag",
                span=ref.span,
            )


