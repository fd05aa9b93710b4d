"""Text from a Dockerfile, a path or a build made safe for a terminal, a CI log or a document.

A Dockerfile line, a file name or a build's output may hold escape
sequences (OSC 52 writes the user's clipboard, others clear the screen or
hide text), and bytes that are not UTF-8 (read as lone surrogates,
``surrogateescape``). Every line-oriented output that is not a structured
document (stderr messages, ``--diff``, ``-f gnu``, ``-f github``) passes such
text through ``escape_controls``: C0 controls other than tab, DEL and C1
controls are shown as ``\\xNN`` escapes, a byte that was not UTF-8 as the
``\\xNN`` of that byte, so they are visible and inert. Layouts that must keep
one column per character (tty code frames, GitHub log lines) use
``replace_controls`` (U+FFFD). Structured documents (JSON, SARIF, GitLab,
XML) keep control characters escaped by their own syntax but cannot carry a
lone surrogate in valid UTF-8: ``document_text`` makes it U+FFFD.
"""
from __future__ import annotations

import re

_CONTROL_CODES = [*range(0x00, 0x09), *range(0x0a, 0x20), *range(0x7f, 0xa0)]
_SURROGATES = range(0xD800, 0xE000)
_ESCAPED = {c: f"\\x{c:02x}" for c in _CONTROL_CODES}
_ESCAPED.update({c: f"\\x{c - 0xDC00:02x}" if 0xDC80 <= c < 0xDD00 else f"\\u{c:04x}" for c in _SURROGATES})
_ESCAPED_KEEP_NEWLINE = {c: e for c, e in _ESCAPED.items() if c != 0x0a}
_REPLACED = dict.fromkeys([*_CONTROL_CODES, *_SURROGATES], "\ufffd")
_REPLACED_KEEP_NEWLINE = {c: e for c, e in _REPLACED.items() if c != 0x0a}
_SURROGATE = re.compile("[\ud800-\udfff]")


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with control characters (newlines too, unless ``keep_newlines``) and bytes that were
    not UTF-8 shown as ``\\xNN``."""
    if text.isprintable():
        return text
    return text.translate(_ESCAPED_KEEP_NEWLINE if keep_newlines else _ESCAPED)


def replace_controls(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with control characters and bytes that were not UTF-8 as U+FFFD (one column each)."""
    if text.isprintable():
        return text
    return text.translate(_REPLACED_KEEP_NEWLINE if keep_newlines else _REPLACED)


def document_text(text: str) -> str:
    """``text`` encodable as UTF-8: lone surrogates (bytes that were not UTF-8) become U+FFFD."""
    if text.isascii():
        return text
    return _SURROGATE.sub("\ufffd", text)
