"""Compare two images read from ``docker save`` streams.

``diff_images(stream_a, stream_b)`` reads each archive once (see
:mod:`dockerlint.verify.archive`), pairs layers by diffID and by position,
compares paired layers entry by entry and the configs key by key, and returns
an :class:`ImageDiff`: plain data that :mod:`dockerlint.verify.causes`
explains.  When the layer structure differs (count or order), both images are
also flattened with overlay semantics (whiteouts, opaque directories) and the
resulting file systems are compared, so a difference is still found once,
at the path, not as a cascade of shifted layers.
"""
from __future__ import annotations

import difflib
import enum
import operator
import struct
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from dockerlint.verify.archive import Image, Layer, read_image
from dockerlint.verify.carried import Carried, scan, secret_label
from dockerlint.verify.layers import Entry, ImageFormatError, LayerSummary, PathIssue
from dockerlint.verify.picture import ImagePicture, picture

__all__ = [
    "ConfigDiff", "DiffTimeout", "EntryDiff", "ImageDiff", "ImageFormatError", "LayerDiff", "Verdict",
    "compare_entries", "decode_pyc_header", "diff_images", "diff_read_images", "verdict",
]

# Entry fields in the order they are reported.
FIELDS = ("type", "name", "linkname", "mode", "uid", "gid", "uname", "gname", "device",
          "size", "content", "xattrs", "pax", "mtime", "atime", "ctime")
TIMESTAMP_FIELDS = frozenset({"mtime", "atime", "ctime"})


class Verdict(str, enum.Enum):
    REPRODUCIBLE = "reproducible"
    METADATA_ONLY = "reproducible except metadata"
    NOT_REPRODUCIBLE = "not reproducible"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class EntryDiff:
    """One path that differs.  ``kind``: changed, only_a, only_b."""

    path: str
    kind: str
    fields: tuple[str, ...]           # changed fields in FIELDS order; () for only_a/only_b
    a: Entry | None
    b: Entry | None
    layer: int | None = None          # layer index used for attribution (image A's numbering)
    details: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def timestamps_only(self) -> bool:
        return self.kind == "changed" and bool(self.fields) and set(self.fields) <= TIMESTAMP_FIELDS


@dataclass(frozen=True, slots=True)
class LayerDiff:
    """A pair of layers (or a layer present in one image only).

    ``status``: identical, equivalent (every entry equal but the tar bytes, hence
    the diffID, differ), reordered (same entries, other tar order), different,
    moved (same diffID at another position), only_a, only_b.
    """

    index: int | None                 # position in image A
    index_b: int | None               # position in image B
    status: str
    diff_id_a: str = ""
    diff_id_b: str = ""
    created_by_a: str = ""
    created_by_b: str = ""
    created_a: str = ""
    created_b: str = ""
    entries: tuple[EntryDiff, ...] = ()
    entry_count_a: int = 0
    entry_count_b: int = 0
    order_changed: bool = False
    compression_a: str = ""
    compression_b: str = ""
    blob_digest_a: str = ""
    blob_digest_b: str = ""
    packages_a: dict = field(default_factory=dict, compare=False, hash=False)
    packages_b: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def same_content(self) -> bool:
        """The same layer, possibly at another position (``moved``)."""
        return self.status in ("identical", "moved") and not self.entries


@dataclass(frozen=True, slots=True)
class ConfigDiff:
    """One config key that differs; ``volatile`` keys never make a build irreproducible."""

    key: str
    a: object
    b: object
    volatile: bool


