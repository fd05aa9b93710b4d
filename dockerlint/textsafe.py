"""Text from a Dockerfile, a path or a build made safe for a terminal or a CI log.

A Dockerfile line, a file name or a build's output may hold escape
sequences (OSC 52 writes the user's clipboard, others clear the screen or
hide text). Every line-oriented output that is not a structured document
(stderr messages, ``--diff``, ``-f gnu``) passes such text through
``escape_controls``: C0 controls other than tab, DEL and C1 controls are
shown as ``\\xNN`` escapes, so they are visible and inert.
"""
from __future__ import annotations

_ESCAPED = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x09), *range(0x0a, 0x20), *range(0x7f, 0xa0)]}
_ESCAPED_KEEP_NEWLINE = {c: e for c, e in _ESCAPED.items() if c != 0x0a}


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with control characters (newlines too, unless ``keep_newlines``) shown as ``\\xNN``."""
    if text.isprintable():
        return text
    return text.translate(_ESCAPED_KEEP_NEWLINE if keep_newlines else _ESCAPED)
