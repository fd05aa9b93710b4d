"""What a check reports: findings, their severities and their fixes.

Shared by the lint engine and ``--verify-build`` so that both speak one
language to every reporter.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple

from dockerlint.syntax.nodes import Edit, Span

__all__ = ["Edit", "Finding", "Fix", "Severity", "Span"]


class Severity(enum.IntEnum):
    """Ordered so that ``severity >= threshold`` means "fails the run"."""

    STYLE = 1
    INFO = 2
    WARNING = 3
    ERROR = 4

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            allowed = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {text!r} (allowed: {allowed})") from None

    def __str__(self) -> str:
        return self.name.lower()


class Fix(NamedTuple):
    description: str
    edits: tuple[Edit, ...]
    safe: bool = True  # only safe fixes are applied by ``--fix``
    # The file the edits apply to when it is not the linted Dockerfile: a file to create (a
    # `.dockerignore`), its edits made against the empty text. ``--fix`` writes it only while no
    # file of that name exists: what the user owns is never overwritten.
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place.

    Rules create findings with ``message``, ``span`` and maybe ``fix``; the
    engine fills ``rule_id``, ``rule_name``, ``severity`` and ``path`` from the
    rule's metadata and the file being linted.
    """

    message: str
    span: Span
    rule_id: str = ""
    rule_name: str = ""
    severity: Severity = Severity.WARNING
    path: str = ""
    fix: Fix | None = None
    category: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.rule_id, self.message)
