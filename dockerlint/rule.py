"""The public rule API: the ``@rule`` decorator and the ``Rule`` it makes.

A rule is a generator over the model (``dockerlint.model.Dockerfile``) that
yields ``Finding``s. Its docstring is its documentation::

    Summary sentence (the default message).

    Why: one paragraph on what goes wrong.

    Bad:
        FROM python:latest
    Good:
        FROM python:3.12.7-slim-bookworm

Rules are found through the entry-point group ``dockerlint.rules``; an entry
point names a module, and every ``Rule`` defined at that module's top level or
in the modules it lists in ``RULE_MODULES`` is loaded.
"""
from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from dockerlint.findings import Finding, Severity

CATEGORIES = (
    "syntax", "reproducibility", "performance", "security", "maintainability",
    "correctness", "ml", "style",
)

_SECTION = re.compile(r"^(Why|Bad|Good|Fix|Note):[ \t]*", re.MULTILINE)


class RuleDoc(NamedTuple):
    summary: str
    why: str = ""
    bad: str = ""
    good: str = ""
    fix: str = ""
    note: str = ""


def parse_doc(docstring: str | None) -> RuleDoc:
    """Split a rule docstring into its summary and Why/Bad/Good sections."""
    text = inspect.cleandoc(docstring or "")
    parts = _SECTION.split(text)
    summary = " ".join(parts[0].split())
    sections: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        text = inspect.cleandoc(body).strip("\n")
        if name in _PROSE:  # "Why: nothing else…" reads as a sentence wherever it is shown alone
            text = text[:1].upper() + text[1:]
        sections[name.lower()] = text
    return RuleDoc(summary=summary, **sections)


_PROSE = ("Why", "Fix", "Note")  # Bad/Good are Dockerfile code, kept exactly as written


@dataclass(frozen=True, eq=False)
class Rule:
    id: str
    name: str
    severity: Severity
    category: str
    check: Callable[..., Iterable[Finding]] = field(repr=False)
    doc: RuleDoc
    aliases: tuple[str, ...] = ()
    fixable: bool = False
    default_enabled: bool = True
    module: str = ""

    @property
    def summary(self) -> str:
        return self.doc.summary

    def __call__(self, df) -> Iterable[Finding]:
        return self.check(df)


def rule(
    *,
    id: str,
    name: str,
    severity: Severity,
    category: str,
    aliases: Iterable[str] = (),
    fixable: bool = False,
    default_enabled: bool = True,
) -> Callable[[Callable[..., Iterable[Finding]]], Rule]:
    """Turn a check function into a ``Rule``."""
    if category not in CATEGORIES:
        raise ValueError(f"rule {id}: unknown category {category!r}")

    def wrap(check: Callable[..., Iterable[Finding]]) -> Rule:
        return Rule(
            id=id, name=name, severity=severity, category=category, check=check,
            doc=parse_doc(check.__doc__), aliases=tuple(aliases), fixable=fixable,
            default_enabled=default_enabled, module=check.__module__,
        )

    return wrap
