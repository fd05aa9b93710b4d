"""Small helpers the built-in rules share (not rules themselves)."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.model import Dockerfile, ImageRef, Instr, KeyValue, Stage
from dockerlint.rule import RuleOptions

# What ADD unpacks (and so is a reason to use it), as hadolint lists archive extensions
# (``archiveFileFormatExtensions``): tar archives, plain or compressed.
ARCHIVES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tb2", ".tar.xz", ".txz", ".tar.lz",
            ".tlz", ".tar.lzma", ".tar.z", ".taz", ".tz", ".tar.zst", ".tzst", ".gz", ".bz2", ".xz", ".lz",
            ".lzma", ".z", ".zst")
# Of those, the names that say the file is a tar archive (``x.gz`` may be one gzip'd file).
TAR_ARCHIVES = tuple(e for e in ARCHIVES if e.startswith(".t"))


def is_archive(path: str) -> bool:
    """Whether a path names a file ADD would unpack (by hadolint's extension list)."""
    return path.lower().endswith(ARCHIVES)


def runs(df) -> Iterator:
    """Every RUN instruction of the Dockerfile, ONBUILD RUN included.

    Shell rules apply to ``ONBUILD RUN ...`` too: the trigger runs in every
    image built from this one, so an unpinned install there drifts the same way.
    """
    return (instr for instr in df.walk() if instr.keyword == "RUN")


def summarize(names: list[str], limit: int = 4) -> str:
    """``a, b, c and 3 more`` for messages."""
    shown = ", ".join(f"`{n}`" for n in names[:limit])
    rest = len(names) - limit
    return f"{shown} and {rest} more" if rest > 0 else shown


def registry_bases(df: Dockerfile) -> Iterator[tuple[Stage, ImageRef]]:
    """(stage, image) for each FROM that names a registry image whose name is fully known."""
    for stage in df.stages:
        ref = stage.base
        # An invalid reference is a placeholder (`ARG BASE=<image>`) meant to be
        # overridden at build time, or a typo that fails the build anyway.
        if ref is not None and ref.resolved and ref.is_valid:
            yield stage, ref


def shown_image(ref: ImageRef) -> str:
    """How to name the image in a message: the expanded value, and how it was written."""
    if ref.raw != ref.text:
        return f"`{ref.raw}` (= `{ref.text}`)"
    return f"`{ref.text}`"


def schema_labels(df: Dockerfile, options: RuleOptions, kind: str) -> Iterator[tuple[Instr, KeyValue, str]]:
    """(LABEL instruction, pair, value) for each label whose key the label schema
    (``required-labels``, hadolint's ``label-schema``) gives the format ``kind``;
    values that come from an unknown variable are left out."""
    keys = {key for key, fmt in options.required_labels.items() if fmt == kind}
    if not keys:
        return
    for instr in df.walk():
        for pair in (instr.pairs or ()) if instr.keyword == "LABEL" else ():
            if pair.key in keys and pair.value.value is not None:
                yield instr, pair, pair.value.value
