"""The syntax tree: what a Dockerfile says, before any meaning is given to it.

Every node knows where it came from. Offsets index ``Source.text`` (the decoded
file, BOM removed, line endings kept); lines and columns are 1-based and
``end_column`` is exclusive (the column just after the last character), the
convention SARIF uses.

Leaf nodes (Span, Comment, Flag, ...) are immutable ``NamedTuple`` records:
a frozen dataclass costs ~0.5 ms to define when the module is imported, a
NamedTuple a tenth of that, and the pre-commit case pays start-up on every
commit. Instruction and SyntaxTree compare by identity and stay dataclasses.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    def replace(self, text: str) -> Edit:
        """An ``Edit`` replacing this span's source text with ``text``."""
        return Edit(self.start, self.end, text)


class Edit(NamedTuple):
    """Replace ``[start, end)`` of the source text with ``replacement`` (a fix is made of these)."""

    start: int
    end: int
    replacement: str


class Source:
    """Decoded text of one Dockerfile and the offset -> line/column index."""

    __slots__ = ("text", "path", "had_bom", "_line_starts")

    def __init__(self, text: str, path: str | None = None, had_bom: bool = False):
        self.text = text
        self.path = path
        self.had_bom = had_bom
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._line_starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        row = bisect.bisect_right(self._line_starts, offset) - 1
        return row + 1, offset - self._line_starts[row] + 1

    def span(self, start: int, end: int) -> Span:
        starts = self._line_starts
        row = bisect.bisect_right(starts, start) - 1
        if row + 1 >= len(starts) or end < starts[row + 1]:  # on one line: one search
            return Span(start, end, row + 1, start - starts[row] + 1, row + 1, end - starts[row] + 1)
        end_line, end_column = self.position(end)
        return Span(start, end, row + 1, start - starts[row] + 1, end_line, end_column)

    def line_span(self, line: int) -> Span:
        """The span of a whole 1-based line, without its line break."""
        start = self._line_starts[min(line, len(self._line_starts)) - 1]
        end = self.text.find("\n", start)
        end = len(self.text) if end == -1 else end
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        return self.span(start, end)

    def slice(self, span: Span) -> str:
        return self.text[span.start:span.end]

    @property
    def line_count(self) -> int:
        return len(self._line_starts)


class Comment(NamedTuple):
    """A ``#`` line. ``text`` is what follows ``#``, stripped."""

    text: str
    span: Span


class Directive(NamedTuple):
    """A parser directive (``# syntax=…``, ``# escape=…``, ``# check=…``)."""

    name: str  # lower-case
    value: str
    span: Span
    value_span: Span


class Flag(NamedTuple):
    """``--name=value`` (or bare ``--name``, value None) before the arguments."""

    name: str
    value: str | None
    span: Span
    value_span: Span | None

    @property
    def text(self) -> str:
        return f"--{self.name}" if self.value is None else f"--{self.name}={self.value}"


class Arg(NamedTuple):
    """One argument as BuildKit splits it for this instruction.

    ``value`` is the text after continuation joining (JSON strings decoded).
    ``span`` covers its source text (for a JSON element: the quoted literal).
    For ENV/LABEL the args are BuildKit's (key, value, separator) triples; the
    ``=`` separator's span covers the ``=``, the legacy ``""`` separator (``ENV
    KEY value``) has an empty span just after the key.
    """

    value: str
    span: Span


class Heredoc(NamedTuple):
    """A here-document body attached to an instruction (``<<EOF`` … ``EOF``)."""

    name: str  # the delimiter word, quotes removed
    content: str  # body as BuildKit gives it (chomped if ``<<-``), ends with "\n" when non-empty
    expand: bool  # False when the delimiter was quoted
    chomp: bool  # ``<<-``: leading tabs removed
    file_descriptor: int | None  # ``3<<EOF`` -> 3
    span: Span  # from the first body line to the end of the terminator line
    marker_span: Span  # the ``<<EOF`` word on the instruction line
    content_start: int  # source offset of the first body character
    # the body exactly as written (tabs kept under ``<<-``): BuildKit's Node.Heredocs Content
    raw_content: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class Instruction:
    """One instruction, continuation lines joined, comments removed.

    ``rest`` is the joined text after the keyword and flags (the shell-form
    body of RUN, the words of COPY, ...); ``rest_offsets[i]`` is the source
    offset of ``rest[i]`` so any slice of ``rest`` maps back to the file (see
    ``span_of``).
    """

    keyword: str  # upper-case, as BuildKit's dispatcher knows it (``FOO`` for unknown)
    keyword_span: Span
    flags: tuple[Flag, ...]
    args: tuple[Arg, ...]
    json_form: bool
    heredocs: tuple[Heredoc, ...]
    span: Span  # the whole instruction, continuation lines and heredoc bodies included
    original: str  # BuildKit's node.Original: the joined line
    rest: str
    rest_offsets: tuple[int, ...]
    comments: tuple[Comment, ...]  # comment lines directly before it (BuildKit's PrevComment)
    inner: Instruction | None = None  # the instruction inside ONBUILD
    source: Source | None = field(default=None, repr=False, compare=False)

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def raw(self) -> str:
        """The instruction's source text, exactly as in the file."""
        return self.source.text[self.span.start:self.span.end] if self.source else self.original

    def flag(self, name: str) -> Flag | None:
        """The last flag called ``name`` (BuildKit: the last one wins)."""
        for f in reversed(self.flags):
            if f.name == name:
                return f
        return None

    def span_of(self, start: int, end: int) -> Span:
        """Source span of ``rest[start:end]``."""
        offsets = self.rest_offsets
        if not offsets or self.source is None:
            return self.keyword_span
        start = min(max(start, 0), len(offsets) - 1)
        last = min(max(end - 1, start), len(offsets) - 1)
        return self.source.span(offsets[start], offsets[last] + 1)


class ParseWarning(NamedTuple):
    message: str
    span: Span


@dataclass(frozen=True, slots=True, eq=False)
class SyntaxTree:
    source: Source
    directives: tuple[Directive, ...]
    instructions: tuple[Instruction, ...]
    escape: str  # "\\" or "`"
    warnings: tuple[ParseWarning, ...] = ()
    trailing_comments: tuple[Comment, ...] = ()  # comments after the last instruction
    comments: tuple[Comment, ...] = ()  # every comment line (inside continuations too), not directives

    def directive(self, name: str) -> Directive | None:
        for d in self.directives:
            if d.name == name:
                return d
        return None


class DockerfileSyntaxError(Exception):
    """The only exception ``parse`` raises: BuildKit would reject this file."""

    def __init__(self, message: str, span: Span):
        super().__init__(message)
        self.message = message
        self.span = span

    def __str__(self) -> str:
        return f"{self.span.line}:{self.span.column}: {self.message}"
