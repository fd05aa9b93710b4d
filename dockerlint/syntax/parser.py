"""Dockerfile bytes -> SyntaxTree, the way BuildKit's parser reads them.

The reading follows moby/buildkit ``frontend/dockerfile/parser`` (Parse,
splitCommand, extractBuilderFlags and the line parsers) so that what BuildKit
accepts, rejects, joins and splits is exactly what we do; on top of that every
piece keeps the source offsets it came from.

An instruction is assembled from *pieces*: contiguous slices of the source
(one per physical line, continuation character removed). ``offs`` lists the
source offset of every character of the joined line; slices of it travel with
every substring so that any part maps back to the file.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from .gotext import (
    GO_SPACE,
    GO_SPACE_BYTES,
    GO_SPACE_SET,
    SPLIT_SPACE,
    go_lower,
    go_quote,
    runes,
    to_bytes,
    utf8_len,
)
from .heredoc import HeredocError, heredoc_markers
from .jsonform import NotStringArray, parse_json_array
from .nodes import (
    Arg,
    Comment,
    Directive,
    DockerfileSyntaxError,
    Flag,
    Heredoc,
    Instruction,
    ParseWarning,
    Source,
    Span,
    SyntaxTree,
)

MAX_LINE = 64 * 1024  # bufio.MaxScanTokenSize: the scanner's buffer, line break included
LINE_TOO_LONG = f"dockerfile line greater than max allowed size of {MAX_LINE - 1}"

KNOWN = frozenset({
    "add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label",
    "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir",
})
HEREDOC_KEYWORDS = frozenset({"add", "copy", "run"})
_DIRECTIVE_NAMES = frozenset({"syntax", "escape", "check"})
_RE_SPACE = " \t\n\f\r"  # Go regexp \s
_SPLIT = re.compile(f"[{SPLIT_SPACE}]+")
_NON_SPLIT = re.compile(f"[^{SPLIT_SPACE}]+")
_SPACES, _WORD, _QUOTE = 0, 1, 2
Offsets = Sequence[int]  # source offset of each character of a string (a list, or a range)


class _Node:
    """An instruction as BuildKit's newNodeFromLine builds it, plus source offsets.

    Positions of ``flags`` and ``args`` index the strings they were cut from,
    whose offsets travel along (``offs`` for the keyword, ``arg_offs`` or
    ``rest_offs`` for the arguments).
    """

    __slots__ = (
        "arg_offs",
        "args",
        "cmd",
        "cmd_start",
        "end",
        "flags",
        "inner",
        "json",
        "lower",
        "offs",
        "rest",
        "rest_offs",
    )

    def __init__(self, cmd: str, lower: str, cmd_start: int, offs: Offsets, end: int):
        self.cmd, self.lower, self.cmd_start, self.offs, self.end = cmd, lower, cmd_start, offs, end
        self.flags: list[tuple] = []  # (name, value, start, end, eq, offsets)
        self.args: list[tuple[str, int, int]] = []  # (value, start, end)
        self.json = False
        self.inner: _Node | None = None
        self.rest, self.rest_offs = "", []
        self.arg_offs: Offsets | None = None


class _Reject(Exception):
    """BuildKit rejects the instruction being built; the parser adds the span."""


def parse(data: bytes | bytearray | memoryview | str, path: str | None = None) -> SyntaxTree:
    """Parse a Dockerfile; raise DockerfileSyntaxError where BuildKit would fail."""
    return _Parser(data, path).run()


def _decode(data) -> tuple[str, bool]:
    if isinstance(data, str):
        text = data
    else:
        text = bytes(data).decode("utf-8", "surrogateescape")
    if text.startswith("\ufeff"):
        return text[1:], True
    return text, False


def _parse_directive(token: str) -> tuple[str, str, int] | None:
    """``#\\s*name\\s*=\\s*(.+?)\\s*$`` without the regex (which backtracks badly).

    Returns (name, value, value start) or None.
    """
    n = len(token)
    i = 1
    while i < n and token[i] in _RE_SPACE:
        i += 1
    start = i
    if i >= n or not (token[i].isascii() and token[i].isalpha()):
        return None
    while i < n and token[i].isascii() and token[i].isalnum():
        i += 1
    name = token[start:i]
    while i < n and token[i] in _RE_SPACE:
        i += 1
    if i >= n or token[i] != "=":
        return None
    rest = token[i + 1:]
    if not rest or "\n" in rest:
        return None
    value = rest.strip(_RE_SPACE)
    if not value:  # all blanks: the lazy group still takes the last one
        return name, rest[-1], i + len(rest)
    return name, value, i + 1 + (len(rest) - len(rest.lstrip(_RE_SPACE)))


class _Parser:
    def __init__(self, data, path):
        text, had_bom = _decode(data)
        self.text = text
        self.source = Source(text, path, had_bom)
        self.starts = self.source._line_starts
        self.lines = text.split("\n")
        count = len(self.starts)
        if self.starts[-1] == len(text):  # no line after a final line break
            count -= 1
        self.nlines, self.too_long = self._scan_limit(count, had_bom)
        self.escape = "\\"
        self.directives: list[Directive] = []
        self.warnings: list[ParseWarning] = []
        self.comments: list[Comment] = []

    # -- lines -------------------------------------------------------------

    def _full_end(self, i: int) -> int:
        return self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)

    def _line(self, i: int) -> tuple[int, str]:
        """Start and text of line ``i`` without its line break (BuildKit trims every trailing CR)."""
        return self.starts[i], self.lines[i].rstrip("\r")

    def _bounds(self, i: int) -> tuple[int, int]:
        start, line = self._line(i)
        return start, start + len(line)

    def _scan_limit(self, count: int, had_bom: bool) -> tuple[int, bool]:
        """How many lines bufio.Scanner hands out before a line overflows its buffer."""
        starts, text = self.starts, self.text
        if len(text) * 4 + 3 < MAX_LINE - 1:  # no line can reach the limit
            return count, False
        for i in range(count):
            start, end = starts[i], self._full_end(i)
            bom = 3 if i == 0 and had_bom else 0
            if (end - start) * 4 + bom < MAX_LINE - 1:
                continue
            size = len(to_bytes(text[start:end])) + bom
            if size > MAX_LINE or (size == MAX_LINE and not text.endswith("\n", start, end)):
                return i, True
        return count, False

    def _line_span(self, i: int) -> Span:
        start, end = self._bounds(i)
        return self.source.span(start, end)

    def _lines_span(self, first: int, last: int, start: int | None = None) -> Span:
        return self.source.span(self.starts[first] if start is None else start, self._bounds(last)[1])

    # -- main loop -----------------------------------------------------------

    def run(self) -> SyntaxTree:
        text, source = self.text, self.source
        instructions: list[Instruction] = []
        pending: list[Comment] = []  # BuildKit's PrevComment for the next instruction
        directives_done = False
        seen: set[str] = set()
        i = 0
        while i < self.nlines:
            start, raw = self._line(i)
            end = start + len(raw)
            token = raw.lstrip(GO_SPACE)
            lead = start + len(raw) - len(token)
            if token.startswith("#"):
                comment = Comment(token[1:].strip(GO_SPACE), source.span(lead, end))
                if raw[0] == "#" and not raw[1:].strip(GO_SPACE):
                    pending = []  # a bare "#" line ends the comment block
                else:
                    pending.append(comment)
                if not directives_done:
                    found = _parse_directive(token)
                    if found is None or found[0].lower() not in _DIRECTIVE_NAMES:
                        directives_done = True
                    else:
                        self._directive(found, lead, end, seen)
                        if pending and pending[-1] is comment:
                            pending.pop()
                        i += 1
                        continue
                self.comments.append(comment)
                i += 1
                continue
            directives_done = True
            body, more = self._trim_continuation(token)
            if not more and not body:
                i += 1
                continue
            first = i
            pieces, i, empty_line = self._continuation(i + 1, (lead, lead + len(body)), more)
            last = i - 1
            if len(pieces) == 1:  # the common case: a range indexes and slices like the list
                a, b = pieces[0]
                line, offs = text[a:b], range(a, b)
            else:
                line = "".join(text[a:b] for a, b in pieces)
                offs = [o for a, b in pieces for o in range(a, b)]
            if empty_line is not None:
                self.warnings.append(ParseWarning(
                    "Empty continuation line found in: " + line, self._line_span(empty_line)))
            try:
                node = self._node(line, offs, self._bounds(last)[1])
            except _Reject as e:
                raise DockerfileSyntaxError(str(e), self._lines_span(first, last, lead)) from None
            heredocs: tuple[Heredoc, ...] = ()
            target = node.inner if node.lower == "onbuild" and node.inner else node  # one level, as BuildKit
            if (target.lower in HEREDOC_KEYWORDS and not target.json and "<<" in line):
                heredocs, i = self._heredocs(line, offs, first, lead, i)
                last = i - 1
            span = self._lines_span(first, last, lead)
            instructions.append(self._instruction(node, line, span, tuple(pending), heredocs))
            pending = []
        if not instructions:
            raise DockerfileSyntaxError("file with no instructions", source.span(0, 0))
        if text.startswith("#!"):
            self._directives_after_shebang()
        if self.too_long:
            raise DockerfileSyntaxError(LINE_TOO_LONG, self._line_span(self.nlines))
        return SyntaxTree(
            source=source, directives=tuple(self.directives), instructions=tuple(instructions),
            escape=self.escape, warnings=tuple(self.warnings), trailing_comments=tuple(pending),
            comments=tuple(self.comments),
        )

    def _continuation(self, i: int, first_piece: tuple[int, int], more: bool):
        """Join continuation lines from line ``i``: comment lines are skipped, empty ones too (noted)."""
        source = self.source
        pieces = [first_piece]
        empty_line = None
        while more and i < self.nlines:
            start, raw = self._line(i)
            stripped = raw.lstrip(GO_SPACE)
            i += 1
            if stripped.startswith("#"):
                end = start + len(raw)
                self.comments.append(Comment(stripped[1:].strip(GO_SPACE), source.span(end - len(stripped), end)))
                continue
            if not stripped:
                if empty_line is None:
                    empty_line = i - 1
                continue
            body, more = self._trim_continuation(raw)
            pieces.append((start, start + len(body)))
        return pieces, i, empty_line

    def _directive(self, found, lead: int, end: int, seen: set[str]) -> None:
        name, value, value_start = found
        key = name.lower()
        span = self.source.span(lead, end)
        if key in seen:
            raise DockerfileSyntaxError(f"only one {key} parser directive can be used", span)
        seen.add(key)
        if key == "escape":
            if value not in ("`", "\\"):
                raise DockerfileSyntaxError(
                    f"invalid escape token '{value}' does not match ` or \\", span)
            self.escape = value
        self.directives.append(Directive(
            key, value, span, self.source.span(lead + value_start, lead + value_start + len(value))))

    def _directives_after_shebang(self) -> None:
        """``syntax`` and ``check`` as BuildKit's frontend and linter find them behind a ``#!`` line.

        The parser itself stops looking at the shebang (so ``escape`` there is a
        plain comment), but DetectSyntax and ParseDirective skip that line first.
        """
        seen = {d.name for d in self.directives}
        for i in range(1, self.nlines):
            start, end = self.starts[i], self._full_end(i)
            token = self.text[start:end].removesuffix("\n").removesuffix("\r")
            found = _parse_directive(token) if token.startswith("#") else None
            if found is None or found[0].lower() not in _DIRECTIVE_NAMES or found[0].lower() in seen:
                return
            name, value, value_start = found
            seen.add(name.lower())
            if name.lower() != "escape":
                self.directives.append(Directive(
                    name.lower(), value, self.source.span(start, start + len(token)),
                    self.source.span(start + value_start, start + value_start + len(value))))

    def _trim_continuation(self, line: str) -> tuple[str, bool]:
        """Drop a trailing escape character (and blanks after it) unless it is itself escaped."""
        esc = self.escape
        trimmed = line.rstrip(" \t")
        if trimmed.endswith(esc) and (len(trimmed) == 1 or trimmed[-2] != esc):
            return trimmed[:-1], True
        return line, False

    def _heredocs(self, line, offs, first, lead, i):
        try:
            markers = heredoc_markers(line)
        except HeredocError as e:
            raise DockerfileSyntaxError(str(e), self._lines_span(first, i - 1, lead)) from None
        text, source = self.text, self.source
        out = []
        for m in markers:
            body_start = self.starts[i] if i < self.nlines else len(text)
            while True:
                if i >= self.nlines:
                    raise DockerfileSyntaxError(
                        "unterminated heredoc", self._lines_span(first, max(i - 1, first), lead))
                start, candidate = self._line(i)
                end = start + len(candidate)
                i += 1
                if m.chomp:
                    candidate = candidate.lstrip("\t")
                if candidate == m.name:
                    break
            raw = text[body_start:start]
            content = _chomp(raw) if m.chomp else raw
            out.append(Heredoc(
                name=m.name, content=content, expand=m.expand, chomp=m.chomp,
                file_descriptor=m.file_descriptor, span=source.span(body_start, end),
                marker_span=_span(source, offs, m.start, m.end, len(text)), content_start=body_start,
                raw_content=raw,
            ))
        return tuple(out), i

    # -- one instruction -------------------------------------------------------

    def _node(self, line: str, offs: Offsets, end_offset: int) -> _Node:
        """BuildKit's newNodeFromLine; ONBUILD's instruction (and its ONBUILD...) as ``inner``."""
        root = node = self._one_node(line, offs, end_offset)
        while node.lower == "onbuild" and node.rest:  # a loop: ONBUILD chains may be very long
            node.inner = self._one_node(node.rest, node.rest_offs, node.rest_offs[-1] + 1)
            node = node.inner
        return root

    def _one_node(self, line: str, offs: Offsets, end_offset: int) -> _Node:
        """splitCommand + the line parser for the keyword."""
        lstripped = line.lstrip(GO_SPACE)
        a = len(line) - len(lstripped)
        trimmed = lstripped.rstrip(GO_SPACE)
        m = _SPLIT.search(trimmed)
        cmd = trimmed[:m.start()] if m else trimmed
        lower = go_lower(cmd)
        node = _Node(cmd, lower, a, offs, end_offset)
        if m:
            after_at = a + m.end()
            after = trimmed[m.end():]
            rest_raw, rest_offs, flags = _extract_flags(after, offs[after_at:after_at + len(after)])
            node.flags = flags
        else:
            rest_raw, rest_offs = "", []
        rest = rest_raw.lstrip(GO_SPACE)
        cut = len(rest_raw) - len(rest)
        rest = rest.rstrip(GO_SPACE)
        rest_offs = rest_offs[cut:cut + len(rest)]
        node.rest, node.rest_offs = rest, rest_offs
        if lower in ("run", "cmd", "entrypoint", "shell"):
            node.args, node.json = _maybe_json(rest)
        elif lower in ("add", "copy", "volume"):
            node.args, node.json = _maybe_json_list(rest)
        elif lower in ("from", "expose"):
            node.args = _whitespace_list(rest)
        elif lower in ("maintainer", "user", "workdir", "stopsignal"):
            node.args = [(rest, 0, len(rest))] if rest else []
        elif lower == "arg":
            node.args = _words(rest, self.escape)
        elif lower in ("env", "label"):
            node.args = _name_values(rest, self.escape, "LABEL" if lower == "label" else "ENV")
        elif lower == "healthcheck":
            node.args, node.json, node.arg_offs = _healthcheck(rest, rest_offs)
        return node

    def _instruction(self, node: _Node, line: str, span: Span, comments, heredocs) -> Instruction:
        """The Instruction for ``node``, built innermost first (ONBUILD chains)."""
        chain = [(node, line, span, comments)]
        while chain[-1][0].inner is not None:
            parent = chain[-1][0]
            chain.append((parent.inner, parent.rest, self.source.span(parent.rest_offs[0], span.end), ()))
        inner = None
        for part in reversed(chain):
            inner = self._one_instruction(*part, heredocs, inner)
        return inner

    def _one_instruction(self, node: _Node, line: str, span: Span, comments, heredocs, inner):
        source = self.source
        offs, end = node.offs, node.end
        arg_offs = node.rest_offs if node.arg_offs is None else node.arg_offs
        cmd = node.cmd
        keyword_span = _span(source, offs, node.cmd_start, node.cmd_start + len(cmd), end)
        flags = tuple(
            Flag(name, value, _span(source, f_offs, a, b, end),
                 None if eq is None else _span(source, f_offs, eq + 1, b, end))
            for name, value, a, b, eq, f_offs in node.flags
        )
        args = tuple(Arg(value, _span(source, arg_offs, a, b, end)) for value, a, b in node.args)
        return Instruction(
            keyword=cmd.upper() if cmd.isascii() else node.lower.upper(),
            keyword_span=keyword_span, flags=flags, args=args, json_form=node.json,
            heredocs=heredocs, span=span, original=line, rest=node.rest,
            rest_offsets=tuple(node.rest_offs), comments=comments, inner=inner, source=source,
        )


def _span(source: Source, offs, a: int, b: int, end: int) -> Span:
    """Source span of characters ``a:b`` of a string whose offsets are ``offs``."""
    if b > a:
        return source.span(offs[a], offs[b - 1] + 1)
    pos = offs[a] if a < len(offs) else (offs[-1] + 1 if offs else end)
    return source.span(pos, pos)


_LEADING_TABS = re.compile(r"(?m)^\t+")


def _chomp(body: str) -> str:
    """``<<-``: BuildKit's ChompHeredocContent strips leading tabs from every line."""
    return _LEADING_TABS.sub("", body)


