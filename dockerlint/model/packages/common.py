"""What the family modules share: reading a line up to its verb, spans, the cache state."""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from dockerlint.model.options import Arguments, OptionSpec
from dockerlint.model.packages.types import (
    CACHE_CLEANED,
    CACHE_ENV,
    CACHE_FLAG,
    CACHE_MOUNT,
    CACHE_TMPFS,
    UNKNOWN,
    CacheState,
    Package,
)
from dockerlint.model.shell import Command, Word
from dockerlint.syntax.nodes import Span

if TYPE_CHECKING:
    from dockerlint.model.dockerfile import Instr

# strtobool's words (pip reads its PIP_* booleans with it)
TRUE_WORDS = frozenset({"y", "yes", "t", "true", "on", "1"})
BOOL_WORDS = TRUE_WORDS | {"n", "no", "f", "false", "off", "0"}
URL_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)


class Line(NamedTuple):
    """A package-manager command line read up to its verb."""

    args: Arguments
    verbs: tuple[Word, ...]  # the subcommand words (``env``, ``create``)
    operands: tuple[Word, ...]  # the operands after them

    @property
    def verb(self) -> Word | None:
        return self.verbs[-1] if self.verbs else None

    @property
    def subcommand(self) -> str:
        return " ".join(w.value or "" for w in self.verbs)


def read_line(cmd: Command, spec: OptionSpec, start: int = 1, depth: int = 1) -> Line:
    """Read ``cmd.argv[start:]`` with ``spec``; the first ``depth`` operands are the verb words.

    Stops early (fewer verbs) at an operand whose value is unknown: a verb is never guessed.
    """
    args = cmd.arguments(spec, start)
    operands = args.operands
    verbs: list[Word] = []
    for word in operands[:depth]:
        if word.value is None:
            break
        verbs.append(word)
    return Line(args, tuple(verbs), operands[len(verbs):])


def joined_span(instr: Instr, words: Sequence[Word]) -> Span | None:
    """One span from the first word to the last (None when a span is missing)."""
    spans = [w.span for w in words if w.span is not None]
    if not spans or len(spans) != len(words):
        return None
    if len(spans) == 1:
        return spans[0]
    source = instr.syntax.source
    first, last = spans[0], spans[-1]
    if source is None or last.end < first.start:
        return first
    return source.span(first.start, last.end)


def flags_span(instr: Instr, args: Arguments) -> Span | None:
    """From the first option word to the last option's value (None without options)."""
    if not args.options:
        return None
    first = min(args.options, key=lambda a: a.index)
    last = max(args.options, key=lambda a: a.end)
    last_word = last.value_word if last.value_word is not None else last.word
    return joined_span(instr, (first.word, last_word))


def values(args: Arguments, *names: str) -> tuple[Word, ...]:
    """The value words of the options ``names`` (an option given without one is left out)."""
    return tuple(a.value_word for a in args.values(*names) if a.value_word is not None)


def option_word_value(args: Arguments, *names: str) -> str | None:
    """The last value of the options ``names`` (None when not given or not resolvable)."""
    given = args.values(*names)
    return given[-1].value if given else None


def unknown(word: Word, **kw) -> Package:
    return Package(word, word.value, None, UNKNOWN, span=word.span, **kw)


def is_truthy(value: str | None, words: frozenset[str] = TRUE_WORDS) -> bool:
    return value is not None and value.strip().lower() in words


# -- the cache -------------------------------------------------------------------------


def cache_state(cmd: Command, instr: Instr, later: Sequence[Command], *, flag: bool = False,
                env: bool = False, dirs: Iterable[str | None] = (), suffixes: Sequence[str] = (),
                cleans: Callable[[Command], bool] | None = None) -> CacheState:
    """Does the download cache stay in the layer? First reason wins: a flag, an
    environment variable, a cache/tmpfs mount covering it, removal later in the RUN.

    ``dirs``: the cache directories where known (the first is reported);
    ``suffixes``: home-relative ones (``/.cache/pip``) that match whoever's
    home; ``cleans``: the manager's own clean command (``yum clean all``).
    """
    known = [posixpath.normpath(d) for d in dirs if d and d.startswith("/")]
    shown = known[0] if known else None
    if flag:
        return CacheState(CACHE_FLAG, shown)
    if env:
        return CacheState(CACHE_ENV, shown)
    run = instr.run
    for mount in run.mounts if run is not None else ():
        if mount.type in ("cache", "tmpfs") and mount.target and _covers(mount.target, known, suffixes):
            return CacheState(CACHE_MOUNT if mount.type == "cache" else CACHE_TMPFS, shown)
    for other in later:
        if (cleans is not None and cleans(other)) or _removes(other, known, suffixes):
            return CacheState(CACHE_CLEANED, shown)
    return CacheState(None, shown)


def _covers(path: str, dirs: Sequence[str], suffixes: Sequence[str]) -> bool:
    """Is every cache directory (``dirs``, or a home's ``suffixes``) at or under ``path``?"""
    if not path.startswith("/"):
        return False
    path = posixpath.normpath(path)
    prefix = path.rstrip("/") + "/"
    if any(d == path or d.startswith(prefix) for d in dirs):
        return True
    return any(path.endswith(s) for s in suffixes)


def _removes(cmd: Command, dirs: Sequence[str], suffixes: Sequence[str]) -> bool:
    """``rm -rf DIR``, ``rm -rf DIR/*``, ``rm -rf DIR*`` (or a parent of DIR) for a cache
    directory, or ``find DIR ... -delete`` starting at or above it."""
    if cmd.program == "find":
        words = [w.value for w in cmd.argv[1:]]
        if "-delete" not in words:
            return False
        starts = [w for w in words[:next((i for i, w in enumerate(words) if not w or w[0] in "-(!"), len(words))]]
        return any(w and _covers(w, dirs, suffixes) for w in starts)
    if cmd.program != "rm":
        return False
    for word in cmd.argv[1:]:
        text = word.value
        if not text or text.startswith("-"):
            continue
        for tail in ("/*", "/", "*"):  # DIR/* empties DIR; DIR* removes DIR (and its siblings DIR.old)
            if text.endswith(tail) and len(text) > len(tail):
                text = text[: -len(tail)]
                break
        if "*" not in text and _covers(text, dirs, suffixes):
            return True
    return False
