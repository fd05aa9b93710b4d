"""Images that already exist: in the daemon, or as ``docker save`` archives on disk.

``dockerlint verify --image A --image B`` compares two of them without
building; ``--against IMAGE`` compares a fresh build with one ("is the
published image what this Dockerfile builds?").  A value that names an
existing file is an archive (plain or gzip-compressed ``docker save`` output,
legacy or OCI layout); anything else is an image reference in the daemon.

Without a Dockerfile the differences are placed on a Dockerfile rebuilt from
image A's history (one line per layer, as ``docker history`` shows it), so
each finding still sits on the step that made its layer.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO

from dockerlint.verify.errors import VerifyError


@dataclass(frozen=True)
class ImageSource:
    """Where one side of the comparison comes from."""

    ref: str            # as the user wrote it
    kind: str           # "archive" or "daemon"

    @classmethod
    def of(cls, ref: str) -> ImageSource:
        return cls(ref, "archive" if os.path.isfile(ref) else "daemon")

    def as_dict(self) -> dict[str, str]:
        return {"ref": self.ref, "source": self.kind}


def open_image(source: ImageSource, client, label: str) -> BinaryIO:
    """The image as a ``docker save`` byte stream."""
    if source.kind == "archive":
        try:
            return open(source.ref, "rb")   # noqa: SIM115 - the caller closes it
        except OSError as exc:
            raise VerifyError(f"cannot read {source.ref}: {exc.strerror or exc}") from None
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
        return int(client.api.inspect_image(source.ref).get("Size") or 0)
    except Exception:       # the size only feeds the progress line
        return 0


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


__all__ = ["ImageSource", "history_dockerfile", "open_image", "size_of", "streams_for"]
