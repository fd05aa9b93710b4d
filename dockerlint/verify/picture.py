"""The picture of one image: per-layer sizes and entries, and the space later layers waste.

Computed from the layer summaries the diff already keeps (headers and digests,
never content), so it costs one pass over the entries and memory bounded by
them. Wasted space is what a later layer overwrites or deletes (a whiteout, an
opaque directory, a file written over): those bytes stay in the earlier layer
for everyone who pulls the image.

Efficiency follows dive's idea (bytes the image needs / bytes its layers
carry): here ``1 - wasted / bytes in all layers``, where "needed" is the
version of each path that survives. dive counts the smallest version of a path
as needed instead; the two agree unless a later version is larger.
"""
from __future__ import annotations

import heapq
from collections.abc import Container, Sequence
from dataclasses import dataclass, field

from dockerlint.verify.layers import Entry, LayerSummary

TOP_OFFENDERS = 20


@dataclass(frozen=True, slots=True)
class Waste:
    """Bytes an earlier layer added that a later one (or the same one) removed."""

    path: str
    size: int
    added: int          # layer index that wrote it
    removed: int        # layer index that overwrote or deleted it
    how: str            # "overwritten" or "deleted"


@dataclass(slots=True)
class LayerPicture:
    index: int
    size: int = 0               # bytes of regular files in the layer
    entries: int = 0            # tar members, whiteouts included
    wasted: int = 0             # bytes of this layer's files that later layers remove
    removes: int = 0            # bytes of earlier layers' files this layer removes


@dataclass(slots=True)
class ImagePicture:
    layers: list[LayerPicture] = field(default_factory=list)
    offenders: list[Waste] = field(default_factory=list)   # biggest first, at most TOP_OFFENDERS
    wasted_files: int = 0
    removed_watched: set[tuple[int, str]] = field(default_factory=set)  # watched (layer, path) removed later

    @property
    def size(self) -> int:
        return sum(layer.size for layer in self.layers)

    @property
    def entries(self) -> int:
        return sum(layer.entries for layer in self.layers)

    @property
    def wasted(self) -> int:
        return sum(layer.wasted for layer in self.layers)

    @property
    def efficiency(self) -> float:
        """1.0 when no byte is wasted (an empty image included)."""
        total = self.size
        return 1.0 if total == 0 else (total - self.wasted) / total

    def as_dict(self) -> dict:
        return {"size": self.size, "entries": self.entries, "layers": len(self.layers),
                "wasted_bytes": self.wasted, "wasted_files": self.wasted_files,
                "efficiency": round(self.efficiency, 6)}


class _Overlay:
    """The merged file system so far: path -> (layer, size), with a child index for deletes."""

    def __init__(self, image: ImagePicture, keep: int, watch: Container[tuple[int, str]] = ()) -> None:
        self.watch = watch
        self.live: dict[str, tuple[int, int]] = {}
        self.children: dict[str, set[str]] = {}
        self.image = image
        self.keep = keep
        self.heap: list[tuple[int, int, Waste]] = []
        self.counter = 0

    def add(self, path: str, layer: int, size: int) -> None:
        self.live[path] = (layer, size)
        parent = path.rpartition("/")[0] or "."
        if path != ".":
            self.children.setdefault(parent, set()).add(path)

    def remove(self, path: str, by: int, how: str) -> None:
        """Drop ``path`` and everything below it, counting their bytes as wasted."""
        stack = [path]
        while stack:
            current = stack.pop()
            stack.extend(self.children.pop(current, ()))
            found = self.live.pop(current, None)
            if found is None:
                continue
            parent = current.rpartition("/")[0] or "."
            siblings = self.children.get(parent)
            if siblings is not None:
                siblings.discard(current)
            layer, size = found
            if (layer, current) in self.watch:
                self.image.removed_watched.add((layer, current))
            if size:
                self.waste(Waste(current, size, layer, by, how))

    def waste(self, item: Waste) -> None:
        self.image.layers[item.added].wasted += item.size
        self.image.layers[item.removed].removes += item.size
        self.image.wasted_files += 1
        self.counter += 1
        entry = (item.size, -self.counter, item)
        if len(self.heap) < self.keep:
            heapq.heappush(self.heap, entry)
        elif entry > self.heap[0]:
            heapq.heapreplace(self.heap, entry)


def _content_size(entry: Entry) -> int:
    return entry.size if entry.type == "file" else 0


def picture(summaries: Sequence[LayerSummary], keep: int = TOP_OFFENDERS,
            watch: Container[tuple[int, str]] = ()) -> ImagePicture:
    """Sizes, entries and waste per layer, in image order (overlay semantics, as the runtime sees it);
    ``removed_watched``: which of the ``watch`` (layer, path) pairs a later layer removes."""
    image = ImagePicture(layers=[LayerPicture(i) for i in range(len(summaries))])
    overlay = _Overlay(image, keep, watch)
    for index, summary in enumerate(summaries):
        row = image.layers[index]
        row.entries = len(summary.entries)
        written: set[str] = set()
        for entry in summary.entries:
            directory, _, leaf = entry.path.rpartition("/")
            directory = directory or "."
            if leaf == ".wh..wh..opq":
                for child in list(overlay.children.get(directory, ())):
                    if child not in written:
                        overlay.remove(child, index, "deleted")
                continue
            if leaf.startswith(".wh."):
                overlay.remove(leaf[4:] if directory == "." else f"{directory}/{leaf[4:]}",
                               index, "deleted")
                continue
            row.size += _content_size(entry)
            previous = overlay.live.get(entry.path)
            if previous is not None:
                if entry.type == "dir" and entry.path in overlay.children:
                    written.add(entry.path)
                    continue          # a directory entry over a directory keeps its contents
                overlay.remove(entry.path, index, "overwritten")
            overlay.add(entry.path, index, _content_size(entry))
            written.add(entry.path)
    image.offenders = [item for _, _, item in sorted(overlay.heap, reverse=True)]
    return image
