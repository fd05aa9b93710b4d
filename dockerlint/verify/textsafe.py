"""Text from a build, an image or a Dockerfile, made safe for a terminal or a CI log.

A step's output, a path inside a layer and a daemon's error message are
written by whoever controls the Dockerfile or the base image.  Printed raw,
they could drive the terminal (OSC 52 writes the clipboard, CSI clears the
screen) or, in a GitHub Actions log, run workflow commands: the runner reads
every line that starts with ``::`` (or ``##[``) after leading whitespace as
one, so ``::add-mask::`` or ``::stop-commands::`` in build output would be
obeyed.  Every such text goes through one of these helpers before it is
printed anywhere that is not a structured document (JSON, SARIF).
"""
from __future__ import annotations

import re

__all__ = ["GUTTER", "log_line", "one_line", "visible"]

# C0 controls (tab and newline too: callers decide about lines), DEL, C1 controls,
# Unicode line/paragraph separators and the bidirectional overrides (Trojan Source).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\r\n\f\v\u2028\u2029\x1c-\x1f\x85]+")
GUTTER = "  | "          # what starts every line of build output we show: never "::"
MAX_LINE = 400           # characters of one shown line (a minified script is one line)


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character shown escaped (``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(_escape, text)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: str, limit: int = 2000) -> str:
    """One line for an error or warning message: line breaks and runs of blanks become one
    space, controls are escaped; never starts with ``::`` (a message starts with
    ``dockerlint:`` anyway, but a caller may print it alone)."""
    line = visible(_SPACES.sub(" ", text).strip())
    if line.startswith(("::", "##[")):
        line = "\\" + line
    return _clip(line, limit)


def log_line(text: str) -> str:
    """A line of build output shown below an error: behind :data:`GUTTER`, escaped, bounded."""
    return GUTTER + _clip(visible(text.replace("\t", "    ").rstrip()), MAX_LINE)
