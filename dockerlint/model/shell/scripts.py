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

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from dockerlint.model.shell.types import shell_dialect
from dockerlint.model.shell.wrappers import shell_reads_stdin
from dockerlint.syntax.nodes import Heredoc, Instruction, Source, Span

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


def heredoc_scripts(instr: Instruction, shell: tuple[str, ...],
                    commands: Iterable = ()) -> Iterator[tuple[Heredoc, tuple[str, ...]]]:
    """(heredoc, interpreter argv) for each here-document of a RUN that is a script.

    ``commands`` are the parsed commands of the RUN line itself. A body
    BuildKit runs by itself (``RUN <<EOF`` alone) goes to the interpreter of
    its ``#!`` line, else to ``shell``; a body on the stdin of a shell
    (``bash -e <<EOF``, ``sudo bash <<EOF``) is read by that shell, unless
    it runs a ``-c`` script or a script file instead.
    """
    if not instr.heredocs:
        return
    if len(instr.heredocs) == 1 and _MARKER.fullmatch(instr.rest) is not None:
        doc = instr.heredocs[0]
        yield doc, shebang_shell(doc.content) or shell
        return
    readers: dict[str, tuple[str, ...]] = {}
    for command in commands:
        program = command.program
        if not program or shell_dialect((program,)) is None:
            continue
        if not shell_reads_stdin(command.argv):
            continue
        for r in command.redirects:
            if r.op in ("<<", "<<-") and r.target is not None and r.target.value:
                readers.setdefault(r.target.value, (program,))
    for doc in instr.heredocs:
        if doc.name in readers:  # a ``#!`` line is only a comment on a shell's stdin
            yield doc, readers[doc.name]


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


class Script(NamedTuple):
    """One shell script a RUN runs, with its interpreter and where its text is in the file.

    ``text`` is what the shell reads: the shell-form body (continuation lines
    joined, comment lines dropped, as BuildKit joins them) followed by the
    bodies of its here-documents and their terminators; or the body of a
    here-document BuildKit or a shell runs as a script (``kind="heredoc"``).
    ``span(lo, hi)`` is the Dockerfile span of ``text[lo:hi]``.
    """

    text: str
    shell: tuple[str, ...]  # the interpreter argv (the SHELL, or a heredoc's ``#!`` line or reader)
    kind: str  # "body", "heredoc" or "exec" (the script of ``RUN ["sh", "-c", "..."]``)
    span: SpanOf


def run_scripts(instr: Instruction, shell: tuple[str, ...], commands: Iterable = ()) -> tuple[Script, ...]:
    """The shell scripts of a RUN (``Instr.scripts``): a shell-form body, its heredoc scripts, or the
    script of an exec-form ``["sh", "-c", "..."]``.

    ``commands`` are the RUN's parsed commands (they say which here-documents
    feed a shell, see ``heredoc_scripts``).
    """
    if instr.keyword != "RUN" or instr.source is None:
        return ()
    source = instr.source
    if instr.json_form:
        script = _exec_script(instr, source)
        return (script,) if script is not None else ()
    scripts: list[Script] = []
    alone = len(instr.heredocs) == 1 and _MARKER.fullmatch(instr.rest) is not None
    if instr.rest_offsets and instr.rest.strip() and not alone:
        scripts.append(_body(instr, shell, source))
    scripts.extend(Script(doc.content, interpreter, "heredoc", heredoc_span_of(doc, source))
                   for doc, interpreter in heredoc_scripts(instr, shell, commands))
    return tuple(scripts)


def _exec_script(instr: Instruction, source: Source) -> Script | None:
    """The script of an exec-form ``["bash", "-c", "script"]`` (options before ``-c`` allowed:
    ``-e``, ``-o pipefail``, ``-ec``); None for any other argv. Offsets map into the JSON string
    when it holds no escapes, else every offset maps to the whole string."""
    args = instr.args
    if not args or shell_dialect((args[0].value,)) is None:
        return None
    k = 1
    while k < len(args):
        word = args[k].value
        if word in ("-o", "+o"):
            k += 2
            continue
        if not word.startswith(("-", "+")) or word.startswith("--"):
            return None
        k += 1
        if "c" in word[1:]:
            break
    else:
        return None
    if k >= len(args):
        return None
    literal, value = args[k].span, args[k].value
    inner = literal.start + 1
    if source.text[inner:literal.end - 1] == value:
        def span(lo: int, hi: int) -> Span:
            return source.span(inner + lo, inner + max(hi, lo))
    else:
        def span(lo: int, hi: int) -> Span:
            return literal
    return Script(value, tuple(a.value for a in args[:k - 1]), "exec", span)


def _body(instr: Instruction, shell: tuple[str, ...], source: Source) -> Script:
    """The body and, after it, each here-document as the shell reads them (body, then terminator)."""
    if not instr.heredocs:
        return Script(instr.rest, shell, "body", instr.span_of)
    parts: list[str] = [instr.rest]
    segments: list[tuple[int, int, SpanOf]] = [(0, len(instr.rest), instr.span_of)]
    at = len(instr.rest)
    for doc in instr.heredocs:
        parts.append("\n")
        at += 1
        segments.append((at, at + len(doc.content), heredoc_span_of(doc, source)))
        parts.append(doc.content)
        at += len(doc.content)
        terminator = doc.name + "\n"
        segments.append((at, at + len(terminator), _at(source, doc.span.end)))
        parts.append(terminator)
        at += len(terminator)
    starts = [s for s, _, _ in segments]

    def span(lo: int, hi: int) -> Span:
        k = max(bisect.bisect_right(starts, lo) - 1, 0)
        start, stop, inner = segments[k]
        return inner(lo - start, max(min(hi, stop), lo) - start)
    return Script("".join(parts), shell, "body", span)


def _at(source: Source, offset: int) -> SpanOf:
    """A mapping of every offset to one place (a heredoc's terminator: the end of its span)."""
    def span(lo: int, hi: int) -> Span:
        return source.span(offset, offset)
    return span
