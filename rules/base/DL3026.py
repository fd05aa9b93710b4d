"""DL3026: a base image from a registry that is not trusted."""
from __future__ import annotations

from collections.abc import Iterator, Sequence

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import RuleOptions, rule
from dockerlint.rules._common import registry_bases, shown_image

# How Docker Hub is named in an allow-list: an image without a registry comes from there.
_HUB_NAMES = ("docker.io", "hub.docker.com", "index.docker.io")


@rule(id="DL3026", name="trusted-registry", severity=Severity.ERROR, category="security", on=("FROM",))
def trusted_registry(df: Dockerfile, options: RuleOptions) -> Iterator[Finding]:
    """Use only an allowed registry in the FROM image.

    Why: an image from a registry nobody vetted is code nobody vetted: a
    typo-squatted or compromised registry runs its own code in every build and
    every container of the image.

    Bad:
        FROM random.example.com/debian:12.7
    Good:
        FROM docker.io/library/debian:12.7

    Options: `trusted-registries` (config, and `trustedRegistries` in a
    `.hadolint.yaml`; `--trusted-registry` on the command line): the allowed
    registries. `*` matches any run of characters (`*.corp.example`); an image
    without a registry comes from Docker Hub, allowed by `docker.io` or
    `hub.docker.com`. With no list the rule checks nothing.

    Note: checked after ARG expansion (hadolint does not expand, so
    `FROM ${REGISTRY}/x` escapes it there); a registry held in a variable whose
    value is unknown is not judged. `scratch` and earlier stages are not
    registry images. Registries compare case-insensitively.
    """
    allowed = [p.strip().lower() for p in options.trusted_registries if p.strip()]
    if not allowed:
        return
    for stage, ref in registry_bases(df):
        if not ref.registry_known:
            continue
        names = (ref.registry.lower(),) if ref.registry else _HUB_NAMES
        if any(wildcard_match(pattern, name) for pattern in allowed for name in names):
            continue
        registry = ref.registry or "docker.io"
        yield stage.from_.finding(
            f"Use only an allowed registry in the FROM image: {shown_image(ref)} comes from `{registry}`, "
            f"which is not in trusted-registries ({', '.join(allowed)})",
            span=ref.registry_span or ref.span,
        )


def wildcard_match(pattern: str, text: str) -> bool:
    """``*`` matches any run of characters; linear in the input (no backtracking on hostile patterns)."""
    parts: Sequence[str] = pattern.split("*")
    if len(parts) == 1:
        return pattern == text
    head, *middle, tail = parts
    if not text.startswith(head) or len(text) < len(head) + len(tail) or not text.endswith(tail):
        return False
    at, end = len(head), len(text) - len(tail)
    for part in middle:  # leftmost placement of each fixed part is always safe
        found = text.find(part, at, end)
        if found < 0:
            return False
        at = found + len(part)
    return True
