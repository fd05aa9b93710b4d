"""Reading a command line's options the way the program's getopt would.

One reader for every place that asks what a command line means: the
``Command`` helpers (``has_option``, ``option_value``, ``positional``), the
wrappers the shell parser unwraps (``sudo -u app pip ...``, ``bash -o
pipefail -c ...``) and the package rules (``pip install -r req.txt -e .``).
What differs between programs is data, an ``OptionSpec``: which options take
a value, what a short option's long name is, and whether options may follow
operands.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from dockerlint.model.shell import Word


class OptionSpec(NamedTuple):
    """How one program reads its options.

    ``short_with_value``: letters that take a value (``-r FILE``, ``-rFILE``,
    ``-qr FILE``). ``long_with_value``: names (no dashes) that take the next
    word when not written ``--name=value``. ``single_dash``: names read whole
    after one dash (``java -jar``, ``find -name``); they take a value when in
    ``long_with_value`` too. ``long_names`` maps a letter to its long name, so
    ``-r`` and ``--requirement`` read as one option. ``posix``: the first
    operand ends the options (POSIX getopt, wrappers, shells); else options
    may follow operands (GNU getopt). ``plus``: ``+x`` is an option too (sh).
    ``sh_bundles``: a value letter anywhere in a bundle takes the next word,
    as sh and bash read ``-oe pipefail``.
    """

    short_with_value: str = ""
    long_with_value: frozenset[str] = frozenset()
    single_dash: frozenset[str] = frozenset()
    long_names: Mapping[str, str] = MappingProxyType({})
    posix: bool = False
    plus: bool = False
    sh_bundles: bool = False

    @classmethod
    def asking(cls, names: Sequence[str], takes_value: Sequence[str] = ()) -> OptionSpec:
        """A spec for a program we know nothing about but the names asked for.

        A bare letter (``"y"``) is a short option, a longer bare name
        (``"yes"``) a long one, a name written with one dash (``"-jar"``) a
        single-dash one; those in ``takes_value`` take a value.
        """
        valued = {option_name(n) for n in takes_value}
        return cls(
            short_with_value="".join(sorted(v for v in valued if len(v) == 1)),
            long_with_value=frozenset(v for v in valued if len(v) > 1),
            single_dash=frozenset(n[1:] for n in (*names, *takes_value)
                                  if len(n) > 2 and n[0] == "-" and n[1] != "-"),
        )


def option_name(name: str) -> str:
    """The ``Argument.option`` of a name as asked: ``-jar`` and ``--yes`` read as ``jar``, ``yes``."""
    return name.lstrip("-") or name


class Argument(NamedTuple):
    """One argument of a command line as its program reads it.

    An option (``option`` is its name: the long name when the spec knows one,
    else the letter) or an operand (``option`` None). ``value_word`` holds
    the option's value: ``word`` itself when attached (``-rreq.txt``,
    ``--index-url=URL``), else the next word; None when the option takes
    none or the line ends. ``value`` is that value, None when missing or not
    resolvable.
    """

    word: Word
    index: int  # type: ignore[assignment]  # of ``word`` in the argv read (shadows tuple.index)
    option: str | None = None
    value: str | None = None
    value_word: Word | None = None

    @property
    def end(self) -> int:
        """Index of the next word to read: after ``word``, or after the value when that is the next word."""
        return self.index + (2 if self.value_word is not None and self.value_word is not self.word else 1)


class Arguments(NamedTuple):
    """A command line read by an ``OptionSpec``: options in order, and operands."""

    options: tuple[Argument, ...]
    operands: tuple[Word, ...]

    def has(self, *names: str) -> bool:
        """True when any of the options ``names`` (as ``Argument.option`` names them) is given."""
        return any(o.option in names for o in self.options)

    def values(self, *names: str) -> tuple[Argument, ...]:
        """The occurrences of the options ``names``, in order (the last one usually wins)."""
        return tuple(o for o in self.options if o.option in names)


def read_options(words: Sequence[Word], spec: OptionSpec, start: int = 0) -> Iterator[Argument]:
    """The options and operands of ``words[start:]``, in order.

    Reads ``--name=value``, ``--name value``, ``-xVALUE``, ``-x VALUE``,
    bundles (``-qUr req.txt``: ``q``, ``U``, then ``r`` with the next word)
    and ``--`` (every later word is an operand). A word whose text is not
    known (``$FLAGS``) counts as an operand: it is never guessed to be an
    option. A dash word whose letters after the first are not all letters
    or digits (``-chttps://x``, ``-o=v``) is one option with an attached
    value, not a bundle.
    """
    operands_only = False
    i, n = start, len(words)
    while i < n:
        word = words[i]
        text = word.value
        at = i
        i += 1
        if operands_only or text is None or not _is_option(text, spec):
            yield Argument(word, at)
            operands_only = operands_only or spec.posix
            continue
        if text == "--":
            operands_only = True
            continue
        if text.startswith("--") or text[1:].partition("=")[0] in spec.single_dash:
            name, eq, value = text.lstrip("-").partition("=")
            if eq:
                yield Argument(word, at, name, value, word)
            elif name in spec.long_with_value and i < n:
                yield Argument(word, at, name, words[i].value, words[i])
                i += 1
            else:
                yield Argument(word, at, name)
            continue
        letters = text[1:]
        for k, letter in enumerate(letters):
            name = spec.long_names.get(letter, letter)
            rest = letters[k + 1:]
            takes = letter in spec.short_with_value
            if spec.sh_bundles or not (takes or (k == 0 and rest and not rest.isalnum())):
                if takes and i < n:
                    yield Argument(word, at, name, words[i].value, words[i])
                    i += 1
                else:
                    yield Argument(word, at, name)
                continue
            if rest:
                yield Argument(word, at, name, rest, word)
            elif i < n:
                yield Argument(word, at, name, words[i].value, words[i])
                i += 1
            else:
                yield Argument(word, at, name)
            break


def read_arguments(words: Sequence[Word], spec: OptionSpec, start: int = 0) -> Arguments:
    """``read_options`` collected: the options, and the operands' words."""
    items = tuple(read_options(words, spec, start))
    return Arguments(tuple(a for a in items if a.option is not None),
                     tuple(a.word for a in items if a.option is None))


def _is_option(text: str | None, spec: OptionSpec) -> bool:
    if not text or len(text) < 2:
        return False
    return text[0] == "-" or (spec.plus and text[0] == "+" and text[1] != "+")