@dataclass(frozen=True, slots=True)
class ImageDiff:
    """Everything that differs between two images; ``verdict`` sums it up.

    ``layers`` is sorted by position (A's; B's for a layer only in B).
    ``merged`` is only filled when the layer structure
    differs: the overlay-merged file systems compared path by path, each
    difference attributed to the layer that last wrote the path (A's index,
    or B's for paths only in B).
    """

    layers: tuple[LayerDiff, ...]
    config: tuple[ConfigDiff, ...]
    layer_count_a: int
    layer_count_b: int
    merged: tuple[EntryDiff, ...] = ()       # overlay-merged comparison (structure mismatch only)
    issues_a: tuple[PathIssue, ...] = ()
    issues_b: tuple[PathIssue, ...] = ()
    layout_a: str = ""
    layout_b: str = ""
    bytes_read: int = 0
    picture_a: ImagePicture | None = None     # per-layer sizes and wasted space of each image
    picture_b: ImagePicture | None = None
    carried_a: tuple[Carried, ...] = ()       # secrets, large files and caches in image A's layers
    carried_b: tuple[Carried, ...] = ()       # and in image B's, when it is not a second build (scan_b)

    @property
    def semantic_config(self) -> tuple[ConfigDiff, ...]:
        return tuple(c for c in self.config if not c.volatile)

    @property
    def volatile_config(self) -> tuple[ConfigDiff, ...]:
        return tuple(c for c in self.config if c.volatile)

    @property
    def structure_differs(self) -> bool:
        return any(l.status in ("only_a", "only_b", "moved") for l in self.layers)

    @property
    def verdict(self) -> Verdict:
        return verdict(self)


def verdict(image_diff: ImageDiff) -> Verdict:
    """reproducible / reproducible except metadata / not reproducible."""
    layers_same = (all(l.status == "identical" and not l.entries for l in image_diff.layers)
                   and not image_diff.merged)
    if not layers_same or image_diff.semantic_config:
        return Verdict.NOT_REPRODUCIBLE
    metadata = image_diff.volatile_config or any(
        l.blob_digest_a and l.blob_digest_b and l.blob_digest_a != l.blob_digest_b
        for l in image_diff.layers)
    return Verdict.METADATA_ONLY if metadata else Verdict.REPRODUCIBLE


# --------------------------------------------------------------------------- entries

def decode_pyc_header(head: bytes) -> dict | None:
    """Decode the 16-byte header of a ``.pyc`` (PEP 552): magic, flags, mtime/size or hash."""
    if len(head) < 16 or head[2:4] != b"\r\n":
        return None
    magic, flags = struct.unpack_from("<HxxI", head)
    info: dict = {"magic": magic, "flags": flags}
    if flags & 1:
        info["invalidation"] = "checked-hash" if flags & 2 else "unchecked-hash"
        info["source_hash"] = head[8:16].hex()
    else:
        mtime, size = struct.unpack_from("<II", head, 8)
        info.update(invalidation="timestamp", source_mtime=mtime, source_size=size)
    return info


def _gzip_mtime(head: bytes) -> int | None:
    return struct.unpack_from("<I", head, 4)[0] if len(head) >= 8 else None


_FIELD_VALUES = operator.attrgetter(*("digest" if f == "content" else f for f in FIELDS))


def compare_entries(a: Entry, b: Entry) -> tuple[tuple[str, ...], dict]:
    """The fields that differ between two entries of the same path, and details."""
    values_a, values_b = _FIELD_VALUES(a), _FIELD_VALUES(b)
    if values_a == values_b:
        return (), {}
    changed = []
    details: dict = {}
    for name, va, vb in zip(FIELDS, values_a, values_b):
        if va != vb:
            changed.append(name)
            details[name] = (va, vb)
    if "content" in changed:
        if a.kind == b.kind == "pyc":
            pa, pb = decode_pyc_header(a.head), decode_pyc_header(b.head)
            details["pyc"] = (pa, pb)
            details["header_only"] = bool(a.norm_digest) and a.norm_digest == b.norm_digest
        elif a.kind == b.kind == "gzip":
            details["gzip_mtime"] = (_gzip_mtime(a.head), _gzip_mtime(b.head))
            details["header_only"] = bool(a.norm_digest) and a.norm_digest == b.norm_digest
        elif (a.head and b.head and not a.kind and not b.kind    # small text files, but never a secret's
              and secret_label(a) is None and secret_label(b) is None):
            details["text"] = (a.head.decode("utf-8", "replace"),
                               b.head.decode("utf-8", "replace"))
        if a.members_digest and b.members_digest:      # both nested tarballs
            details["members_equal"] = a.members_digest == b.members_digest
    return tuple(changed), details


