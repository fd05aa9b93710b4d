"""The shell model's types: words, redirects, commands, scripts; shells and their dialects.

First in the package: the parser, the wrappers table and the script reader
import these, and the package imports them all, so nothing needs a deferred
import to dodge a cycle.
"""
from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import NamedTuple

from dockerlint.findings import Edit
from dockerlint.model.options import Argument, Arguments, OptionSpec, option_name, read_arguments, read_options
from dockerlint.syntax.nodes import Span

_SHELL_SAFE = re.compile(r"[\w@%+=:,./-]+")  # needs no quoting in any shell or JSON string (shlex's set)
Resolver = Callable[[str], "str | None"]

#: A shell script (a RUN body, a heredoc) longer than this is not split into commands by the
#: model, nor given to ShellCheck: its commands are unknown, as under a shell we cannot read.
#: The longest RUN of the shared corpus is 4.7 kB; a 5 MB one cost 30 s and 1.6 GB here (every
#: word is an object with its span) and ShellCheck's 60 s timeout with 1.5 GB; ShellCheck takes
#: 20 s on a 200 kB one. BuildKit's own limit for one line is the same 64 KiB.
MAX_SCRIPT_CHARS = 64 * 1024
SpanOf = Callable[[int, int], Span]


class Word(NamedTuple):
    """One shell word.

    ``value`` is the word after expansion and quote removal, or None when it
    holds a command substitution or a variable ``resolve`` did not know.
    ``raw`` is ``script[start:end]``: the word as written (for a word inside an
    ``sh -c '...'`` string, the source text including the outer quoting).
    An unquoted variable whose value holds blanks splits into several Words
    that share ``raw``/``start``/``end``, as the shell's field splitting does.
    """

    raw: str
    value: str | None
    start: int
    end: int
    unresolved: tuple[str, ...] = ()  # variable names resolve() could not give
    substituted: bool = False  # holds $(...), `...`, <(...) or $((...))
    span: Span | None = None  # set by Command.with_spans
    # How the word is written in the Dockerfile, for edits: "shell" (its span is the word),
    # "json" (a whole exec-form element, ``"install"``), "json-text" (inside one, exactly:
    # the script of ``["sh", "-c", "..."]``), "json-inexact" (inside one that has escapes:
    # its span is the whole element, so no edit can point at the word).
    written: str = "shell"

    def with_spans(self, span_of: SpanOf) -> Word:
        return self._replace(span=span_of(self.start, self.end))

    def insert_after(self, *args: str) -> Edit | None:
        """An edit adding ``args`` (argv elements) right after this word.

        Shell form gets `` --flag``, an exec-form element ``, "--flag"``.
        None when the word has no exact span, or an argument would need
        quoting in a place where quotes cannot be added safely.
        """
        return self._insert(args, after=True)

    def insert_before(self, *args: str) -> Edit | None:
        """An edit adding ``args`` right before this word (see ``insert_after``)."""
        return self._insert(args, after=False)

    def replace_with(self, arg: str) -> Edit | None:
        """An edit replacing this word (as written, quotes included) by the argv element ``arg``."""
        text = self._written(arg)
        if text is None or self.span is None:
            return None
        return Edit(self.span.start, self.span.end, text)

    def _insert(self, args: tuple[str, ...], after: bool) -> Edit | None:
        span = self.span
        if span is None or not args:
            return None
        pieces = [self._written(a) for a in args]
        if any(p is None for p in pieces):
            return None
        glue = ", " if self.written == "json" else " "
        text = "".join(glue + p for p in pieces if p is not None)
        if after:
            return Edit(span.end, span.end, text)
        return Edit(span.start, span.start, text[len(glue):] + glue)

    def _written(self, arg: str) -> str | None:
        """``arg`` as it must be written where this word is (None: not safely)."""
        if self.written == "json":
            return json.dumps(arg)
        if self.written == "json-inexact" or not _SHELL_SAFE.fullmatch(arg):
            return None  # quoting inside another quoted string (sh -c '...') is not ours to guess
        return arg