# -- flags ---------------------------------------------------------------------


class _ByteView:
    """A string as Go's byte loops see it: one char per byte (rune(b))."""

    def __init__(self, text: str):
        self.text = text
        self.ascii = text.isascii()
        self.bytes = text if self.ascii else to_bytes(text).decode("latin-1")
        self._ends = None if self.ascii else list(accumulate(map(utf8_len, text)))

    def char(self, pos: int) -> int:
        """Index of the character holding byte ``pos`` (len(text) at the end)."""
        if self.ascii:
            return pos
        return bisect_right(self._ends, pos)

    def tail(self, pos: int, offs: Offsets) -> tuple[str, Offsets]:
        """``text[pos:]`` in bytes, as a string: a cut inside a character leaves its bytes escaped."""
        k = self.char(pos)
        if self.ascii or k >= len(self.text) or (self._ends[k - 1] if k else 0) == pos:
            return self.text[k:], offs[k:]
        partial = self.bytes[pos:self._ends[k]]
        escaped = "".join(chr(0xDC00 + ord(c)) for c in partial)
        return escaped + self.text[k + 1:], [offs[k]] * len(partial) + list(offs[k + 1:])


def _extract_flags(line: str, offs: Offsets):
    """BuildKit's extractBuilderFlags: leading ``--name[=value]`` words, byte by byte.

    Returns the rest of the line (and its offsets) and the flags as
    (name, value, start, end, eq, offsets) with character positions in ``line``.
    """
    view = _ByteView(line)
    b = view.bytes
    n = len(b)
    words: list[tuple[str, int, int]] = []
    phase, word, blank_ok, quote, wstart = _SPACES, [], False, "", 0
    pos = 0
    rest_at = None
    while pos <= n:
        ch = b[pos] if pos < n else ""
        if phase == _SPACES:
            if pos == n:
                break
            if ch in GO_SPACE_BYTES:
                pos += 1
                continue
            if ch != "-" or pos + 1 == n or b[pos + 1] != "-":
                rest_at = pos
                break
            phase, wstart = _WORD, pos
        if pos == n:
            text = "".join(word)
            if text != "--" and (blank_ok or text):
                words.append((text, wstart, pos))
            break
        if phase == _WORD:
            if ch in GO_SPACE_BYTES:
                phase = _SPACES
                text = "".join(word)
                if text == "--":
                    rest_at = pos
                    break
                if blank_ok or text:
                    words.append((text, wstart, pos))
                word, blank_ok = [], False
                pos += 1
                continue
            if ch == "'" or ch == '"':
                quote, blank_ok, phase = ch, True, _QUOTE
                pos += 1
                continue
            if ch == "\\":
                if pos + 1 == n:
                    pos += 1
                    continue
                pos += 1
                ch = b[pos]
            word.append(ch)
            pos += 1
            continue
        if ch == quote:
            phase = _WORD
            pos += 1
            continue
        if ch == "\\":
            if pos + 1 == n:
                phase = _WORD
                pos += 1
                continue
            pos += 1
            ch = b[pos]
        word.append(ch)
        pos += 1
    flags = []
    for text, a, e in words:
        name, eq, value = text[2:].partition("=")
        eq_at = b.find("=", a, e)
        flags.append((name, value if eq else None, view.char(a), view.char(e),
                      None if not eq or eq_at < 0 else view.char(eq_at), offs))
    if rest_at is None:
        return "", [], flags
    rest, rest_offs = view.tail(rest_at, offs)
    return rest, rest_offs, flags


