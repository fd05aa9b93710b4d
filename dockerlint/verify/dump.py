"""``--dump DIR``: both versions of each differing regular file, for ``diff`` / ``diffoscope``.

The diff keeps digests, never content, so the dump is a second pass: both
images are read again (from the daemon before the run's images are removed,
or from the archives) and a file is written only when its path *and* content
digest are one the diff reported as differing.  Layout::

    DIR/a/<path>              image A's version
    DIR/b/<path>              image B's version
    DIR/a/<path>~layer<N>     a path that differs in more than one layer: the earlier layers'
                              versions (the plain name holds the last one, the image's own)
    DIR/dump.json             what was written and what was not, and why

so ``diff -r DIR/a DIR/b`` or ``diffoscope DIR/a DIR/b`` compares them.

Safety: DIR must be missing or empty (nothing of the user's is ever
overwritten); every file is created with ``O_EXCL`` and every directory is
opened with ``O_NOFOLLOW`` below DIR, so no path from an image can leave DIR
or follow a link; paths with ``..``, NUL or an empty name are not written;
files larger than the size limit, and any file once the total limit is
reached, are listed as skipped.  Files are written 0644 (never executable or
setuid), whatever mode the image gave them.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dockerlint.verify.errors import VerifyError

DEFAULT_MAX_FILE = 64 * 10**6          # bytes of one dumped file (--dump-max-size)
MAX_TOTAL = 2 * 2**30                  # bytes of one whole dump
MANIFEST = "dump.json"
_PARTIAL = ".dockerlint-partial"


@dataclass
class Target:
    """One version of one differing file, and where it goes."""

    side: str                 # "a" or "b"
    path: str                 # canonical path in the image
    digest: str               # sha256 hex of the content
    size: int
    layer: int | None         # image A's layer the difference is attributed to
    dest: str = ""            # relative to DIR ("a/etc/x"); "" when skipped
    reason: str = ""          # why it was not written
    written: bool = False

    def as_dict(self) -> dict:
        out = {"side": self.side, "path": self.path, "layer": self.layer, "size": self.size,
               "sha256": self.digest}
        if self.written:
            out["file"] = self.dest
        else:
            out["reason"] = self.reason or "not found when the image was read again"
        return out


def check_directory(directory: str) -> None:
    """Refuse, before any build, a DIR that exists and is not an empty directory."""
    if not os.path.lexists(directory):
        return
    if os.path.islink(directory) or not os.path.isdir(directory):
        raise VerifyError(f"--dump {directory}: exists and is not a directory")
    try:
        if os.listdir(directory):
            raise VerifyError(f"--dump {directory}: the directory is not empty (the dump never "
                              "writes among existing files; give a new or empty directory)")
    except OSError as exc:
        raise VerifyError(f"--dump {directory}: {exc.strerror or exc}") from None


def unsafe(path: str) -> str:
    """Why ``path`` (canonical, from an image) is not written, or ""."""
    if not path or path == "." or "\0" in path:
        return "empty name or NUL in the path"
    parts = path.split("/")
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return "the path leaves the image root (.., /)"
    return ""


def _file_digest(entry) -> str:
    return entry.digest if entry is not None and entry.type == "file" else ""


def plan(differences: Iterable, max_file: int = DEFAULT_MAX_FILE,
         max_total: int = MAX_TOTAL) -> list[Target]:
    """A target per side per differing regular file whose content differs (or exists on one
    side only), in the order given (by layer, then path).  A path that differs in several
    layers: the last layer's version (the one the image ends with) is ``<side>/<path>``, the
    earlier ones ``<side>/<path>~layer<N>``."""
    rows = [d for d in differences if _file_digest(d.a) != _file_digest(d.b)]  # not metadata only
    last: dict[tuple[str, str], int | None] = {}
    for d in rows:
        for side, entry in (("a", d.a), ("b", d.b)):
            if _file_digest(entry):
                last[(side, d.path)] = d.layer
    targets: list[Target] = []
    taken: set[str] = set()                      # destinations already planned
    total = 0
    for d in rows:
        for side, entry in (("a", d.a), ("b", d.b)):
            digest = _file_digest(entry)
            if not digest:
                continue
            target = Target(side, d.path, digest, entry.size, d.layer)
            targets.append(target)
            target.reason = unsafe(d.path)
            if target.reason:
                continue
            if entry.size > max_file:
                target.reason = f"larger than the limit ({max_file:,} bytes; --dump-max-size)"
                continue
            if total + entry.size > max_total:
                target.reason = f"the dump's total limit ({max_total:,} bytes) was reached"
                continue
            dest = f"{side}/{d.path}"
            if last[(side, d.path)] != d.layer:
                dest += f"~layer{d.layer}"
            if dest in taken:
                target.reason = "the same path differs twice in one layer"
                continue
            taken.add(dest)
            target.dest = dest
            total += entry.size
    return targets


@dataclass
class _Writer:
    """Writes the planned files of one side while a layer streams past."""

    root: int                                        # fd of DIR
    wanted: dict[tuple[str, str], list[Target]]      # (path, digest) -> targets
    sizes: dict[str, set[int]] = field(default_factory=dict)   # path -> sizes worth reading

    def __post_init__(self) -> None:
        for (path, _), group in self.wanted.items():
            self.sizes.setdefault(path, set()).update(t.size for t in group)

    def layer(self, reader):
        """A ``read_image`` layer reader: write what is wanted, skip the rest."""
        from dockerlint.verify.layers import BLOCK, LayerSummary, canonical_path, data_size, iter_members

        for member in iter_members(reader):
            length = data_size(member)
            path = canonical_path(member.name)
            if member.type == "file" and member.size in self.sizes.get(path, ()):
                self._take(reader, path, length)
            else:
                reader.skip(length, "layer")
            reader.skip(-length % BLOCK, "layer")
        return LayerSummary()

    def _take(self, reader, path: str, length: int) -> None:
        """Stream one member to a scratch file; keep it where its digest is wanted."""
        hasher = hashlib.sha256()
        fd = os.open(_PARTIAL, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600,
                     dir_fd=self.root)
        try:
            try:
                sink = _FdSink(fd)
                reader.feed(length, (hasher, sink), "layer")
                os.fchmod(fd, 0o644)
            finally:
                os.close(fd)
            for target in self.wanted.get((path, hasher.hexdigest()), ()):
                if target.written or target.reason:
                    continue
                try:
                    if sink.error is not None:
                        raise sink.error
                    _place(self.root, target.dest)
                    target.written = True
                except OSError as exc:
                    target.reason = _why(exc)
        finally:
            os.unlink(_PARTIAL, dir_fd=self.root)


class _FdSink:
    """``update(bytes)`` that writes to a file descriptor; the first error is kept, not raised
    (the layer must still be read to its end)."""

    def __init__(self, fd: int):
        self.fd = fd
        self.error: OSError | None = None

    def update(self, data) -> None:
        if self.error is not None:
            return
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view):]
        except OSError as exc:
            self.error = exc


def _why(exc: OSError) -> str:
    if exc.errno in (errno.EEXIST, errno.ENOTDIR, errno.ELOOP):
        return "conflicts with another dumped path (a file where a directory is needed, or the reverse)"
    return f"could not be written: {exc.strerror or exc}"


def _place(root: int, dest: str) -> None:
    """Hard-link the scratch file to ``dest`` below ``root``: directories created or opened one
    by one without following links; the file itself never replaces anything."""
    *parents, leaf = dest.split("/")
    fd = os.dup(root)
    try:
        for name in parents:
            try:
                os.mkdir(name, 0o755, dir_fd=fd)
            except FileExistsError:
                pass
            child = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = child
        os.link(_PARTIAL, leaf, src_dir_fd=root, dst_dir_fd=fd, follow_symlinks=False)
    finally:
        os.close(fd)


def write(directory: str, differences: Iterable, open_side: Callable[[str], object],
          max_file: int = DEFAULT_MAX_FILE, progress: Callable[[int], None] | None = None) -> dict:
    """Plan and write the dump; ``open_side("a"|"b")`` returns that image's ``docker save``
    stream (closed here).  Returns the summary the report carries. Raises VerifyError."""
    from dockerlint.verify.archive import read_image
    from dockerlint.verify.layers import ImageFormatError

    targets = plan(differences, max_file)
    check_directory(directory)
    try:
        os.makedirs(directory, exist_ok=True)
        root = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as exc:
        raise VerifyError(f"--dump {directory}: {exc.strerror or exc}") from None
    try:
        done = 0
        for side in ("a", "b"):
            wanted: dict[tuple[str, str], list[Target]] = {}
            for t in targets:
                if t.side == side and t.dest:
                    wanted.setdefault((t.path, t.digest), []).append(t)
            if not wanted:
                continue
            writer = _Writer(root, wanted)
            stream = open_side(side)
            try:
                done += read_image(stream, progress=_offset(progress, done),
                                   layer_reader=writer.layer).bytes_read
            except ImageFormatError as exc:
                raise VerifyError(f"--dump: cannot read image {side.upper()} again: {exc}") from None
            except OSError as exc:
                raise VerifyError(f"--dump {directory}: {exc.strerror or exc}") from None
            finally:
                getattr(stream, "close", lambda: None)()
        summary = summarize(directory, targets, max_file)
        manifest = json.dumps({"directory": directory, "max_file_bytes": max_file,
                               "max_total_bytes": MAX_TOTAL,
                               "files": [t.as_dict() for t in targets]}, indent=2) + "\n"
        try:
            fd = os.open(MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=root)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(manifest)
        except OSError as exc:
            raise VerifyError(f"--dump {directory}: cannot write {MANIFEST}: {exc.strerror or exc}") from None
        return summary
    finally:
        os.close(root)


def _offset(progress: Callable[[int], None] | None, base: int) -> Callable[[int], None] | None:
    """Progress of the second image read, counted after the first one's bytes."""
    if progress is None:
        return None
    report = progress
    return lambda n: report(base + n)


def summarize(directory: str, targets: list[Target], max_file: int) -> dict:
    written = [t for t in targets if t.written]
    reasons: dict[str, int] = {}
    for t in targets:
        if not t.written:
            reason = t.reason or "not found when the image was read again"
            reasons[reason] = reasons.get(reason, 0) + 1
    return {"directory": directory, "manifest": os.path.join(directory, MANIFEST),
            "written": len(written), "bytes": sum(t.size for t in written),
            "skipped": len(targets) - len(written), "skipped_because": reasons,
            "max_file_bytes": max_file}


__all__ = ["DEFAULT_MAX_FILE", "MANIFEST", "Target", "check_directory", "plan", "unsafe", "write"]