class Redirect(NamedTuple):
    """``2>&1``, ``> /dev/null``, ``<<EOF``: not part of argv."""

    op: str  # ">", ">>", "<", "<<", "<<-", "<<<", ">&", "<&", "&>", "&>>", ">|", "<>"
    fd: int | None
    target: Word | None
    start: int
    end: int


class ShellIssue(NamedTuple):
    """Something the parser did not understand; parsing went on after it."""

    message: str
    start: int
    end: int


class Command(NamedTuple):
    """One simple command: ``FOO=1 apt-get install -y curl > log``.

    A command run through a wrapper (``sudo``, ``env``, ``xargs``, ``nohup``,
    ``time``, ``exec``, ``command``, ``sh -c '...'`` …) appears twice: once as
    written (name ``sudo``), once unwrapped (name ``apt-get``, ``wrapper``
    ``"sudo"``). An unwrapped command shares the redirections of its wrapper
    (``sudo bash <<EOF``: the wrapper hands its stdin on); a command of an
    ``sh -c`` script has only its own. Commands are sorted by ``start``.
    """

    argv: tuple[Word, ...]
    assignments: tuple[Word, ...]
    redirects: tuple[Redirect, ...]
    start: int
    end: int
    wrapper: str | None = None
    next_op: str | None = None  # operator after it: "&&", "||", ";", "&", "|", "|&", "\n" or None
    span: Span | None = None  # set by with_spans
    # The environment the command starts in, before its own NAME=value prefixes:
    # ENV/ARG scope plus what earlier commands of the same RUN exported (None: unknown value).
    # Set by the model for RUN commands; None elsewhere.
    environ: Mapping[str, str | None] | None = None

    @property
    def name(self) -> str | None:
        """argv[0] after quote removal; None when not literal (``$CMD``, ``$(...)``)."""
        return self.argv[0].value if self.argv else None

    @property
    def program(self) -> str | None:
        """The name without its directory: ``/usr/bin/pip3`` -> ``pip3``."""
        name = self.name
        return posixpath.basename(name) if name else name

    @property
    def args(self) -> tuple[str | None, ...]:
        """Values of argv[1:] (None where not resolvable)."""
        return tuple(w.value for w in self.argv[1:])

    def env(self, name: str) -> str | None:
        """The value ``$name`` has in this command's environment; None when unset or unknown.

        The last ``NAME=value`` prefix wins (``FOO=1 pip ...``), then what an
        earlier ``export`` of the same RUN set, then ENV/ARG scope.
        """
        prefix = name + "="
        for word in reversed(self.assignments):
            if word.value is not None:
                if word.value.startswith(prefix):
                    return word.value[len(prefix):]
            elif word.raw.startswith(prefix):
                return None  # assigned, but from something we cannot resolve
        return self.environ.get(name) if self.environ is not None else None

    def options(self, spec: OptionSpec, start: int = 1) -> Iterator[Argument]:
        """The options and operands of ``argv[start:]`` as a program reading ``spec`` sees them.

        Each option comes with the Word holding its value, so a finding can
        point at it; ``start`` reads part of a line (``python -m pip ...``
        after ``-m pip``). See ``dockerlint.model.options.read_options``.
        """
        return read_options(self.argv, spec, start)

    def arguments(self, spec: OptionSpec, start: int = 1) -> Arguments:
        """``options`` collected: ``.options`` (with ``has``/``values``) and ``.operands``."""
        return read_arguments(self.argv, spec, start)

    def has_option(self, *names: str) -> bool:
        """True when any of ``names`` is given.

        A bare one-letter name (``"y"``) matches ``-y`` and bundles like
        ``-qy``; a bare longer name (``"yes"``) matches ``--yes`` and
        ``--yes=v``; a name written with one dash (``"-jar"``) matches that
        spelling (and ``-jar=v``). No other option is known to take a value.
        """
        wanted = {option_name(n) for n in names}
        return any(a.option in wanted for a in self.options(OptionSpec.asking(names)))

    def option_values(self, name: str) -> tuple[str | None, ...]:
        """Every value given to option ``name`` (``--n=v``, ``--n v``, ``-nv``, ``-n v``).

        None stands for a value that is not resolvable or missing.
        """
        wanted = option_name(name)
        return tuple(a.value for a in self.options(OptionSpec.asking((name,), (name,))) if a.option == wanted)

    def option_value(self, name: str) -> str | None:
        """The last value given to option ``name`` (the usual "last one wins")."""
        values = self.option_values(name)
        return values[-1] if values else None

    def positional(self, takes_value: Iterable[str] = ()) -> tuple[Word, ...]:
        """argv[1:] words that are not options.

        Options named in ``takes_value`` (bare names, as for ``has_option``)
        consume the next word, so ``pip install -r req.txt torch`` with
        ``takes_value=("r",)`` gives only ``torch``. Unresolvable words count
        as positional; everything after ``--`` is positional.
        """
        return self.arguments(OptionSpec.asking((), tuple(takes_value))).operands

    def with_spans(self, span_of: SpanOf, memo: dict[int, Word] | None = None) -> Command:
        """A copy whose ``span`` (and every word's) is ``span_of(start, end)``.

        ``memo`` (one dict for all the commands of a script) maps each Word
        to its copy: an unwrapped command shares its wrapper's Words, and
        copying them per command made wrapper chains (``find -exec`` x 3,000)
        quadratic in time and memory.
        """
        spanned = {} if memo is None else memo

        def one(w: Word) -> Word:
            copy = spanned.get(id(w))
            if copy is None:
                copy = spanned[id(w)] = w.with_spans(span_of)
            return copy

        def words(ws: tuple[Word, ...]) -> tuple[Word, ...]:
            return tuple(map(one, ws))

        redirects = tuple(
            r._replace(target=one(r.target) if r.target else None)
            for r in self.redirects
        )
        return self._replace(
            argv=words(self.argv), assignments=words(self.assignments),
            redirects=redirects, span=span_of(self.start, self.end),
        )