# -- line parsers (BuildKit's line_parsers.go) ---------------------------------


def _maybe_json(rest: str):
    if not rest:
        return [], False
    items = _json(rest)
    if items is not None:
        return items, True
    return [(rest, 0, len(rest))], False


def _maybe_json_list(rest: str):
    items = _json(rest)
    if items is not None:
        return items, True
    return _whitespace_list(rest), False


def _json(rest: str):
    try:
        return parse_json_array(rest)
    except NotStringArray as e:
        raise _Reject(e.message) from None


def _whitespace_list(rest: str):
    return [(m.group(), m.start(), m.end()) for m in _NON_SPLIT.finditer(rest)]


def _words(rest: str, esc: str) -> list[tuple[str, int, int]]:
    """parseWords: blank-separated words, quotes and escapes kept as written."""
    words = []
    n = len(rest)
    phase, word, blank_ok, quote, start = _SPACES, [], False, "", 0
    pos = 0
    ch = ""
    while pos <= n:
        if pos != n:
            ch = rest[pos]
        if phase == _SPACES:
            if pos == n:
                break
            if ch in GO_SPACE_SET:
                pos += 1
                continue
            phase, start = _WORD, pos
        if pos == n:
            if blank_ok or word:
                words.append((runes("".join(word)), start, pos))
            break
        if phase == _WORD:
            if ch in GO_SPACE_SET:
                phase = _SPACES
                if blank_ok or word:
                    words.append((runes("".join(word)), start, pos))
                word, blank_ok = [], False
                pos += 1
                continue
            if ch == "'" or ch == '"':
                quote, blank_ok, phase = ch, True, _QUOTE
            if ch == esc:
                if pos + 1 == n:
                    pos += 1
                    continue
                word.append(ch)
                pos += 1
                ch = rest[pos]
            word.append(ch)
            pos += 1
            continue
        if ch == quote:
            phase = _WORD
        if ch == esc and quote != "'":
            if pos + 1 == n:
                phase = _WORD
                pos += 1
                continue
            pos += 1
            word.append(ch)
            ch = rest[pos]
        word.append(ch)
        pos += 1
    return words


