"""Images that already exist: in the daemon, or as ``docker save`` archives on disk.

``dockerlint verify --image A --image B`` compares two of them without
building; ``--against IMAGE`` compares a fresh build with one ("is the
published image what this Dockerfile builds?").  A value that names an
existing file is an archive (plain or gzip-compressed ``docker save`` output,
legacy or OCI layout); one that names a directory is an image layout on disk
(an OCI image layout as ``skopeo copy … oci:DIR``, ``buildx --output
type=oci,tar=false`` or ``crane`` write it, or an unpacked ``docker save``);
anything else is an image reference in the daemon.

Without a Dockerfile the differences are placed on a Dockerfile rebuilt from
image A's history (one line per layer, as ``docker history`` shows it), so
each finding still sits on the step that made its layer.
"""
from __future__ import annotations

import os
import re
import stat
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from dockerlint.verify.errors import VerifyError


@dataclass(frozen=True)
class ImageSource:
    """Where one side of the comparison comes from."""

    ref: str            # as the user wrote it
    kind: str           # "archive", "layout" (a directory) or "daemon"

    @classmethod
    def of(cls, ref: str) -> ImageSource:
        if os.path.isfile(ref):
            return cls(ref, "archive")
        return cls(ref, "layout" if os.path.isdir(ref) else "daemon")

    def as_dict(self) -> dict[str, str]:
        return {"ref": self.ref, "source": self.kind}


def open_image(source: ImageSource, client, label: str) -> BinaryIO:
    """The image as a ``docker save`` byte stream."""
    if source.kind == "archive":
        try:
            return open(source.ref, "rb")   # noqa: SIM115 - the caller closes it
        except OSError as exc:
            raise VerifyError(f"cannot read {source.ref}: {exc.strerror or exc}") from None
    if source.kind == "layout":
        if not is_layout(source.ref):
            raise VerifyError(f"image {label}: {source.ref} is a directory but not an image layout "
                              "(no index.json or manifest.json in it)")
        return _LayoutStream(layout_tar(source.ref))   # type: ignore[return-value]
    from docker.errors import DockerException, ImageNotFound

    from dockerlint.verify.export import save_stream

    try:
        client.api.inspect_image(source.ref)
    except ImageNotFound:
        raise VerifyError(f"image {label}: {source.ref} is neither a file nor an image in the "
                          "Docker daemon") from None
    except DockerException as exc:
        raise VerifyError(f"image {label}: cannot inspect {source.ref}: "
                          f"{getattr(exc, 'explanation', None) or exc}") from None
    return save_stream(client, source.ref, label)


def size_of(source: ImageSource, client) -> int:
    """Bytes to read, for the progress line (0 when unknown)."""
    try:
        if source.kind == "archive":
            return os.path.getsize(source.ref)
        if source.kind == "layout" and is_layout(source.ref):
            return sum(size for _, _, size in _layout_files(source.ref))
        return int(client.api.inspect_image(source.ref).get("Size") or 0)
    except Exception:       # the size only feeds the progress line
        return 0


def is_layout(directory: str) -> bool:
    """An OCI image layout or an unpacked ``docker save`` (checked before anything is read)."""
    return any(os.path.isfile(os.path.join(directory, name)) for name in ("index.json", "manifest.json"))


_LEGACY_LAYER_DIR = re.compile(r"[0-9a-f]{64}")


def _layout_files(root: str) -> Iterator[tuple[str, os.stat_result, int]]:
    """(path relative to ``root``, lstat, size) of the regular files and symlinks of an image
    layout directory, in a stable order; links are listed, never followed. Only what a layout
    holds is read: the top level's files, ``blobs/`` (OCI) and the 64-hex layer directories of
    a legacy ``docker save``; anything else in the directory is left alone."""
    def listed(directory: str, names: list[str]) -> Iterator[tuple[str, os.stat_result, int]]:
        for name in sorted(names):
            path = os.path.join(directory, name)
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
                yield os.path.relpath(path, root), info, info.st_size if stat.S_ISREG(info.st_mode) else 0

    top = os.listdir(root)
    yield from listed(root, top)
    for name in sorted(top):
        if (name == "blobs" or _LEGACY_LAYER_DIR.fullmatch(name)) and \
                stat.S_ISDIR(os.lstat(os.path.join(root, name)).st_mode):
            for directory, dirs, files in os.walk(os.path.join(root, name), onerror=_raise):
                dirs.sort()
                yield from listed(directory, dirs + files)


def _raise(exc: OSError) -> None:
    raise VerifyError(f"cannot read {exc.filename}: {exc.strerror or exc}")


LAYOUT_CHUNK = 1 << 20


class _LayoutStream:
    """``read(n)`` over :func:`layout_tar`; ``close`` stops it (its open file closes too)."""

    def __init__(self, chunks: Iterator[bytes]):
        from dockerlint.verify.layers import ChunkStream

        self._chunks = chunks
        self._stream = ChunkStream(chunks)

    def read(self, n: int = -1) -> bytes:
        return self._stream.read(n)

    def close(self) -> None:
        getattr(self._chunks, "close", lambda: None)()


def layout_tar(root: str) -> Iterator[bytes]:
    """An image layout directory as the tar stream ``docker save`` would send (regular files
    and symlinks only; a file that shrinks while read is padded, one that grows is cut)."""
    try:
        for name, info, size in _layout_files(root):
            member = tarfile.TarInfo(name.replace(os.sep, "/"))
            member.mode, member.mtime, member.size = info.st_mode & 0o777, int(info.st_mtime), size
            if stat.S_ISLNK(info.st_mode):
                member.type, member.linkname = tarfile.SYMTYPE, os.readlink(os.path.join(root, name))
            yield member.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")
            if not size:
                continue
            left = size
            with open(os.path.join(root, name), "rb") as handle:
                while left:
                    chunk = handle.read(min(LAYOUT_CHUNK, left)) or bytes(min(LAYOUT_CHUNK, left))
                    left -= len(chunk)
                    yield chunk
            yield bytes(-size % tarfile.BLOCKSIZE)
    except OSError as exc:
        raise VerifyError(f"cannot read {exc.filename or root}: {exc.strerror or exc}") from None
    yield bytes(2 * tarfile.BLOCKSIZE)


def history_dockerfile(created_by: list[str]) -> bytes:
    """A Dockerfile with one instruction per layer of an image, from its history.

    Layers the history does not describe (an imported base) become comments,
    which :func:`~dockerlint.verify.attribute.attribute` treats as the base.
    """
    from dockerlint.verify.attribute import history_step, run_command

    lines = ["FROM scratch"]
    for text in created_by:
        step = history_step(text)
        if step is None:
            lines.append("# " + _one_line(text or "(a layer without history)"))
            continue
        keyword, payload = step
        if keyword == "RUN":     # the command as written: no build-arg prefix, no shell
            payload = run_command(payload).removeprefix("/bin/sh -c ")
        lines.append(f"{keyword} {_one_line(payload)}".rstrip())
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")


def _one_line(text: str) -> str:
    """A history entry as one Dockerfile line: no line breaks, no continuation, no heredoc."""
    return " ".join(text.split()).rstrip("\\").replace("<<", "< <")


def streams_for(sources: tuple[ImageSource, ImageSource], client) -> tuple[BinaryIO, BinaryIO]:
    first = open_image(sources[0], client, "A")
    try:
        return first, open_image(sources[1], client, "B")
    except BaseException:
        first.close()
        raise


__all__ = ["ImageSource", "history_dockerfile", "is_layout", "layout_tar", "open_image", "size_of", "streams_for"]
