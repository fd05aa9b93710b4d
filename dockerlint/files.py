"""Reading the files a run is given, bounded: a Dockerfile or config is a regular file of limited size.

``/dev/zero``, ``/dev/urandom`` or a FIFO named as a Dockerfile would be read
forever; a huge file would be held in memory whole. Both are refused with
one line instead (the limits are documented in the README).
"""
from __future__ import annotations

import os
import stat

# 25 times the largest of 605 real Dockerfiles (157 kB); linting holds about 350 bytes per input
# byte, so 16 MiB could take 5 GB of a CI runner's memory, 4 MiB at most about 1.4 GB.
MAX_DOCKERFILE_BYTES = 4 * 1024 * 1024
MAX_CONFIG_BYTES = 1024 * 1024


class UnreadableFile(OSError):
    """Not a regular file, or larger than the limit (an OSError: reported as the file being unreadable)."""


def read_bounded(path: str, limit: int) -> bytes:
    """The bytes of the regular file ``path``; UnreadableFile when it is something else or too large.

    Opened non-blocking, so that a FIFO without a writer does not hang the open itself.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"not a regular file ({_kind(info.st_mode)})")
        if info.st_size > limit:
            raise UnreadableFile(f"larger than the {limit // (1024 * 1024)} MiB limit")
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            data = fh.read(limit + 1)
    finally:
        if fd != -1:
            os.close(fd)
    if len(data) > limit:
        raise UnreadableFile(f"larger than the {limit // (1024 * 1024)} MiB limit")
    return data


def read_stream_bounded(stream, limit: int) -> bytes:
    """At most ``limit`` bytes of a binary stream (standard input); UnreadableFile beyond."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFile(f"larger than the {limit // (1024 * 1024)} MiB limit")
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"
