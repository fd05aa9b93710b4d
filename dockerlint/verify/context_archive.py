"""The build context as a tar archive, optionally with every mtime shifted.

Both builds are sent the context as an archive made here (the same way the
docker CLI and SDK do: ``.dockerignore`` honoured, a Dockerfile outside the
context added under a fixed name). ``--vary`` gives the second build an archive
whose timestamps are moved by ``mtime_shift`` seconds: a copy, so the user's
files are never touched, and a build that copies context timestamps into the
image shows it.
"""
from __future__ import annotations

import errno
import io
import os
import tarfile
import tempfile
from dataclasses import dataclass
from typing import IO

from dockerlint.verify.errors import VerifyError

OUTSIDE_DOCKERFILE_NAME = ".dockerlint-verify.Dockerfile"


@dataclass
class ContextArchive:
    file: IO[bytes]  # positioned at 0; a temporary file deleted when closed
    dockerfile: str  # the Dockerfile's name inside the archive
    size: int

    def close(self) -> None:
        self.file.close()


def read_dockerignore(context_dir: str) -> list[str]:
    """Patterns of ``.dockerignore`` as the SDK reads them (comments and blanks dropped)."""
    path = os.path.join(context_dir, ".dockerignore")
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise VerifyError(f"cannot read {path}: {exc}") from None
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def make_archive(context_dir: str, dockerfile: str, *, mtime_shift: int = 0) -> ContextArchive:
    """Archive ``context_dir`` (plus ``dockerfile`` if it lies outside) into a temp file."""
    from docker.utils.build import exclude_paths

    root = os.path.abspath(context_dir)
    dockerfile = os.path.abspath(dockerfile)
    inside = os.path.commonpath([root, dockerfile]) == root
    name_in_archive = os.path.relpath(dockerfile, root) if inside else OUTSIDE_DOCKERFILE_NAME
    patterns = read_dockerignore(root)
    try:
        paths = sorted(exclude_paths(root, patterns, dockerfile=name_in_archive if inside else None))
    except OSError as exc:
        raise VerifyError(f"cannot list build context {root}: {exc}") from None

    out = tempfile.TemporaryFile(prefix="dockerlint-context-")
    try:
        with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for rel in paths:
                if not inside and rel in (OUTSIDE_DOCKERFILE_NAME, ".dockerignore"):
                    continue
                _add(tar, os.path.join(root, rel), rel, mtime_shift)
            if not inside:
                # As the CLI does: the daemon drops an ignored Dockerfile from the
                # context, so `COPY . .` does not pick up our added file.
                _add(tar, dockerfile, OUTSIDE_DOCKERFILE_NAME, mtime_shift)
                ignore = "\n".join([*patterns, OUTSIDE_DOCKERFILE_NAME, ".dockerignore"]) + "\n"
                _add_text(tar, ".dockerignore", ignore)
        size = out.tell()
        out.seek(0)
    except OSError as exc:
        out.close()
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise VerifyError(f"out of disk space writing the build context archive to "
                              f"{tempfile.gettempdir()} (set TMPDIR to a larger disk)") from None
        raise VerifyError(f"cannot read build context {root}: {exc}") from None
    return ContextArchive(out, name_in_archive, size)


def _add(tar: tarfile.TarFile, path: str, arcname: str, mtime_shift: int) -> None:
    info = tar.gettarinfo(path, arcname=arcname)
    if info is None:  # sockets cannot be sent; the CLI skips them too
        return
    info.mtime = max(0, int(info.mtime) + mtime_shift)
    if info.isfile():
        with open(path, "rb") as handle:
            tar.addfile(info, handle)
    else:
        tar.addfile(info)


def _add_text(tar: tarfile.TarFile, arcname: str, text: str) -> None:
    data = text.encode()
    info = tarfile.TarInfo(arcname)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))
