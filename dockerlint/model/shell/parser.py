"""A forgiving scanner for POSIX sh / bash that finds simple commands.

It does not build a syntax tree: it walks the script once, recognises the
reserved words and operators that separate commands (``&&``, ``|``, ``if`` …
``fi``, ``case`` … ``esac``, ``$(...)`` …), and records every simple command
with the offsets of its words. Whatever it cannot make sense of becomes a
``ShellIssue`` and the walk goes on, so one odd construct never hides the rest
of a RUN body.

A word is kept as *pieces* (text, source start, source end, kind) so that its
value can be field-split like the shell does and so that a script inside
``sh -c '...'`` or backticks maps back, character by character, to the
outer source.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from dockerlint.model.shell.types import SHELL_DIALECTS, Command, Redirect, Resolver, ShellIssue, ShellScript, Word
from dockerlint.model.shell.wrappers import SCRIPT_OPTION, SHELLS, find_exec_ranges, shell_script_index, unwrap

# Piece kinds.
LITERAL = 0  # written text (quotes and escapes removed); 1:1 with the source when lengths match
EXPANDED = 1  # a resolved expansion inside double quotes: not split
SPLIT = 2  # a resolved unquoted expansion: field-split on blanks
OPAQUE = 3  # not resolvable (variable, command substitution): text is the raw source

_BLANKS = " \t\r"
_WORD_END = frozenset(" \t\r\n;&|<>()")
_PLAIN = re.compile(r"[^\s;&|<>()\\'\"`$]+")
_DQ_PLAIN = re.compile(r'[^"\\$`]+')
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")
_PARAM_DEFAULT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(:?[-+])(.*)", re.S)
_ANSI_C = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|u[0-9A-Fa-f]{1,4}|U[0-9A-Fa-f]{1,8}|[0-7]{1,3}|c.|.)", re.S)
_ANSI_C_SIMPLE = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n",
                  "r": "\r", "t": "\t", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}
_OPERATORS = (";;&", "&&", "||", ";;", ";&", "|&", ";", "&", "|")
_REDIRECTS = ("<<<", "<<-", "&>>", "<<", ">>", ">|", ">&", "<&", "<>", "&>", ">", "<")
_KEYWORDS = frozenset({"if", "then", "elif", "else", "fi", "do", "done", "while", "until",
                       "for", "select", "case", "esac", "{", "}", "!", "function", "[["})
_OPENERS = {"fi": "if", "done": "loop", "}": "brace", "esac": "case"}
_FUNCTION_PARENS = re.compile(r"\([ \t]*\)")
_MAX_DEPTH = 40


class _Word:
    __slots__ = ("start", "end", "pieces", "quoted")

    def __init__(self, start: int, end: int, pieces: list, quoted: bool):
        self.start, self.end, self.pieces, self.quoted = start, end, pieces, quoted

    def literal(self) -> str | None:
        """The text when the word is plain and unquoted (reserved words), else None."""
        if self.quoted or len(self.pieces) != 1 or self.pieces[0][3] != LITERAL:
            return None
        return self.pieces[0][0]


class _Frame:
    """An open compound command: ``if``, a loop, ``{``, ``(``, ``case``."""

    __slots__ = ("kind", "start", "in_pattern")

    def __init__(self, kind: str, start: int):
        self.kind, self.start, self.in_pattern = kind, start, kind == "case"


def parse(script: str, *, dialect: str = "sh", resolve: Resolver | None = None) -> ShellScript:
    """See ``dockerlint.model.shell.parse_script``."""
    if not isinstance(script, str):
        script = str(script, "utf-8", "replace") if isinstance(script, bytes) else str(script)
    parser = _Parser(script, dialect, resolve, 0)
    return _collect(parser, parser.run)


def parse_argv(text: str, literals: Sequence[tuple[str, int, int]], *,
               resolve: Resolver | None = None) -> ShellScript:
    """See ``dockerlint.model.shell.parse_exec``."""
    parser = _Parser(text, "sh", resolve, 0)
    script = _collect(parser, lambda: parser.exec_argv(literals))
    return script._replace(commands=tuple(_mark_json(c, literals, text) for c in script.commands))


def _mark_json(command: Command, literals: Sequence[tuple[str, int, int]], text: str) -> Command:
    """Say how each word of an exec-form command is written (``Word.written``): a whole JSON
    element, text inside one (the script of ``["sh", "-c", ...]``), or inexact (that text has escapes)."""
    escaped = {(s, e) for v, s, e in literals if text[s:e] != f'"{v}"'}
    spans = [(s, e) for _, s, e in literals]

    def mark(word: Word) -> Word:
        if word.written != "shell":
            return word
        if (word.start, word.end) in escaped:
            return word._replace(written="json-inexact")
        if any(s < word.start and word.end < e for s, e in spans):
            return word._replace(written="json-text")
        return word

    return command._replace(argv=tuple(mark(w) for w in command.argv),
                            assignments=tuple(mark(w) for w in command.assignments))


def _collect(parser: _Parser, work: Callable[[], None]) -> ShellScript:
    """Run ``work`` on ``parser``; whatever goes wrong becomes an issue, never an exception."""
    try:
        work()
    except RecursionError:  # pathological nesting: keep what was found
        parser.issue("script nested too deeply", parser.pos, parser.n)
    except Exception as error:  # noqa: BLE001 - a bug here must not stop the lint run
        parser.issue(f"internal parser error: {type(error).__name__}: {error}", parser.pos, parser.n)
    commands = sorted((c for c in parser.finished() if c.argv), key=lambda c: c.start)
    return ShellScript(parser.text, tuple(commands), tuple(parser.issues))


class _Parser:
    def __init__(self, text: str, dialect: str, resolve: Resolver | None, depth: int):
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.bash = dialect != "sh"
        self.resolve = resolve
        self.depth = depth
        self.commands: list[Command] = []
        self.issues: list[ShellIssue] = []
        self.heredocs: list[tuple[str, bool]] = []
        self.next_ops: dict[int, str] = {}  # id(command) -> operator after it

    def issue(self, message: str, start: int, end: int) -> None:
        self.issues.append(ShellIssue(message, start, max(start, min(end, self.n))))

    def run(self) -> None:
        self.parse_list(None)

    def finished(self) -> list[Command]:
        """The commands found, each with the operator that followed it."""
        ops = self.next_ops
        return [Command(c.argv, c.assignments, c.redirects, c.start, c.end, c.wrapper, ops[id(c)])
                if id(c) in ops else c for c in self.commands]

    # ------------------------------------------------------------------ lists

    def parse_list(self, closer: str | None) -> None:
        """Commands until the end, or until ``closer`` (``)`` of ``$(``) is consumed."""
        text = self.text
        stack: list[_Frame] = []
        opened = self.pos - 2
        last: list[Command] = []
        while True:
            self.skip_blanks()
            if self.pos >= self.n:
                break
            c = text[self.pos]
            if c == "\n":
                self.newline()
                self.connect(last, "\n")
                last = []
                continue
            if c == "#":
                self.skip_comment()
                continue
            frame = stack[-1] if stack else None
            if frame and frame.in_pattern:
                self.case_pattern(frame, stack)
                continue
            op = self.operator()
            if op:
                self.connect(last, op)
                last = []
                if op in (";;", ";&", ";;&"):
                    case = next((f for f in reversed(stack) if f.kind == "case"), None)
                    if case is None:
                        self.issue(f"'{op}' outside case", self.pos - len(op), self.pos)
                    else:
                        while stack[-1] is not case:
                            self.unclosed(stack.pop())
                        case.in_pattern = True
                continue
            if c == ")":
                self.pos += 1
                if frame and frame.kind == "paren":
                    stack.pop()
                elif closer == ")":
                    for f in stack:
                        self.unclosed(f)
                    return
                else:
                    self.issue("unexpected ')'", self.pos - 1, self.pos)
                continue
            if c == "(":
                if text.startswith("((", self.pos):
                    self.arithmetic_command()
                else:
                    stack.append(_Frame("paren", self.pos))
                    self.pos += 1
                continue
            before = self.pos
            last = self.simple_command(stack) or last
            if self.pos == before:  # nothing understood here: step over it
                self.issue(f"unexpected {text[before]!r}", before, before + 1)
                self.pos += 1
        for frame in stack:
            self.unclosed(frame)
        if closer:
            self.issue("unterminated $(", opened, self.n)

    def connect(self, commands: list[Command], op: str) -> None:
        for cmd in commands:
            self.next_ops[id(cmd)] = op

    def unclosed(self, frame: _Frame) -> None:
        words = {"if": "if without fi", "loop": "loop without done", "brace": "{ without }",
                 "paren": "( without )", "case": "case without esac"}
        self.issue(words[frame.kind], frame.start, self.n)

    def operator(self) -> str | None:
        text, pos = self.text, self.pos
        if text[pos] not in ";&|":
            return None
        if text.startswith("&>", pos) and self.bash:
            return None  # a redirection
        for op in _OPERATORS:
            if text.startswith(op, pos):
                self.pos += len(op)
                return op
        return None  # pragma: no cover - every ;&| starts an operator

    # ---------------------------------------------------------------- blanks

    def skip_blanks(self) -> None:
        text, n, pos = self.text, self.n, self.pos
        while pos < n:
            c = text[pos]
            if c in _BLANKS:
                pos += 1
            elif c == "\\" and text.startswith("\\\n", pos):
                pos += 2
            else:
                break
        self.pos = pos

    def skip_comment(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = self.n if end == -1 else end

    def newline(self) -> None:
        """Consume a newline and the bodies of heredocs started on its line."""
        self.pos += 1
        pending, self.heredocs = self.heredocs, []
        text = self.text
        for delimiter, strip_tabs in pending:
            start = self.pos
            while self.pos < self.n:
                end = text.find("\n", self.pos)
                end = self.n if end == -1 else end
                line = text[self.pos:end].rstrip("\r")
                self.pos = min(end + 1, self.n)
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    break
            else:
                self.issue(f"heredoc {delimiter!r} is not terminated", start, self.n)

    # -------------------------------------------------------- simple commands

    def simple_command(self, stack: list[_Frame]) -> list[Command] | None:
        """Read one simple command (or a reserved word); return what it emitted."""
        text = self.text
        words: list[_Word] = []
        assignments: list[_Word] = []
        redirects: list[Redirect] = []
        while True:
            self.skip_blanks()
            pos = self.pos
            if pos >= self.n:
                break
            c = text[pos]
            if c in "<>" and text.startswith("(", pos + 1):
                words.append(self.process_substitution())
                continue
            if c in "<>" or (c == "&" and self.bash and text.startswith("&>", pos)):
                redirects.append(self.redirect(None, pos))
                continue
            if c in "\n;&|)":
                break
            if c == "(":
                if len(words) == 1 and not assignments and not redirects and self.function_parens():
                    return None  # `name()`: the body follows as a compound command
                if assignments and not words:
                    break
                if words:
                    self.issue("unexpected '('", pos, pos + 1)
                    self.pos += 1
                    continue
                break
            if c == "#" and (words or assignments or redirects):
                self.skip_comment()
                break
            word = self.word()
            if word is None:
                break
            nxt = text[self.pos] if self.pos < self.n else ""
            literal = word.literal()
            if nxt and nxt in "<>" and literal is not None and literal.isdigit():
                redirects.append(self.redirect(int(literal), word.start))
                continue
            if not words and not assignments and not redirects:
                keyword = word.literal()
                if keyword in _KEYWORDS:
                    return self.keyword(keyword, word, stack)
            if not words and _ASSIGNMENT.match(text, word.start, word.end):
                assignments.append(word)
            else:
                words.append(word)
        if not (words or assignments or redirects):
            return None
        ends = [w.end for w in words] + [w.end for w in assignments] + [r.end for r in redirects]
        starts = [w.start for w in words] + [w.start for w in assignments] + [r.start for r in redirects]
        return self.emit(words, assignments, tuple(redirects), min(starts), max(ends))

    def function_parens(self) -> bool:
        """At ``(`` after one word: consume ``()`` of a function definition."""
        m = _FUNCTION_PARENS.match(self.text, self.pos)
        if not m:
            return False
        self.pos = m.end()
        return True

    def keyword(self, keyword: str, word: _Word, stack: list[_Frame]) -> list[Command] | None:
        if keyword in ("if", "while", "until"):
            stack.append(_Frame("if" if keyword == "if" else "loop", word.start))
        elif keyword in ("then", "elif", "else", "do"):
            want = "loop" if keyword == "do" else "if"
            if not any(f.kind == want for f in stack):
                self.issue(f"'{keyword}' outside {'a loop' if want == 'loop' else 'if'}", word.start, word.end)
        elif keyword in _OPENERS:
            want = _OPENERS[keyword]
            if stack and stack[-1].kind == want:
                stack.pop()
            elif any(f.kind == want for f in stack):
                while stack[-1].kind != want:
                    self.unclosed(stack.pop())
                stack.pop()
            else:
                self.issue(f"unexpected '{keyword}'", word.start, word.end)
        elif keyword == "{":
            stack.append(_Frame("brace", word.start))
        elif keyword in ("for", "select"):
            stack.append(_Frame("loop", word.start))
            self.for_header()
        elif keyword == "case":
            self.case_header(word, stack)
        elif keyword == "function":
            self.skip_blanks()
            if self.word() is not None:
                self.skip_blanks()
                self.function_parens()
        elif keyword == "[[":
            return self.test_expression(word)
        # "!" needs nothing: the pipeline follows.
        return None

    def for_header(self) -> None:
        """``for NAME in WORDS`` / ``for ((...))``: words are read for their substitutions."""
        self.skip_blanks()
        if self.text.startswith("((", self.pos):
            self.arithmetic_command()
            return
        name = self.word()
        if name is None:
            self.issue("for without a variable name", self.pos, self.pos + 1)
            return
        self.skip_newlines()
        start = self.pos
        word = self.word()
        if word is None:
            return
        if word.literal() == "do":
            return
        if word.literal() != "in":
            self.issue("expected 'in' or 'do' in for", word.start, word.end)
            self.pos = start
            return
        while True:
            self.skip_blanks()
            if self.pos >= self.n or self.text[self.pos] in "\n;&|()<>":
                return
            if self.word() is None:
                return

    def skip_newlines(self) -> None:
        while True:
            self.skip_blanks()
            if self.pos < self.n and self.text[self.pos] == "\n":
                self.newline()
            elif self.pos < self.n and self.text[self.pos] == "#":
                self.skip_comment()
            else:
                return

    def case_header(self, word: _Word, stack: list[_Frame]) -> None:
        self.skip_blanks()
        if self.word() is None:
            self.issue("case without a word", word.start, word.end)
            return
        self.skip_newlines()
        found = self.word()
        if found is None or found.literal() != "in":
            self.issue("expected 'in' after case WORD", word.start, self.pos)
        stack.append(_Frame("case", word.start))

    def case_pattern(self, frame: _Frame, stack: list[_Frame]) -> None:
        """``pattern | pattern )`` or ``esac``, at the start of a case item."""
        text = self.text
        start = self.pos
        if text[self.pos] == "(":
            self.pos += 1
        while self.pos < self.n:
            self.skip_blanks()
            if self.pos >= self.n:
                break
            c = text[self.pos]
            if c == ")":
                self.pos += 1
                frame.in_pattern = False
                return
            if c == "|":
                self.pos += 1
                continue
            word = self.word()
            if word is None:
                break
            if word.literal() == "esac" and word.start == start:
                stack.pop()
                return
        self.issue("case pattern without ')'", start, self.pos)
        frame.in_pattern = False
        if self.pos == start:
            self.pos += 1

    def test_expression(self, opener: _Word) -> list[Command]:
        """``[[ ... ]]``: operators inside are part of the test, not separators."""
        words = [opener]
        text = self.text
        while True:
            self.skip_blanks()
            if self.pos >= self.n or text[self.pos] == "\n":
                self.issue("[[ without ]]", opener.start, self.pos)
                break
            word = self.word()
            if word is None:
                op_start = self.pos
                while self.pos < self.n and text[self.pos] in "&|<>()!;":
                    self.pos += 1
                words.append(_Word(op_start, self.pos, [(text[op_start:self.pos], op_start, self.pos, LITERAL)], False))
                continue
            words.append(word)
            if word.literal() == "]]":
                break
        return self.emit(words, [], (), opener.start, words[-1].end)

    def arithmetic_command(self) -> None:
        """``(( expr ))``: no commands inside (substitutions are rare enough to skip)."""
        start = self.pos
        end = self.closing(self.pos + 2)
        if end is None:
            self.issue("unterminated ((", start, self.n)
            self.pos = self.n
            return
        self.pos = end + 1
        if self.pos < self.n and self.text[self.pos] == ")":
            self.pos += 1

    def closing(self, i: int, opener: str = "(", closer: str = ")", quotes: str = "'\"") -> int | None:
        """Offset of the ``closer`` that closes an ``opener`` already open before ``i``.

        Backslash escapes and the ``quotes`` are stepped over; None when it never closes.
        """
        text, depth = self.text, 1
        while i < self.n:
            c = text[i]
            if c == "\\":
                i += 2
                continue
            if c in quotes:
                j = text.find(c, i + 1)
                if j == -1:
                    return None
                i = j + 1
                continue
            if c == opener:
                depth += 1
            elif c == closer:
                depth -= 1
                if depth == 0:
                    return i
            i += 1
        return None

    def redirect(self, fd: int | None, start: int) -> Redirect:
        text = self.text
        op = next(op for op in _REDIRECTS if text.startswith(op, self.pos))
        self.pos += len(op)
        self.skip_blanks()
        target = None
        if self.pos < self.n and text[self.pos] not in _WORD_END:
            target = self.word()
        if target is None:
            self.issue(f"'{op}' without a target", start, self.pos)
            return Redirect(op, fd, None, start, self.pos)
        if op in ("<<", "<<-"):
            delimiter = "".join(p[0] for p in target.pieces)
            self.heredocs.append((delimiter, op == "<<-"))
        fields = self.fields(target)
        return Redirect(op, fd, fields[0] if fields else None, start, target.end)

    def process_substitution(self) -> _Word:
        start = self.pos
        self.pos += 2
        self.nested_list()
        return _Word(start, self.pos, [(self.text[start:self.pos], start, self.pos, OPAQUE)], True)

    # ---------------------------------------------------------------- words

    def word(self) -> _Word | None:
        """Read one word at ``pos``; None when a metacharacter is there."""
        text, n = self.text, self.n
        start = i = self.pos
        pieces: list = []
        quoted = False
        while i < n:
            c = text[i]
            if c in _WORD_END:
                if c == "(" and pieces and _ASSIGNMENT.fullmatch(text, start, i):
                    i = self.array_value(i, pieces)  # arr=(a b c)
                    continue
                break
            m = _PLAIN.match(text, i)
            if m:
                pieces.append((m.group(), i, m.end(), LITERAL))
                i = m.end()
            elif c == "\\":
                if i + 1 >= n:
                    pieces.append(("\\", i, i + 1, LITERAL))
                    i += 1
                elif text[i + 1] == "\n":
                    i += 2
                else:
                    pieces.append((text[i + 1], i, i + 2, LITERAL))
                    i += 2
                    quoted = True
            elif c == "'":
                quoted = True
                j = text.find("'", i + 1)
                if j == -1:
                    self.issue("unterminated single quote", i, n)
                    j = n
                pieces.append((text[i + 1:j], i + 1, j, LITERAL))
                i = j + 1
            elif c == '"':
                quoted = True
                i = self.double_quoted(i, pieces)
            elif c == "`":
                i = self.backticks(i, pieces)
            else:  # "$"
                if text.startswith("$'", i) and self.bash:
                    quoted = True
                    i = self.ansi_c(i, pieces)
                elif text.startswith('$"', i):
                    i += 1  # locale string: read as a double-quoted one
                else:
                    i = self.dollar(i, pieces, quoted=False)
        self.pos = min(i, n)
        if self.pos == start:
            return None
        return _Word(start, self.pos, pieces, quoted)

    def array_value(self, i: int, pieces: list) -> int:
        end = self.closing(i + 1)
        end = self.n - 1 if end is None else end
        pieces.append((self.text[i:end + 1], i, end + 1, OPAQUE, ()))
        return end + 1

    def double_quoted(self, i: int, pieces: list) -> int:
        text, n = self.text, self.n
        j = i + 1
        while j < n:
            c = text[j]
            if c == '"':
                if j == i + 1:
                    pieces.append(("", j, j, LITERAL))
                return j + 1
            m = _DQ_PLAIN.match(text, j)
            if m:
                pieces.append((m.group(), j, m.end(), LITERAL))
                j = m.end()
            elif c == "\\":
                nxt = text[j + 1:j + 2]
                if nxt == "\n":
                    j += 2
                elif nxt and nxt in '$`"\\':
                    pieces.append((nxt, j, j + 2, LITERAL))
                    j += 2
                else:
                    pieces.append(("\\", j, j + 1, LITERAL))
                    j += 1
            elif c == "`":
                j = self.backticks(j, pieces)
            else:
                j = self.dollar(j, pieces, quoted=True)
        self.issue("unterminated double quote", i, n)
        return n

    def ansi_c(self, i: int, pieces: list) -> int:
        """bash ``$'...'``: backslash escapes decoded."""
        text, n = self.text, self.n
        j = i + 2
        while j < n and text[j] != "'":
            j += 2 if text[j] == "\\" else 1
        if j >= n:
            self.issue("unterminated $'", i, n)
            j = n
        body = text[i + 2:min(j, n)]
        if "\\" in body:
            pieces.append((_ANSI_C.sub(_ansi_escape, body), i, min(j + 1, n), EXPANDED))
        else:
            pieces.append((body, i + 2, i + 2 + len(body), LITERAL))
        return j + 1

    def dollar(self, i: int, pieces: list, quoted: bool) -> int:
        text, n = self.text, self.n
        nxt = text[i + 1] if i + 1 < n else ""
        if nxt == "(":
            if text.startswith("((", i + 1):
                end = self.closing(i + 2)
                if end is None:
                    self.issue("unterminated $((", i, n)
                end = n if end is None else end + 1
                pieces.append((text[i:end], i, end, OPAQUE))
                return end
            self.pos = i + 2
            self.nested_list()
            pieces.append((text[i:self.pos], i, self.pos, OPAQUE))
            return self.pos
        if nxt == "{":
            end = self.closing(i + 2, "{", "}", "'")
            if end is None:
                self.issue("unterminated ${", i, n)
                pieces.append((text[i:], i, n, OPAQUE, ("${",)))
                return n
            value, names = self.parameter(text[i + 2:end])
            if value is None:
                self.substitutions_in(i + 2, end)
            self.add_expansion(pieces, value, names, i, end + 1, quoted)
            return end + 1
        m = _NAME.match(text, i + 1)
        if m:
            name = m.group()
            value = self.resolve(name) if self.resolve else None
            self.add_expansion(pieces, value, (name,), i, m.end(), quoted)
            return m.end()
        if nxt and (nxt.isdigit() or nxt in "@*#?$!-"):
            pieces.append((text[i:i + 2], i, i + 2, OPAQUE, (nxt,)))
            return i + 2
        pieces.append(("$", i, i + 1, LITERAL))
        return i + 1

    def add_expansion(self, pieces: list, value: str | None, names: tuple, start: int, end: int, quoted: bool) -> None:
        if value is None:
            pieces.append((self.text[start:end], start, end, OPAQUE, names))
        else:
            pieces.append((value, start, end, EXPANDED if quoted else SPLIT))

    def parameter(self, body: str) -> tuple[str | None, tuple[str, ...]]:
        """Value of ``${body}``: plain names and the ``-``/``+`` defaults of literal words."""
        if _NAME.fullmatch(body):
            return (self.resolve(body) if self.resolve else None), (body,)
        m = _PARAM_DEFAULT.fullmatch(body)
        if m and not any(c in m.group(3) for c in "$`\\'\""):
            name, op, alternative = m.groups()
            value = self.resolve(name) if self.resolve else None
            if value is None:
                return None, (name,)
            use_alternative = (value == "") if op.startswith(":") else False
            if op.endswith("-"):
                return (alternative if use_alternative else value), ()
            return ("" if use_alternative else alternative), ()
        name = _NAME.match(body.lstrip("#!"))
        return None, ((name.group(),) if name else (body,))

    def substitutions_in(self, i: int, end: int) -> None:
        """Commands of ``$(...)`` and backquotes inside ``${name:-...}`` (``${X="$(stat f)"}``)."""
        text = self.text
        while i < end:
            c = text[i]
            if c == "\\":
                i += 2
            elif c == "'":
                j = text.find("'", i + 1, end)
                i = end if j == -1 else j + 1
            elif c == "`":
                i = self.backticks(i, [])
            elif c == "$" and text.startswith("$(", i) and not text.startswith("$((", i):
                self.pos = i + 2
                self.nested_list()
                i = self.pos
            else:
                i += 1

    def nested_list(self) -> None:
        """The commands of ``$(...)`` / ``<(...)``, from ``pos`` to the closing ``)``."""
        if self.depth >= _MAX_DEPTH:
            start = self.pos
            end = self.closing(self.pos)
            self.pos = self.n if end is None else end + 1
            self.issue("command substitution nested too deeply", start, self.pos)
            return
        self.depth += 1
        try:
            self.parse_list(")")
        finally:
            self.depth -= 1

    def backticks(self, i: int, pieces: list) -> int:
        """`` `...` ``: the script inside, with ``\\` \\$ \\\\`` unescaped, is parsed too."""
        text, n = self.text, self.n
        inner: list = []
        j = i + 1
        while j < n and text[j] != "`":
            if text[j] == "\\" and j + 1 < n and text[j + 1] in "`$\\":
                inner.append((text[j + 1], j, j + 2, LITERAL))
                j += 2
            else:
                inner.append((text[j], j, j + 1, LITERAL))
                j += 1
        if j >= n:
            self.issue("unterminated backquote", i, n)
        end = min(j + 1, n)
        self.embedded(inner, None)
        pieces.append((text[i:end], i, end, OPAQUE))
        return end

    # ------------------------------------------------------------ embedding

    def embedded(self, pieces: list, wrapper: str | None, bash: bool | None = None) -> None:
        """Parse the script held by ``pieces`` and map its offsets back to ours."""
        script = "".join(p[0] for p in pieces)
        if not script.strip():
            return
        if self.depth >= _MAX_DEPTH:
            self.issue("script nested too deeply", pieces[0][1], pieces[-1][2])
            return
        starts: list[int] = []
        ends: list[int] = []
        for piece in pieces:
            text, s, e, kind = piece[:4]
            if kind in (LITERAL, OPAQUE) and len(text) == e - s:
                starts.extend(range(s, e))
                ends.extend(range(s + 1, e + 1))
            else:
                starts.extend([s] * len(text))
                ends.extend([e] * len(text))
        last = ends[-1]

        def start_of(k: int) -> int:
            return starts[k] if k < len(starts) else last

        def end_of(k: int) -> int:
            return ends[k - 1] if k > 0 else starts[0]

        sub = _Parser(script, "bash" if (self.bash if bash is None else bash) else "sh",
                      self.resolve, self.depth + 1)
        sub.run()
        raw = self.text

        def move(w: Word) -> Word:
            s, e = start_of(w.start), end_of(w.end)
            return Word(raw[s:e], w.value, s, e, w.unresolved, w.substituted)

        known = {(c.start, c.end, c.name) for c in self.commands}
        for cmd in sub.finished():
            s, e = start_of(cmd.start), end_of(cmd.end)
            argv = tuple(move(w) for w in cmd.argv)
            if (s, e, argv[0].value if argv else None) in known:
                continue  # a substitution the outer shell already ran
            redirects = tuple(
                Redirect(r.op, r.fd, move(r.target) if r.target else None, start_of(r.start), end_of(r.end))
                for r in cmd.redirects)
            moved = Command(argv, tuple(move(w) for w in cmd.assignments), redirects, s, e,
                            cmd.wrapper or wrapper, cmd.next_op)
            self.commands.append(moved)
        for problem in sub.issues:
            self.issue(problem.message, start_of(problem.start), end_of(problem.end))

    # ------------------------------------------------------------ exec form

    def exec_argv(self, literals: Sequence[tuple[str, int, int]]) -> None:
        """The command of an exec-form argv, and what it runs (``["sh", "-c", SCRIPT]``, ``sudo``).

        Each element is a JSON string literal at ``text[start:end]`` whose
        decoded value is given. Without escapes the value is the literal's
        inside, so offsets into it are exact; with escapes each character of
        the value maps to the whole literal.
        """
        if not literals:
            return
        argv: list[Word] = []
        origin: list[_Word] = []
        for value, start, end in literals:
            raw = self.text[start:end]
            if raw == f'"{value}"':
                piece = (value, start + 1, end - 1, LITERAL)
            else:
                piece = (value, start, end, EXPANDED)
            argv.append(Word(raw, value, start, end, written="json"))
            origin.append(_Word(start, end, [piece], True))
        command = Command(tuple(argv), (), (), argv[0].start, argv[-1].end)
        self.commands.append(command)
        self.unwrap(command, origin, [command])

    # ------------------------------------------------------------- commands

    def fields(self, word: _Word) -> list[Word]:
        """The Words the shell makes of ``word`` (unquoted expansions split on blanks)."""
        raw = self.text[word.start:word.end]
        pieces = word.pieces
        if any(p[3] == OPAQUE for p in pieces):
            names = tuple(n for p in pieces if p[3] == OPAQUE and len(p) > 4 for n in p[4])
            substituted = any(p[3] == OPAQUE and len(p) == 4 for p in pieces)
            return [Word(raw, None, word.start, word.end, names, substituted)]
        if all(p[3] != SPLIT for p in pieces):
            return [Word(raw, "".join(p[0] for p in pieces), word.start, word.end)]
        values: list[str] = []
        current, live = "", False
        for piece in pieces:
            text = piece[0]
            if piece[3] != SPLIT:
                current, live = current + text, True
                continue
            if not text:
                continue
            if text[0].isspace() and live:
                values.append(current)
                current, live = "", False
            for k, chunk in enumerate(text.split()):
                if k:
                    values.append(current)
                    current = ""
                current, live = current + chunk, True
            if text[-1].isspace() and live:
                values.append(current)
                current, live = "", False
        if live:
            values.append(current)
        return [Word(raw, v, word.start, word.end) for v in values]

    def emit(self, words: list[_Word], assignments: list[_Word], redirects: tuple[Redirect, ...],
             start: int, end: int) -> list[Command]:
        argv: list[Word] = []
        origin: list[_Word] = []
        for w in words:
            for field in self.fields(w):
                argv.append(field)
                origin.append(w)
        assigned = tuple(f for w in assignments for f in self.fields(w)[:1])
        command = Command(tuple(argv), assigned, redirects, start, end)
        self.commands.append(command)
        chain = [command]
        self.unwrap(command, origin, chain)
        return chain

    def unwrap(self, command: Command, origin: list[_Word], chain: list[Command] | None) -> None:
        """Add what a wrapper runs: ``sudo X``, ``find -exec X ;``, the script of ``sh -c``.

        ``chain`` collects the commands that share the wrapper's place in a
        pipeline (``sudo X | Y``: X pipes into Y too); None for ``find -exec``.
        """
        program = command.program
        if not program or self.depth >= _MAX_DEPTH:
            return
        if program in SHELLS or program in SCRIPT_OPTION:
            index = shell_script_index(program, command.argv)
            if index is not None:
                self.depth += 1
                try:
                    bash = SHELL_DIALECTS.get(program) == "bash"  # su/runuser: the user's sh
                    self.embedded(origin[index].pieces, f"{program} -c", bash=bash)
                finally:
                    self.depth -= 1
            return
        if program == "find":
            for start, end in find_exec_ranges([w.value for w in command.argv]):
                argv = command.argv[start:end]
                inner = Command(argv, (), (), argv[0].start, argv[-1].end, "find -exec")
                self.commands.append(inner)
                self.depth += 1  # nesting bounded as for every other wrapper (each level copies argv)
                try:
                    self.unwrap(inner, origin[start:end], None)
                finally:
                    self.depth -= 1
            return
        found = unwrap(program, command.argv)
        if found is None:
            return
        argv = command.argv[found.command:]
        assigned = tuple(command.argv[i] for i in found.assignments)
        inner = Command(argv, command.assignments + assigned, command.redirects, argv[0].start, command.end,
                        found.label)
        self.commands.append(inner)
        if chain is not None:
            chain.append(inner)
        self.depth += 1
        try:
            self.unwrap(inner, origin[found.command:], chain)
        finally:
            self.depth -= 1


def _ansi_escape(m: re.Match) -> str:
    code = m.group(1)
    if code in _ANSI_C_SIMPLE:
        return _ANSI_C_SIMPLE[code]
    try:
        if code[0] in "xuU":
            return chr(int(code[1:], 16))
        if code[0].isdigit():
            return chr(int(code, 8) & 0xFF)
    except (ValueError, OverflowError):
        pass
    if code[0] == "c" and len(code) == 2:
        return chr(ord(code[1]) & 0x1F)
    return "\\" + code
