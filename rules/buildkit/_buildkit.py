"""Helpers the BuildKit-check rules share: how BuildKit spells and suggests things."""
from __future__ import annotations

from collections.abc import Iterable


def written_keyword(instr) -> str:
    """The instruction keyword as written in the file (``Run``, ``from``)."""
    source = instr.dockerfile.source
    return source.slice(instr.syntax.keyword_span)


def self_consistent(word: str) -> bool:
    """BuildKit's isSelfConsistentCasing: all lower or all upper case."""
    return word == word.lower() or word == word.upper()


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def suggest(name: str, options: Iterable[str]) -> str:
    """BuildKit's ``suggest.Search`` (case-sensitive): the closest option, if closer than 3 edits.

    An exact match means the problem is elsewhere: no suggestion.
    """
    return Suggester().suggest(name, options)


class Suggester:
    """``suggest`` with a bounded total cost over one file (issue 8).

    Edit distances cost ``len(a) * len(b)``; a hostile file (50,000 ENV lines
    each using an undefined name) made that quadratic. Options whose length
    differs by 3 or more cannot be closer than 3 edits and cost one step;
    once ``budget`` steps are spent, no more hints are given (never a wrong
    one): ``exhausted`` tells a caller not to even collect the options.
    """

    def __init__(self, budget: int = 500_000):
        self.budget = budget

    @property
    def exhausted(self) -> bool:
        return self.budget <= 0

    def suggest(self, name: str, options: Iterable[str]) -> str:
        best, best_distance = "", 3
        for option in options:
            if self.budget <= 0:
                return ""
            if option == name:
                return ""
            self.budget -= 1
            if abs(len(option) - len(name)) >= best_distance:
                continue
            self.budget -= len(name) * len(option)
            distance = levenshtein(name, option)
            if distance < best_distance:
                best, best_distance = option, distance
        return best if self.budget > 0 else ""


def stage_instructions(df):
    """(stage, instruction) for the instructions BuildKit dispatches: stage bodies, FROM excluded.

    ONBUILD inner instructions are not included: BuildKit runs them in the
    stages built from this one, at that stage's FROM.
    """
    for stage in df.stages:
        for instr in stage.instructions[1:]:
            yield stage, instr