def _by_path(entries: Iterable[Entry]) -> dict[str, Entry]:
    table: dict[str, Entry] = {}
    for entry in entries:
        table[entry.path] = entry        # a later duplicate wins, as on extraction
    return table


def diff_entry_sets(a: dict[str, Entry], b: dict[str, Entry], layer: int | None = None,
                    layer_of: Callable[[Entry, str], int | None] | None = None
                    ) -> list[EntryDiff]:
    """Per-path differences between two path -> entry tables, sorted by path."""
    result = []
    for path in sorted(a.keys() | b.keys()):
        ea, eb = a.get(path), b.get(path)
        where = layer
        if layer_of is not None:
            where = layer_of(ea, "a") if ea is not None else layer_of(eb, "b") if eb else None
        if ea is None:
            result.append(EntryDiff(path, "only_b", (), None, eb, where))
        elif eb is None:
            result.append(EntryDiff(path, "only_a", (), ea, None, where))
        else:
            changed, details = compare_entries(ea, eb)
            if changed:
                result.append(EntryDiff(path, "changed", changed, ea, eb, where, details))
    return result


def _order_changed(a: list[Entry], b: list[Entry]) -> bool:
    common = {e.path for e in a} & {e.path for e in b}
    return [e.path for e in a if e.path in common] != [e.path for e in b if e.path in common]


def diff_layer(a: LayerSummary, b: LayerSummary, index: int | None = None
               ) -> tuple[list[EntryDiff], bool]:
    """Entry differences of two paired layers and whether the tar order differs."""
    if a.fingerprint and a.fingerprint == b.fingerprint:
        return [], False
    return (diff_entry_sets(_by_path(a.entries), _by_path(b.entries), index),
            _order_changed(a.entries, b.entries))


# --------------------------------------------------------------------------- overlay merge

def flatten(layers: list[Layer]) -> tuple[dict[str, Entry], dict[str, int]]:
    """Apply layers in order with overlay semantics: path -> entry, path -> layer index.

    A ``.wh.NAME`` entry deletes NAME (and everything below it) from lower
    layers; ``.wh..wh..opq`` empties its directory of lower-layer content.
    """
    fs: dict[str, Entry] = {}
    origin: dict[str, int] = {}
    children: dict[str, set[str]] = {}

    def parent(path: str) -> str:
        return path.rpartition("/")[0] or "."

    def remove(path: str) -> None:
        for child in list(children.pop(path, ())):
            remove(child)
        if fs.pop(path, None) is not None:
            origin.pop(path, None)
            children.get(parent(path), set()).discard(path)

    for index, layer in enumerate(layers):
        added: set[str] = set()
        for entry in layer.summary.entries:
            base = entry.path.rpartition("/")
            directory, leaf = (base[0] or "."), base[2]
            if leaf == ".wh..wh..opq":
                for child in list(children.get(directory, ())):
                    if child not in added:
                        remove(child)
                continue
            if leaf.startswith(".wh."):
                target = leaf[4:] if directory == "." else f"{directory}/{leaf[4:]}"
                remove(target)
                continue
            if entry.type != "dir" or fs.get(entry.path, entry).type != "dir":
                remove(entry.path)
            fs[entry.path] = entry
            origin[entry.path] = index
            added.add(entry.path)
            if entry.path != ".":
                children.setdefault(parent(entry.path), set()).add(entry.path)
    return fs, origin


# --------------------------------------------------------------------------- layers

def _layer_diff(la: Layer | None, lb: Layer | None, ia: int | None, ib: int | None,
                status: str, entries=(), order_changed: bool = False) -> LayerDiff:
    def pick(layer, attr, default=""):
        return getattr(layer, attr) if layer is not None else default

    sa = la.summary if la is not None else None
    sb = lb.summary if lb is not None else None
    return LayerDiff(
        index=ia, index_b=ib, status=status,
        diff_id_a=pick(la, "diff_id"), diff_id_b=pick(lb, "diff_id"),
        created_by_a=pick(la, "created_by"), created_by_b=pick(lb, "created_by"),
        created_a=pick(la, "created"), created_b=pick(lb, "created"),
        entries=tuple(entries), order_changed=order_changed,
        entry_count_a=len(sa.entries) if sa else 0, entry_count_b=len(sb.entries) if sb else 0,
        compression_a=sa.compression if sa else "", compression_b=sb.compression if sb else "",
        blob_digest_a=pick(la, "blob_digest"), blob_digest_b=pick(lb, "blob_digest"),
        packages_a=sa.packages if sa else {}, packages_b=sb.packages if sb else {},
    )


