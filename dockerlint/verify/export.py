"""An image as a ``docker save`` byte stream, read straight from the Engine API.

Nothing is written to disk: the diff reads the HTTP response as a file-like
object, chunk by chunk.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from dockerlint.verify.errors import VerifyError, mentions_full_disk

if TYPE_CHECKING:
    import docker

CHUNK = 1 << 20


class ChunkReader(io.RawIOBase):
    """A read-only binary stream over an iterator of byte chunks."""

    def __init__(self, chunks: Iterator[bytes], label: str = "image"):
        self._chunks = chunks
        self._buffer = b""
        self._label = label

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
            except Exception as exc:  # requests/urllib3 errors while streaming
                raise _export_error(self._label, exc) from None
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def save_stream(client: docker.DockerClient, image_id: str, label: str) -> io.BufferedReader:
    """``docker save <image_id>`` as a buffered binary stream."""
    from docker.errors import DockerException

    try:
        chunks = client.api.get_image(image_id, chunk_size=CHUNK)
    except (DockerException, OSError) as exc:
        raise _export_error(label, exc) from None
    return io.BufferedReader(ChunkReader(iter(chunks), label), buffer_size=CHUNK)


def _export_error(label: str, exc: BaseException) -> VerifyError:
    text = str(getattr(exc, "explanation", None) or exc)
    if mentions_full_disk(text):
        return VerifyError(f"out of disk space on the Docker host while exporting image {label}: {text}")
    return VerifyError(f"cannot export image {label} from the Docker daemon: {text}")
