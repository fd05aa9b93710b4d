"""The one error type ``--verify-build`` raises: a message a user can act on.

Everything that can go wrong while talking to Docker (no daemon, socket
permissions, a failing step, a timeout, a full disk) ends as a
``VerifyError`` whose text is printed as one line, exit code 2.
"""
from __future__ import annotations


class VerifyError(Exception):
    """A verify-build run cannot produce a verdict. ``str()`` is the one-line message."""

    def __init__(self, message: str, *, details: str = ""):
        super().__init__(message)
        self.message = message
        self.details = details  # e.g. the failing step's output tail, shown below the line

    def __str__(self) -> str:
        return self.message


class BuildFailed(VerifyError):
    """A Dockerfile step failed; ``details`` holds the tail of its output."""


class BuildTimeout(VerifyError):
    """The run exceeded ``--timeout``."""


OUT_OF_DISK_MARKERS = ("no space left on device", "disk quota exceeded")


def mentions_full_disk(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in OUT_OF_DISK_MARKERS)