def _name_values(rest: str, esc: str, keyword: str):
    """parseNameVal (ENV, LABEL): (key, value, separator) triples."""
    words = _words(rest, esc)
    if not words:
        return []
    if "=" not in words[0][0]:
        m = _SPLIT.search(rest)
        if not m:
            raise _Reject(f"{keyword} must have two arguments")
        a, b = m.span()
        return [(rest[:a], 0, a), (rest[b:], b, len(rest)), ("", a, a)]
    out = []
    for word, a, b in words:
        if "=" not in word:
            raise _Reject(f"Syntax error - can't find = in {go_quote(word)}. Must be of the form: name=value")
        key, _, value = word.partition("=")
        eq = a + len(key)
        out += [(key, a, eq), (value, eq + 1, b), ("=", eq, eq + 1)]
    return out


def _healthcheck(rest: str, offs: Offsets):
    """parseHealthConfig: the type word (found byte by byte), then the command as for CMD."""
    view = _ByteView(rest)
    b = view.bytes
    sep = 0
    while sep < len(b) and b[sep] not in GO_SPACE_BYTES:
        sep += 1
    if sep == 0:
        return [], False, offs
    nxt = sep
    while nxt < len(b) and b[nxt] in GO_SPACE_BYTES:
        nxt += 1
    kind = b[:sep].encode("latin-1").decode("utf-8", "surrogateescape")
    cmd, cmd_offs = view.tail(nxt, offs)
    args, is_json = _maybe_json(cmd)
    # one offsets list for all args: the kind's characters, then the command's
    k = view.char(sep)
    arg_offs = list(offs[:k]) + list(cmd_offs)
    shift = len(arg_offs) - len(cmd_offs)
    return [(kind, 0, min(len(kind), k))] + [(v, a + shift, e + shift) for v, a, e in args], is_json, arg_offs