class ShellScript(NamedTuple):
    """What ``parse_script`` (or ``parse_exec``) understood of one script."""

    text: str  # what the offsets index
    commands: tuple[Command, ...]
    issues: tuple[ShellIssue, ...]

    @property
    def understood(self) -> bool:
        """True when nothing was guessed: every construct was recognised."""
        return not self.issues


# POSIX shells by program name, and how their scripts read: "sh" (POSIX; dash,
# busybox ash) or "bash" (bash, and shells sharing its $'...' and &> extensions).
SHELL_DIALECTS = {
    "sh": "sh", "dash": "sh", "ash": "sh", "posh": "sh", "yash": "sh",
    "bash": "bash", "zsh": "bash", "ksh": "bash", "ksh93": "bash", "mksh": "bash",
}


def shell_dialect(shell: tuple[str, ...]) -> str | None:
    """"bash", "sh", or None when ``shell`` (a SHELL instruction's argv) is not POSIX.

    The empty tuple means Docker's default ``/bin/sh -c``.
    """
    if not shell:
        return "sh"
    words = list(shell)
    program = _program(words[0])
    if program == "env" and len(words) > 1:
        words = words[1:]
        program = _program(words[0])
    if program == "busybox":  # busybox's sh is ash, whatever name it is called by
        program = _program(words[1]) if len(words) > 1 and not words[1].startswith("-") else "sh"
        return "sh" if program in SHELL_DIALECTS else None
    return SHELL_DIALECTS.get(program)


def is_posix_shell(shell: tuple[str, ...]) -> bool:
    """False for powershell, pwsh, cmd and other shells whose scripts we cannot read."""
    return shell_dialect(shell) is not None


def _program(word: str) -> str:
    name = word.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return name[:-4] if name.endswith(".exe") else name
