"""The process's streams and exit statuses, shared by the entry point, the click commands and the lint run.

Every expected failure (bad option, config, unreadable file, docker error)
is a ``Failure`` that the entry point prints as one ``dockerlint: error: …``
line on stderr with exit status 2, never a traceback.
"""
from __future__ import annotations

import os
import sys
from typing import TextIO

from dockerlint.textsafe import escape_controls

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class Failure(Exception):
    """An expected error: printed as one line, exit status 2."""


def fail(message: str) -> Failure:
    return Failure(message)


def stdout() -> TextIO:
    """Standard output, or a Failure when the shell closed it (``dockerlint … >&-``)."""
    if sys.stdout is None:
        raise fail("standard output is closed")
    return sys.stdout


def read_stdin() -> bytes:
    from dockerlint.files import MAX_DOCKERFILE_BYTES, UnreadableFile, read_stream_bounded

    if sys.stdin is None:
        raise fail("standard input is closed")
    try:
        return read_stream_bounded(sys.stdin.buffer, MAX_DOCKERFILE_BYTES)
    except UnreadableFile as exc:
        raise fail(f"standard input: {exc}") from None


def color_for(no_color: bool, stream: TextIO) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def to_stderr(line: str) -> None:
    if sys.stderr is None:  # closed by the shell (`2>&-`): nowhere to say it
        return
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except OSError:
        pass


def note(message: str) -> None:
    to_stderr("dockerlint: " + escape_controls(message))


def warning(message: str) -> None:
    to_stderr("dockerlint: warning: " + escape_controls(" ".join(message.split())))


def error(message: str) -> None:
    """One line whatever the message holds: line breaks fold into spaces, control characters
    (a path or Dockerfile text with escape sequences) show escaped."""
    to_stderr("dockerlint: error: " + escape_controls(" ".join(message.split())))
