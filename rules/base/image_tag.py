"""The tag of each base image (DL3006 untagged, DL3007 `latest`).

Both read ``stage.base``: the FROM image after ARG expansion (build args
included), None for ``scratch`` and for a FROM that names an earlier stage.
When a variable cannot be resolved nothing is reported: the value given at
build time may well carry a tag.
"""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.rule import rule


def _resolved_bases(df):
    for stage in df.stages:
        ref = stage.base
        # An invalid reference is a placeholder (`ARG BASE=<image>`) meant to be
        # overridden at build time, or a typo that fails the build anyway.
        if ref is not None and ref.resolved and ref.is_valid:
            yield stage, ref


def _shown(ref) -> str:
    """How to name the image in a message: the expanded value, and how it was written."""
    if ref.raw != ref.text:
        return f"`{ref.raw}` (= `{ref.text}`)"
    return f"`{ref.text}`"


@rule(id="DL3006", name="image-untagged", severity=Severity.WARNING, category="reproducibility")
def image_untagged(df) -> Iterator[Finding]:
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
    for stage, ref in _resolved_bases(df):
        if ref.tag is None and ref.digest is None:
            yield stage.from_.finding(
                f"Always tag the version of an image explicitly: {_shown(ref)} has no tag",
                span=ref.span,
            )


@rule(id="DL3007", name="image-latest-tag", severity=Severity.WARNING, category="reproducibility")
def image_latest_tag(df) -> Iterator[Finding]:
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
    for stage, ref in _resolved_bases(df):
        if ref.tag == "latest" and ref.digest is None:
            yield stage.from_.finding(
                f"Using `latest` is prone to errors if the image ever updates: {_shown(ref)}; "
                f"pin a release tag (e.g. `{ref.repository}:<version>`) or a digest",
                span=ref.tag_span or ref.span,
            )
