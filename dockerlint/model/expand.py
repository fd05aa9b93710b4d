"""BuildKit's shell-word expansion, with unknown values kept unknown.

BuildKit expands ``$VAR``-style references in the words of most instructions
(FROM, COPY, ENV, WORKDIR, ...) itself, before any shell runs, with rules of
its own (``frontend/dockerfile/shell/lex.go``): ``$VAR``, ``${VAR}``,
``${VAR:-w}``, ``${VAR-w}``, ``${VAR:+w}``, ``${VAR+w}``, ``${VAR:?w}``,
``${VAR#p}``, ``${VAR##p}``, ``${VAR%p}``, ``${VAR%%p}``, ``${VAR/p/r}``,
``${VAR//p/r}``, single and double quotes, and an escape character that is
``\\`` or the one set by the ``# escape=`` directive.

A linter does not know everything a build will know: an ``ARG`` without a
default is filled in by ``--build-arg``; a base image brings its own ``ENV``.
Such a variable is *unknown*. Its expansion is represented by ``UNKNOWN`` (a
private-use character) inside the result, so that the known parts stay usable
(``python:${TAG}`` still names the repository ``python``) and a caller can
tell, per character, what is known. An unknown never becomes a guess.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from dockerlint.model.shell import pattern as shellpattern

#: Stands for one stretch of text whose value is not known.
UNKNOWN = "\ue000"

#: A word whose expansion grows beyond this many characters is unknown as a whole (26 lines of
#: ``ARG A=${B}${B}`` would otherwise build a 64 MB value); so is one nested deeper than
#: MAX_NESTING (``${A:-${B:-${C:-…}}}``), which would otherwise exhaust the interpreter's stack.
MAX_EXPANSION = 64 * 1024
MAX_NESTING = 64

# ``$0``, ``$#``, ``$?``... name a single special parameter (POSIX 2.5.2).
_SPECIAL = frozenset("@*#?-$!0")


class ExpansionError(Exception):
    """The word is malformed in a way that makes BuildKit fail the build."""


class _BeyondLimits(Exception):
    """The expansion is too large or too deep to follow: its value is unknown."""


class Expansion(NamedTuple):
    """The outcome of expanding one word.

    ``text`` holds ``UNKNOWN`` where a value is not known; ``origins[i]`` is
    the index in the input of ``text[i]``, or -1 for characters that came from
    a variable. ``names`` lists every variable referenced, ``unresolved`` those
    whose unknown value reached the result, ``undefined`` those not set at all.
    """

    text: str
    origins: tuple[int, ...]
    names: tuple[str, ...] = ()
    unresolved: tuple[str, ...] = ()
    undefined: tuple[str, ...] = ()
    error: str | None = None
    words: tuple[str, ...] | None = None

    @property
    def value(self) -> str | None:
        """The expanded text, or None when any part of it is unknown."""
        if self.error is not None or UNKNOWN in self.text:
            return None
        return self.text


class Env:
    """The variables a word is expanded against.

    ``values`` maps a name to its value, or to None when the variable is set
    but its value is unknown. ``open`` says whether names outside ``values``
    may still be set by something the linter cannot see (a base image's
    ``ENV``): then they are unknown rather than unset.
    """

    __slots__ = ("values", "open")

    def __init__(self, values: Mapping[str, str | None] | None = None, open: bool = False):
        self.values = values if values is not None else {}
        self.open = open


_NOTHING = Env()


def expand(word: str, env: Env | Mapping[str, str | None] | None = None, escape: str = "\\",
           *, split: bool = False, quotes: bool = True) -> Expansion:
    """Expand ``word`` as BuildKit's ``ProcessWord`` (``split``: ``ProcessWords``).

    ``quotes=False`` leaves quote characters literal (BuildKit's
    ``SkipProcessQuotes``, used for here-documents).

    Never raises: a malformed word gives an ``Expansion`` with ``error`` set
    (BuildKit would stop the build there) and the text processed so far.
    """
    if env is None:
        env = _NOTHING
    elif not isinstance(env, Env):
        env = Env(env)
    if ("$" not in word and escape not in word and (not quotes or ("'" not in word and '"' not in word))):
        words = tuple(word.split()) if split else None
        return Expansion(word, tuple(range(len(word))), words=words)
    lexer = _Lexer(word, env, escape, quotes)
    error = None
    try:
        chars, origins = lexer.run()
    except ExpansionError as exc:
        chars, origins = lexer.partial
        error = str(exc)
    except _BeyondLimits:
        return Expansion(UNKNOWN, (-1,), _unique(lexer.names), _unique(lexer.unresolved),
                         _unique(lexer.undefined), None, (UNKNOWN,) if split else None)
    text = "".join(chars)
    words = lexer.words.finish() if split else None
    return Expansion(
        text, tuple(origins), _unique(lexer.names), _unique(lexer.unresolved),
        _unique(lexer.undefined), error, words,
    )


def _unique(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


class _Words:
    """Word splitting as BuildKit does it: only unquoted, unescaped blanks split."""

    __slots__ = ("done", "current", "in_word")

    def __init__(self) -> None:
        self.done: list[str] = []
        self.current: list[str] = []
        self.in_word = False

    def char(self, ch: str) -> None:
        if ch.isspace():
            if self.in_word and self.current:
                self.done.append("".join(self.current))
                self.current = []
                self.in_word = False
        else:
            self.raw(ch)

    def raw(self, ch: str) -> None:
        self.current.append(ch)
        self.in_word = True

    def text(self, text: str) -> None:
        for ch in text:
            self.char(ch)

    def raw_text(self, text: str) -> None:
        self.current.append(text)
        self.in_word = True

    def finish(self) -> tuple[str, ...]:
        if self.current:
            self.done.append("".join(self.current))
            self.current = []
        return tuple(self.done)


class _Lexer:
    """One pass over one word; mirrors the structure of BuildKit's ``shellWord``."""

    def __init__(self, word: str, env: Env, escape: str, quotes: bool):
        self.s = word
        self.n = len(word)
        self.i = 0
        self.env = env
        self.escape = escape
        self.quotes = quotes
        self.names: list[str] = []
        self.unresolved: list[str] = []
        self.undefined: list[str] = []
        self.words = _Words()
        self.partial: tuple[list[str], list[int]] = ([], [])
        self.depth = 0

    def run(self) -> tuple[list[str], list[int]]:
        chars: list[str] = []
        origins: list[int] = []
        self.partial = (chars, origins)
        self._until(None, False, chars, origins, self.words)
        return chars, origins

    # -- the main loop -------------------------------------------------------
    def _until(self, stop: str | None, raw_escapes: bool, chars: list[str], origins: list[int],
               words: _Words | None) -> None:
        s, n, esc = self.s, self.n, self.escape
        while self.i < n:
            ch = s[self.i]
            if stop is not None and ch == stop:
                self.i += 1
                return
            if ch == "$":
                start = len(chars)
                self._dollar(chars, origins)
                if words is not None:
                    words.text("".join(chars[start:]))
            elif ch in "'\"" and self.quotes:
                start = len(chars)
                if ch == "'":
                    self._single_quote(chars, origins)
                else:
                    self._double_quote(chars, origins)
                if words is not None:
                    words.raw_text("".join(chars[start:]))
            else:
                at = self.i
                self.i += 1
                if ch == esc:
                    if raw_escapes:
                        chars.append(ch)
                        origins.append(at)
                        if words is not None:
                            words.raw(ch)
                    if self.i >= n:
                        break
                    at = self.i
                    ch = s[at]
                    self.i += 1
                    if words is not None:
                        words.raw(ch)
                elif words is not None:
                    words.char(ch)
                chars.append(ch)
                origins.append(at)
        if stop is not None:
            raise ExpansionError(f"unexpected end of statement while looking for matching {stop}")

    def _single_quote(self, chars: list[str], origins: list[int]) -> None:
        s, n = self.s, self.n
        end = s.find("'", self.i + 1)
        if end == -1:
            self.i = n
            raise ExpansionError("unexpected end of statement while looking for matching single-quote")
        chars.extend(s[self.i + 1:end])
        origins.extend(range(self.i + 1, end))
        self.i = end + 1

    def _double_quote(self, chars: list[str], origins: list[int]) -> None:
        s, n, esc = self.s, self.n, self.escape
        self.i += 1
        while True:
            if self.i >= n:
                raise ExpansionError("unexpected end of statement while looking for matching double-quote")
            ch = s[self.i]
            if ch == '"':
                self.i += 1
                return
            if ch == "$":
                self._dollar(chars, origins)
                continue
            at = self.i
            self.i += 1
            if ch == esc and self.i < n and s[self.i] in ('"', "$", esc):
                at = self.i
                ch = s[at]
                self.i += 1
            elif ch == esc and self.i >= n:
                continue  # a lone escape at the very end is dropped
            chars.append(ch)
            origins.append(at)

    # -- variables -----------------------------------------------------------
    def _lookup(self, name: str) -> tuple[bool, str | None]:
        """(is set, value); value None means set-or-maybe-set with unknown value."""
        self.names.append(name)
        values = self.env.values
        if name in values:
            return True, values[name]
        self.undefined.append(name)
        if self.env.open:
            return True, None
        return False, ""

    def _unknown(self, name: str, chars: list[str], origins: list[int]) -> None:
        self.unresolved.append(name)
        chars.append(UNKNOWN)
        origins.append(-1)

    def _emit(self, text: str, chars: list[str], origins: list[int]) -> None:
        if len(chars) + len(text) > MAX_EXPANSION:
            raise _BeyondLimits
        chars.extend(text)
        origins.extend([-1] * len(text))

    def _name(self) -> str:
        s, n, i = self.s, self.n, self.i
        if i >= n:
            return ""
        ch = s[i]
        if ch.isdigit():
            j = i
            while j < n and s[j].isdigit():
                j += 1
            self.i = j
            return s[i:j]
        if ch in _SPECIAL:
            self.i = i + 1
            return ch
        j = i
        while j < n and (s[j].isalnum() or s[j] == "_"):
            j += 1
        self.i = j
        return s[i:j]

    def _substitute(self, name: str, chars: list[str], origins: list[int]) -> None:
        """``$name`` / ``${name}``: its value, or the unknown marker."""
        _, value = self._lookup(name)
        if value is None:
            self._unknown(name, chars, origins)
        else:
            self._emit(value, chars, origins)

    def _dollar(self, chars: list[str], origins: list[int]) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _BeyondLimits
        try:
            self._dollar_body(chars, origins)
        finally:
            self.depth -= 1

    def _dollar_body(self, chars: list[str], origins: list[int]) -> None:
        s, n = self.s, self.n
        dollar_at = self.i
        self.i += 1
        if self.i >= n or s[self.i] != "{":
            name = self._name()
            if not name:
                chars.append("$")
                origins.append(dollar_at)
                return
            self._substitute(name, chars, origins)
            return
        self.i += 1
        if self.i >= n:
            raise ExpansionError("syntax error: missing '}'")
        if s[self.i] in "{}:":
            raise ExpansionError("syntax error: bad substitution")
        name = self._name()
        if self.i >= n:
            raise ExpansionError("syntax error: missing '}'")
        op = s[self.i]
        self.i += 1
        if op == "}":
            self._substitute(name, chars, origins)
            return
        if op == "/":
            self._replace(name, chars, origins)
            return
        colon = False
        if op == ":":
            colon = True
            if self.i >= n:
                raise ExpansionError("syntax error: missing '}'")
            op = s[self.i]
            self.i += 1
        if op not in "+-?#%":
            raise ExpansionError(f"unsupported modifier ({':' if colon else ''}{op}) in substitution")
        mark = len(self.unresolved)
        w_chars: list[str] = []
        w_origins: list[int] = []
        try:
            self._until("}", op in "#%", w_chars, w_origins, None)
        except ExpansionError:
            if self.i >= n:
                raise ExpansionError("syntax error: missing '}'") from None
            raise
        word_unresolved = self.unresolved[mark:]
        del self.unresolved[mark:]
        is_set, value = self._lookup(name)

        def use_word() -> None:
            chars.extend(w_chars)
            origins.extend(w_origins)
            self.unresolved.extend(word_unresolved)

        if op in "-+":
            if not is_set:
                if op == "-":
                    use_word()
                return
            if value is None:
                if not colon:  # set, value irrelevant to the choice
                    if op == "+":
                        use_word()
                    else:
                        self._unknown(name, chars, origins)
                    return
                self._unknown(name, chars, origins)  # empty or not: cannot tell
                return
            empty = colon and value == ""
            if op == "-":
                if empty:
                    use_word()
                else:
                    self._emit(value, chars, origins)
            elif not empty:
                use_word()
            return
        if op == "?":
            if not is_set:
                raise ExpansionError(f"{name}: {''.join(w_chars) or 'is not allowed to be unset'}")
            if value is None:
                self._unknown(name, chars, origins)
                return
            if colon and value == "":
                raise ExpansionError(f"{name}: {''.join(w_chars) or 'is not allowed to be empty'}")
            self._emit(value, chars, origins)
            return
        # '#' and '%': remove a prefix / suffix matching a glob pattern
        pattern = "".join(w_chars)
        if value is None or UNKNOWN in pattern:
            self.unresolved.extend(word_unresolved)
            self._unknown(name, chars, origins)
            return
        greedy = pattern.startswith(op)
        if greedy:
            pattern = pattern[1:]
        compiled = _compile(pattern)
        if compiled is None:
            self.unresolved.extend(word_unresolved)
            self._unknown(name, chars, origins)
            return
        trim = shellpattern.trim_suffix if op == "%" else shellpattern.trim_prefix
        self._emit(trim(compiled, value, greedy), chars, origins)

    def _replace(self, name: str, chars: list[str], origins: list[int]) -> None:
        s, n = self.s, self.n
        replace_all = self.i < n and s[self.i] == "/"
        if replace_all:
            self.i += 1
        mark = len(self.unresolved)
        p_chars: list[str] = []
        r_chars: list[str] = []
        try:
            self._until("/", True, p_chars, [], None)
        except ExpansionError:
            raise ExpansionError("syntax error: missing '/' in ${}") from None
        try:
            self._until("}", True, r_chars, [], None)
        except ExpansionError:
            raise ExpansionError("syntax error: missing '}'") from None
        _, value = self._lookup(name)
        pattern, replacement = "".join(p_chars), "".join(r_chars)
        if value is None or UNKNOWN in pattern or UNKNOWN in replacement:
            self._unknown(name, chars, origins)
            return
        compiled = _compile(pattern)
        if compiled is None:
            self._unknown(name, chars, origins)
            return
        del self.unresolved[mark:]
        self._emit(shellpattern.replace(compiled, value, replacement, replace_all), chars, origins)


def _compile(pattern: str) -> shellpattern.Pattern | None:
    """The compiled pattern; None when a literal newline makes its match unknowable here
    (raises ExpansionError for a pattern BuildKit rejects)."""
    if "\n" in pattern or shellpattern.ANY in pattern:
        return None
    try:
        compiled = shellpattern.compile_pattern(pattern)
    except shellpattern.PatternError as exc:
        raise ExpansionError(f"invalid pattern ({pattern}) in substitution: {exc}") from None
    return compiled