def _pair(la: Layer, lb: Layer, ia: int, ib: int) -> LayerDiff:
    entries, order = diff_layer(la.summary, lb.summary, ia)
    if entries:
        status = "different"
    elif order:
        status = "reordered"
    elif la.diff_id and lb.diff_id and la.diff_id != lb.diff_id:
        status = "equivalent"         # every entry equal, bytes not: tar encoding differs
    else:
        status = "identical" if ia == ib else "moved"
    return _layer_diff(la, lb, ia, ib, status, entries, order)


def pair_layers(a: list[Layer], b: list[Layer]) -> list[LayerDiff]:
    """Pair layers by diffID where possible, else by position within a changed run."""
    key_a = [l.diff_id or f"a{i}" for i, l in enumerate(a)]
    key_b = [l.diff_id or f"b{i}" for i, l in enumerate(b)]
    matcher = difflib.SequenceMatcher(None, key_a, key_b, autojunk=False)
    result: list[LayerDiff] = []
    unmatched_a: list[int] = []
    unmatched_b: list[int] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and a1 - a0 == b1 - b0):
            result.extend(_pair(a[i], b[j], i, j) for i, j in zip(range(a0, a1), range(b0, b1)))
        else:
            unmatched_a.extend(range(a0, a1))
            unmatched_b.extend(range(b0, b1))
    # a layer that moved keeps its diffID: pair those, the rest exist on one side only
    free_b: dict[str, list[int]] = {}
    for j in unmatched_b:
        free_b.setdefault(b[j].diff_id, []).append(j)
    for i in unmatched_a:
        js = free_b.get(a[i].diff_id) if a[i].diff_id else None
        if js:
            j = js.pop(0)
            unmatched_b.remove(j)
            result.append(_pair(a[i], b[j], i, j))
        else:
            result.append(_layer_diff(a[i], None, i, None, "only_a"))
    result.extend(_layer_diff(None, b[j], None, j, "only_b") for j in unmatched_b)
    result.sort(key=lambda l: (l.index if l.index is not None else l.index_b, l.index is None))
    return result


# --------------------------------------------------------------------------- config

# Keys that change on every build by design; differences here are "metadata".
_VOLATILE = {
    ("created",), ("container",), ("docker_version",), ("parent",), ("id",),
    ("config", "Hostname"), ("config", "Image"),
    ("container_config", "Hostname"), ("container_config", "Image"),
}
_SKIPPED = {("rootfs", "diff_ids")}           # reported per layer instead


def _flatten_config(value: object, key: tuple = ()) -> dict[tuple, object]:
    if isinstance(value, dict):
        out: dict[tuple, object] = {}
        for k, v in value.items():
            out.update(_flatten_config(v, key + (str(k),)))
        return out or {key: {}}
    if isinstance(value, list) and key == ("history",):
        out = {}
        for i, item in enumerate(value):
            out.update(_flatten_config(item, key + (i,)))
        return out or {key: []}
    return {key: value}


def _is_volatile(key: tuple) -> bool:
    if key in _VOLATILE:
        return True
    return len(key) == 3 and key[0] == "history" and key[2] == "created"


def _key_text(key: tuple) -> str:
    text = ""
    for part in key:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _natural_key(key: tuple) -> tuple:
    """history[2] before history[10]."""
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in key)


def diff_configs(a: dict, b: dict) -> list[ConfigDiff]:
    fa, fb = _flatten_config(a), _flatten_config(b)
    result = []
    missing = object()
    for key in sorted(fa.keys() | fb.keys(), key=_natural_key):
        if key[:2] in _SKIPPED:
            continue
        va, vb = fa.get(key, missing), fb.get(key, missing)
        if va != vb:
            result.append(ConfigDiff(_key_text(key), None if va is missing else va,
                                     None if vb is missing else vb, _is_volatile(key)))
    return result


