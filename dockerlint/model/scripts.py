"""Which shell scripts an instruction runs, and where their text is in the file.

A RUN runs its shell-form body with the active SHELL. A here-document is a
script too when BuildKit runs it directly (``RUN <<EOF`` alone: the body goes
to the SHELL, or to the interpreter its ``#!`` line names) or when it feeds a
shell (``RUN bash <<EOF``). A body fed to ``python3 <<EOF`` or ``cat > f
<<EOF`` is not a shell script. The commands are parsed by
``dockerlint.model.shell``; this module only chooses the scripts and maps
offsets back to the Dockerfile.
"""
from __future__ import annotations

import re
from typing import Callable, Iterator

from dockerlint.syntax.nodes import Heredoc, Instruction, Source, Span

# The first word of a RUN body that runs its stdin as a script (``bash -e <<EOF``).
_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"})
_FIRST_WORD = re.compile(r"\s*(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:sudo\s+(?:-\S+\s+)*)?(\S+)")
_MARKER = re.compile(r"\s*\d*<<-?\s*(\S+)\s*$")

SpanOf = Callable[[int, int], Span]


def shebang_shell(body: str) -> tuple[str, ...] | None:
    """The interpreter argv of a ``#!`` line (``/usr/bin/env bash`` -> ("bash",))."""
    if not body.startswith("#!"):
        return None
    words = body[2:].split("\n", 1)[0].split()
    if not words:
        return None
    if words[0].endswith("/env") and len(words) > 1:
        rest = [w for w in words[1:] if not w.startswith("-")]
        return tuple(rest[:1]) if rest else None
    return (words[0],)


def heredoc_scripts(instr: Instruction, shell: tuple[str, ...]) -> Iterator[tuple[Heredoc, tuple[str, ...]]]:
    """(heredoc, interpreter argv) for each here-document of a RUN that is a script.

    The interpreter is the one from a ``#!`` line when there is one (BuildKit
    runs such a body as a file), else ``shell`` for a body BuildKit hands to
    the shell, else the shell named by the command the body is fed to.
    """
    if not instr.heredocs:
        return
    only_marker = len(instr.heredocs) == 1 and _MARKER.fullmatch(instr.rest) is not None
    if only_marker:
        doc = instr.heredocs[0]
        yield doc, shebang_shell(doc.content) or shell
        return
    match = _FIRST_WORD.match(instr.rest)
    program = match.group(1).rsplit("/", 1)[-1] if match else ""
    if program not in _SHELLS or re.search(r"\s-\w*c\b", instr.rest):
        return
    for doc in instr.heredocs:
        yield doc, shebang_shell(doc.content) or (program,)


def heredoc_span_of(doc: Heredoc, source: Source) -> SpanOf:
    """Map offsets of ``doc.content`` to source spans.

    The content equals the source text except for tabs removed by ``<<-`` and
    ``\\r`` of CRLF line ends, so the mapping is built by walking both.
    """
    content = doc.content
    text = source.text
    start = doc.content_start
    if text.startswith(content, start):
        def direct(lo: int, hi: int) -> Span:
            return source.span(start + lo, start + max(hi, lo))
        return direct
    offsets: list[int] = []
    pos = start
    at_line_start = True
    for ch in content:
        while pos < len(text):
            here = text[pos]
            if here == ch:
                break
            if here == "\r" or (doc.chomp and at_line_start and here == "\t"):
                pos += 1
                continue
            break
        offsets.append(min(pos, len(text)))
        at_line_start = ch == "\n"
        pos += 1
    offsets.append(min(pos, len(text)))

    def mapped(lo: int, hi: int) -> Span:
        lo = min(max(lo, 0), len(content))
        hi = min(max(hi, lo), len(content))
        end = offsets[hi - 1] + 1 if hi > lo else offsets[lo]
        return source.span(offsets[lo], end)
    return mapped
