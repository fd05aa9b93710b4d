"""Image references (``registry/repository:tag@digest``), split as Docker does.

The grammar is the one of ``distribution/reference``: an optional domain
(the first path component when it contains ``.`` or ``:``, is ``localhost``,
or has an upper-case letter), a repository path, an optional ``:tag`` and an
optional ``@algorithm:hex`` digest. Parts that came from an unknown variable
are None; spans are exact where the text was written literally.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from dockerlint.model.expand import UNKNOWN, Expansion
from dockerlint.syntax.nodes import Span

_TAG = re.compile(r"[\w][\w.-]{0,127}")
_DIGEST = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}")
_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_DOMAIN = re.compile(r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                     r"|\[[0-9a-fA-F:]+\])(?::[0-9]+)?")

DOCKER_HUB = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})


class ImageRef(NamedTuple):
    """A FROM image (or ``--from`` image) after ARG expansion.

    ``text`` is the expanded word, with ``…`` where a variable is unknown.

    When ``resolved`` is False a None part means *unknown*, not *absent*: the
    variable may hold a tag or a registry.
    """

    raw: str
    text: str
    span: Span
    registry: str | None
    repository: str | None
    name: str | None
    tag: str | None
    digest: str | None
    tag_span: Span | None = None
    digest_span: Span | None = None
    registry_span: Span | None = None
    repository_span: Span | None = None
    unresolved: tuple[str, ...] = ()
    registry_known: bool = True  # False when the domain part came from an unknown variable
    error: str | None = None  # the word is malformed (BuildKit fails the build)

    @property
    def resolved(self) -> bool:
        return not self.unresolved and self.error is None

    @property
    def is_docker_hub(self) -> bool | None:
        if not self.registry_known:
            return None
        return self.registry is None or self.registry.lower() in DOCKER_HUB

    @property
    def is_official(self) -> bool | None:
        """A Docker Hub official image (``python``, ``library/python``)."""
        hub = self.is_docker_hub
        if not hub or self.repository is None:
            return hub if hub is None else False
        return "/" not in self.repository or self.repository.startswith("library/")

    @property
    def is_valid(self) -> bool:
        """True when every known part follows the reference grammar."""
        if self.repository is None:
            return not self.resolved
        parts = self.repository.split("/")
        if not all(_COMPONENT.fullmatch(p) for p in parts if UNKNOWN not in p):
            return False
        if self.tag is not None and not _TAG.fullmatch(self.tag):
            return False
        if self.digest is not None and not _DIGEST.fullmatch(self.digest):
            return False
        if self.registry is not None and not _DOMAIN.fullmatch(self.registry):
            return False
        return True

    @property
    def pinned(self) -> bool:
        return self.digest is not None

    def __str__(self) -> str:
        return self.text


def split_reference(text: str) -> tuple[tuple[int, int] | None, tuple[int, int], tuple[int, int] | None,
                                          tuple[int, int] | None]:
    """Index ranges of (registry, repository, tag, digest) in ``text``."""
    digest = None
    at = text.find("@")
    end = len(text)
    if at != -1:
        digest = (at + 1, end)
        end = at
    tag = None
    colon = text.rfind(":", 0, end)
    if colon != -1 and "/" not in text[colon:end]:
        tag = (colon + 1, end)
        end = colon
    registry = None
    start = 0
    slash = text.find("/", 0, end)
    if slash != -1:
        first = text[:slash]
        if any(c in first for c in ".:") or first == "localhost" or first.lower() != first:
            registry = (0, slash)
            start = slash + 1
    return registry, (start, end), tag, digest


def parse_image(raw: str, expansion: Expansion, span: Span, span_of=None) -> ImageRef:
    """Build an ``ImageRef`` from an expanded image word.

    ``span_of(i, j)`` maps ``raw[i:j]`` to a source span (None when it cannot);
    parts whose characters came from a variable get the whole word's span.
    """
    text = expansion.text
    registry, repository, tag, digest = split_reference(text)

    def part(rng: tuple[int, int] | None) -> str | None:
        if rng is None:
            return None
        value = text[rng[0]:rng[1]]
        return None if UNKNOWN in value else value

    def part_span(rng: tuple[int, int] | None) -> Span | None:
        if rng is None:
            return None
        lo, hi = rng
        if lo >= hi or span_of is None:
            return span
        origins = expansion.origins[lo:hi]
        if origins[0] >= 0 and all(b == a + 1 for a, b in zip(origins, origins[1:])):
            mapped = span_of(origins[0], origins[-1] + 1)
            if mapped is not None:
                return mapped
        return span

    repo_text = text[repository[0]:repository[1]]
    last = repo_text.rsplit("/", 1)[-1]
    if registry is None:
        # ``${REGISTRY}/python`` or ``${IMAGE}``: the variable may hold a domain
        registry_known = UNKNOWN not in repo_text.split("/", 1)[0]
    else:
        registry_known = part(registry) is not None
    return ImageRef(
        raw=raw, text=text.replace(UNKNOWN, "…"), span=span,
        registry=part(registry), repository=part(repository),
        name=None if UNKNOWN in last else last,
        tag=part(tag), digest=part(digest),
        tag_span=part_span(tag), digest_span=part_span(digest),
        registry_span=part_span(registry), repository_span=part_span(repository),
        unresolved=expansion.unresolved,
        error=expansion.error,
        registry_known=registry_known,
    )