# --------------------------------------------------------------------------- entry point

def diff_read_images(a: Image, b: Image, scan_b: bool = False) -> ImageDiff:
    """Compare two images already summarised by :func:`read_image`; with ``scan_b``, image B's
    layers are scanned for what they carry too (an existing image, not a second build)."""
    layers = pair_layers(a.layers, b.layers)
    merged: list[EntryDiff] = []
    if any(l.status in ("only_a", "only_b", "moved") for l in layers):
        fs_a, origin_a = flatten(a.layers)
        fs_b, origin_b = flatten(b.layers)
        merged = diff_entry_sets(
            fs_a, fs_b,
            layer_of=lambda e, side: (origin_a if side == "a" else origin_b).get(e.path))
    return ImageDiff(
        layers=tuple(layers), config=tuple(diff_configs(a.config, b.config)),
        layer_count_a=len(a.layers), layer_count_b=len(b.layers), merged=tuple(merged),
        issues_a=tuple(a.issues), issues_b=tuple(b.issues),
        layout_a=a.layout, layout_b=b.layout, bytes_read=a.bytes_read + b.bytes_read,
        **_pictures(a, b, scan_b),
    )


def _pictures(a: Image, b: Image, scan_b: bool = False) -> dict:
    """Both images' pictures, and what image A (with ``scan_b`` image B too) carries, with which
    of it later layers remove."""
    out: dict = {}
    for label, image in (("a", a), ("b", b)):
        summaries = [l.summary for l in image.layers]
        if label == "b" and not scan_b:
            out["picture_b"] = picture(summaries)
            continue
        carried, flagged = scan(summaries)
        pic = picture(summaries, watch=flagged)
        for key in pic.removed_watched:
            flagged[key].removed += 1
        out[f"picture_{label}"], out[f"carried_{label}"] = pic, tuple(carried)
    return out


class DiffTimeout(Exception):
    """The deadline passed while the images were being read."""


def diff_images(stream_a, stream_b, progress: Callable[[int], None] | None = None,
                parallel: bool = True, deadline: float | None = None, scan_b: bool = False) -> ImageDiff:
    """Stream-diff two ``docker save`` archives (binary file-likes with ``read``).

    Memory is bounded by the number of entries (headers and digests are kept,
    content never is).  With ``parallel`` the two archives are read in two
    threads (hashing releases the GIL, so big files use two cores).
    ``progress(total_bytes_read)`` is called every few MB; an exception it
    raises aborts the diff and is re-raised.  Raises :class:`ImageFormatError`
    on unreadable input, :class:`DiffTimeout` once ``deadline`` (a ``time.monotonic()``
    value) has passed, even while a reader is stuck (the caller closes the streams).
    """
    done = [0, 0]
    lock = threading.Lock()
    abort = threading.Event()

    def reporter(side: int) -> Callable[[int], None]:
        def report(n: int) -> None:
            if abort.is_set():
                raise _Aborted
            if deadline is not None and time.monotonic() > deadline:
                raise DiffTimeout("comparing the images timed out (--timeout reached)")
            with lock:
                done[side] = n
                if progress is not None:
                    progress(done[0] + done[1])
        return report

    if not parallel:
        return diff_read_images(read_image(stream_a, reporter(0)),
                                read_image(stream_b, reporter(1)), scan_b)
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dockerlint-diff")
    futures = [pool.submit(read_image, stream, reporter(side))
               for side, stream in enumerate((stream_a, stream_b))]
    try:
        remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
        finished, _ = wait(futures, timeout=remaining, return_when=FIRST_EXCEPTION)
        for future in futures:
            error = future.exception() if future.done() else None
            if error is not None:
                raise error
        if len(finished) < len(futures):
            raise DiffTimeout("comparing the images timed out (--timeout reached)")
        image_a, image_b = (f.result() for f in futures)
    except BaseException:
        abort.set()                  # the other reader stops at its next progress call
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return diff_read_images(image_a, image_b, scan_b)


class _Aborted(Exception):
    """Stops the second reader once the first one failed."""
