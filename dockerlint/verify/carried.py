"""What an image carries: secrets, large data and model files, and tool caches, per layer.

Read from the entries the diff already keeps (names, sizes, the first bytes
of small text files), never from content: a secret's content is never read
beyond those first bytes nor printed, only its path, kind and size.
Findings use the ids of the static rules that prevent the same thing:
``CACHE003`` (a secret copied into the image), ``CACHE002`` (data sets and
model weights), and the cache causes (``REPRO-CACHE-PIP``, ``REPRO-APT-CACHE``,
...). A file a later layer deletes is still reported: it stays in the layer
that added it for everyone who pulls the image.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from dockerlint.context.kinds import clutter, secret_kind
from dockerlint.verify.cachepaths import cache_cause
from dockerlint.verify.layers import Entry, LayerSummary

EXAMPLES = 3
# Trust stores hold public CA certificates, not secrets.
_TRUST_STORES = re.compile(
    r"^(etc/ssl/certs|etc/pki|usr/share/ca-certificates|usr/local/share/ca-certificates|usr/lib/ssl/certs"
    r"|etc/ca-certificates)/|/certifi/cacert\.pem$|/site-packages/pip/_vendor/certifi/")
_PUBLIC_PEM = (b"-----BEGIN CERTIFICATE", b"-----BEGIN PUBLIC KEY", b"-----BEGIN X509 CRL",
               b"-----BEGIN TRUSTED CERTIFICATE", b"-----BEGIN DH PARAMETERS")


@dataclass(slots=True)
class Carried:
    """Files of one kind found in one layer: one finding on the layer's instruction."""

    id: str                 # CACHE003, CACHE002 or a REPRO-CACHE-* / REPRO-APT-CACHE cause id
    label: str              # "an SSH key", "model weights", "pip / uv / poetry cache"
    layer: int
    count: int = 0
    size: int = 0
    examples: list[tuple[str, int]] = field(default_factory=list)   # (path, size)
    removed: int = 0        # how many of them a later layer deletes or overwrites

    def as_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "layer": self.layer, "count": self.count,
                "size": self.size, "removed_later": self.removed,
                "examples": [{"path": p, "size": s} for p, s in self.examples]}


class _EntrySizes:
    """What :mod:`dockerlint.context.kinds` asks of a build context, answered from layer entries."""

    def __init__(self, entry: Entry) -> None:
        self.entry = entry

    def size(self, path: str) -> int:
        return self.entry.size

    def read_text(self, path: str, limit: int = 0) -> str | None:
        return self.entry.head.decode("utf-8", "replace") if self.entry.head else None


# A cheap superset of the names secret_kind recognises: most entries never reach it.
_MAYBE_SECRET = re.compile(r"env|rc$|cred|id_|kube|cfg|config|service-account|\.(pem|key|p12|pfx)$",
                           re.IGNORECASE)
_BULK_MINIMUM = 1 << 20     # CACHE002's smallest threshold (weights from 1 MiB)


def secret_label(entry: Entry) -> str | None:
    """What kind of secret the entry is (by name, as CACHE003 judges a context file), or None.
    A ``.pem`` that starts like a certificate or public key, and trust stores, are not secrets."""
    if not _MAYBE_SECRET.search(entry.path.rpartition("/")[2]) or _TRUST_STORES.search(entry.path):
        return None
    label = secret_kind(_EntrySizes(entry), entry.path)  # type: ignore[arg-type]
    if label is not None and entry.head.startswith(_PUBLIC_PEM):
        return None
    return label


def bulk_label(entry: Entry) -> str | None:
    """``model weights`` or ``data sets`` (CACHE002's sizes: weights from 1 MiB, data from 10 MiB)."""
    if entry.size < _BULK_MINIMUM:
        return None
    found = clutter(_EntrySizes(entry), entry.path)  # type: ignore[arg-type]
    return found.label if found is not None and found.label in ("model weights", "data sets") else None


def scan(summaries: Sequence[LayerSummary]) -> tuple[list[Carried], dict[tuple[int, str], Carried]]:
    """Every secret, large data/model file and cache file in the layers, grouped per layer and
    kind, and the group of each (layer, path) found (so the picture can count what later layers
    remove). The report leaves out the base image's caches (not the Dockerfile's to fix)."""
    from dockerlint.verify.catalogue import CATALOGUE

    found: dict[tuple[int, str, str], Carried] = {}
    flagged: dict[tuple[int, str], Carried] = {}
    for index, summary in enumerate(summaries):
        for entry in summary.entries:
            if entry.type != "file" or entry.is_whiteout:
                continue
            hit: tuple[str, str] | None = None
            label = secret_label(entry)
            if label is not None:
                hit = ("CACHE003", label)
            elif (label := bulk_label(entry)) is not None:
                hit = ("CACHE002", label)
            elif entry.size > 0 and (cause := cache_cause(entry.path)):
                hit = (cause, CATALOGUE[cause].title)
            if hit is None:
                continue
            group = found.get((index, hit[0], hit[1]))
            if group is None:
                group = found[(index, hit[0], hit[1])] = Carried(hit[0], hit[1], index)
            group.count += 1
            group.size += entry.size
            flagged[(index, entry.path)] = group
            group.examples.append((entry.path, entry.size))
            if len(group.examples) > EXAMPLES:
                group.examples.sort(key=lambda e: (-e[1], e[0]))
                del group.examples[EXAMPLES:]
    for group in found.values():
        group.examples.sort(key=lambda e: (-e[1], e[0]))
    return sorted(found.values(), key=lambda g: (g.layer, g.id, g.label)), flagged


FIXES = {
    "CACHE003": ("Keep it out of the image: `.dockerignore` for a file of the build context, "
                 "`RUN --mount=type=secret` for a step that needs it; deleting it in a later layer does not "
                 "remove it, and a published secret must be rotated."),
    "CACHE002": ("Keep data sets and weights out of the image (`.dockerignore`, mount or download them at run "
                 "time); an image that must ship them keeps them in a layer of their own, with verified hashes."),
}
