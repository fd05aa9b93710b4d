"""Which words of an instruction line open a here-document.

BuildKit runs its shell-word lexer (``shell.Lex``, escape ``\\`` whatever the
escape directive says, no environment, unset variables kept as written) over
the whole joined line and treats every word matching ``[0-9]*<<-?NAME`` as a
heredoc marker. The lexer's quirks decide real cases (an unbalanced quote
anywhere on the line means no heredoc at all; a quoted name turns expansion
off), so it is reproduced here rather than approximated.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .gotext import GO_SPACE_SET, go_quote, runes

_MARKER = re.compile(r"([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)\Z")
_SPECIAL_PARAMS = frozenset("@*#?-$!0")
_MAX_FD = 2**64 - 1  # strconv.ParseUint saturates (and the error is ignored)


class LexError(Exception):
    pass


class HeredocError(Exception):
    """BuildKit rejects the instruction (the message is BuildKit's)."""


class Marker(NamedTuple):
    name: str
    file_descriptor: int | None
    expand: bool
    chomp: bool
    start: int  # index of the marker word in the lexed line
    end: int


class _Buffer:
    """BuildKit shares one word buffer between nested lexer calls; so do we."""

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: list[str] = []


class _Words:
    __slots__ = ("buf", "in_word", "spans", "start", "words")

    def __init__(self, buf: _Buffer):
        buf.parts.clear()
        self.buf = buf
        self.words: list[str] = []
        self.spans: list[tuple[int, int]] = []
        self.in_word = False
        self.start = 0

    def add_char(self, ch: str, pos: int) -> None:
        if ch in GO_SPACE_SET:
            if self.in_word and self.buf.parts:
                self._flush(pos)
        else:
            self.add_raw(ch, pos)

    def add_string(self, text: str, pos: int) -> None:
        for ch in text:
            self.add_char(ch, pos)

    def add_raw(self, text: str, pos: int) -> None:
        if text:
            if not self.buf.parts:
                self.start = pos
            self.buf.parts.append(text)
        self.in_word = True

    def _flush(self, end: int) -> None:
        self.words.append("".join(self.buf.parts))
        self.spans.append((self.start, end))
        self.buf.parts.clear()
        self.in_word = False

    def finish(self, end: int) -> list[str]:
        if self.buf.parts:
            self._flush(end)
        return self.words


class Lexer:
    """``shell.Lex`` with SkipUnsetEnv and an empty environment."""

    def __init__(self, text: str, raw_quotes: bool, raw_escapes: bool):
        self.s = runes(text)  # text/scanner reads bad bytes as U+FFFD
        self.i = 1 if self.s.startswith("\ufeff") else 0  # ... and skips a leading BOM
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes
        self.buf = _Buffer()
        self.spans: list[tuple[int, int]] = []

    def words(self) -> list[str]:
        source = self.s
        try:
            _, words, spans = self._stop_on(None, self.raw_escapes)
        except LexError as e:
            raise LexError(f"failed to process {go_quote(source)}: {e}") from None
        self.spans = spans
        return words

    def _peek(self) -> str | None:
        return self.s[self.i] if self.i < len(self.s) else None

    def _next(self) -> str | None:
        if self.i < len(self.s):
            self.i += 1
            return self.s[self.i - 1]
        return None

    def _stop_on(self, stop: str | None, raw_escapes: bool):
        saved, self.raw_escapes = self.raw_escapes, raw_escapes
        try:
            s, n = self.s, len(self.s)
            result: list[str] = []
            words = _Words(self.buf)
            while self.i < n:
                ch = s[self.i]
                start = self.i
                if stop is not None and ch == stop:
                    self.i += 1
                    return "".join(result), words.finish(start), words.spans
                if ch == "$":
                    tmp = self._dollar()
                    result.append(tmp)
                    words.add_string(tmp, start)
                elif ch == "'" or ch == '"' or ch == "<":
                    tmp = self._single() if ch == "'" else self._double() if ch == '"' else self._angle()
                    result.append(tmp)
                    words.add_raw(tmp, start)
                else:
                    self.i += 1
                    if ch == "\\":
                        if self.raw_escapes:
                            words.add_raw(ch, start)
                            result.append(ch)
                        if self.i >= n:
                            break
                        ch = s[self.i]
                        self.i += 1
                        words.add_raw(ch, start)
                    else:
                        words.add_char(ch, start)
                    result.append(ch)
            if stop is not None:
                raise LexError(f"unexpected end of statement while looking for matching {stop}")
            return "".join(result), words.finish(self.i), words.spans
        finally:
            self.raw_escapes = saved

    def _single(self) -> str:
        self.i += 1
        out = ["'"] if self.raw_quotes else []
        while True:
            ch = self._next()
            if ch is None:
                raise LexError("unexpected end of statement while looking for matching single-quote")
            if ch == "'":
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            out.append(ch)

    def _angle(self) -> str:
        """``<<`` keeps the blanks after it, so ``<<  EOF`` stays one word."""
        self.i += 1
        if self._peek() != "<":
            return "<"
        self.i += 1
        start = self.i
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1
        return "<<" + self.s[start:self.i]

    def _double(self) -> str:
        self.i += 1
        out = ['"'] if self.raw_quotes else []
        while True:
            ch = self._peek()
            if ch is None:
                raise LexError("unexpected end of statement while looking for matching double-quote")
            if ch == '"':
                self.i += 1
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            if ch == "$":
                out.append(self._dollar())
                continue
            self.i += 1
            if ch == "\\":
                if self.raw_escapes:
                    out.append(ch)
                nxt = self._peek()
                if nxt is None:
                    continue
                if nxt in '"$\\':
                    ch = nxt
                    self.i += 1
            out.append(ch)

    def _dollar(self) -> str:
        self.i += 1
        if self._peek() != "{":
            name = self._name()
            return "$" + name  # "$" alone when no name; unset variables stay as written
        self.i += 1
        peek = self._peek()
        if peek is None:
            raise LexError("syntax error: missing '}'")
        if peek in "{}:":
            raise LexError("syntax error: bad substitution")
        name = self._name()
        ch = self._next()
        chs = "\ufffd" if ch is None else ch
        if ch == "}":
            return "${" + name + "}"
        null_is_unset = ch == ":"
        if null_is_unset:
            ch = self._next()
            chs += "\ufffd" if ch is None else ch
        if null_is_unset or (ch is not None and ch in "+-?#%"):
            raw = ch == "#" or ch == "%"
            if null_is_unset and raw:
                raise LexError(f"unsupported modifier ({chs}) in substitution")
            word = self._nested("}", raw, "syntax error: missing '}'")
            return "${" + name + chs + word + "}"
        if ch == "/":
            if self._peek() == "/":
                self.i += 1
            pattern = self._nested("/", True, "syntax error: missing '/' in ${}")
            replacement = self._nested("}", True, "syntax error: missing '}'")
            return "${" + name + "/" + pattern + "/" + replacement + "}"
        raise LexError(f"unsupported modifier ({chs}) in substitution")

    def _nested(self, stop: str, raw_escapes: bool, at_eof: str) -> str:
        try:
            return self._stop_on(stop, raw_escapes)[0]
        except LexError:
            if self._peek() is None:
                raise LexError(at_eof) from None
            raise

    def _name(self) -> str:
        s, n = self.s, len(self.s)
        start = self.i
        if start < n:
            ch = s[start]
            if ch.isdecimal():
                while self.i < n and s[self.i].isdecimal():
                    self.i += 1
                return s[start:self.i]
            if ch in _SPECIAL_PARAMS:
                self.i += 1
                return ch
        while self.i < n and (s[self.i].isalpha() or s[self.i].isdecimal() or s[self.i] == "_"):
            self.i += 1
        return s[start:self.i]


def _quotes(word: str) -> int:
    return word.count("'") + word.count('"')


def heredoc_markers(line: str) -> list[Marker]:
    """The heredocs BuildKit finds in an instruction line, in order."""
    lexer = Lexer(line, raw_quotes=True, raw_escapes=True)
    try:
        words = lexer.words()
    except LexError:
        return []  # BuildKit ignores the error: no heredocs
    except RecursionError:  # ${...} nested hundreds deep: Go copes, we give up on heredocs
        return []
    markers = []
    for word, (start, end) in zip(words, lexer.spans):
        m = _MARKER.match(word)
        if not m or not m.group(3):
            continue
        fd_text, dash, rest = m.groups()
        try:
            cooked = Lexer(rest, raw_quotes=False, raw_escapes=False).words()
            if len(cooked) != 1:
                continue
            raw = Lexer(rest, raw_quotes=True, raw_escapes=False).words()
        except LexError as e:
            raise HeredocError(str(e)) from None
        except RecursionError:
            continue
        if len(raw) != len(cooked):
            raise HeredocError(f"internal lexing of heredoc produced inconsistent results: {rest}")
        fd = min(int(fd_text), _MAX_FD) if fd_text else None
        markers.append(Marker(
            name=cooked[0], file_descriptor=fd, expand=_quotes(cooked[0]) == _quotes(raw[0]),
            chomp=dash == "-", start=start, end=end,
        ))
    return markers
