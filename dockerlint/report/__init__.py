"""Reporters: one module per output format, each with ``render(report, stream)``.

Formats are imported by name only when asked for, so the lint path pays for
the one it uses (rich is loaded by ``tty`` alone).
"""
from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from dockerlint.report._common import posix_path

if TYPE_CHECKING:
    from dockerlint.findings import Finding
    from dockerlint.rule import Rule

FORMATS = ("tty", "json", "sarif", "github", "gitlab", "checkstyle", "junit", "gnu", "hadolint-json", "codeclimate",
           "sonarqube")


@dataclass
class Report:
    """Everything a reporter may show: the findings and where they come from."""

    findings: list[Finding]  # sorted by file, line, column, rule id
    files: list[str]  # every file that was checked, findings or not
    rules: Mapping[str, Rule]  # id -> rule, for metadata (help, docs)
    sources: Mapping[str, str] = field(default_factory=dict)  # path -> text, for code frames
    tool_version: str = ""
    color: bool = False
    statistics: bool = False
    quiet: bool = False  # findings only: human formats leave out the summary line
    extra: dict = field(default_factory=dict)  # e.g. verify-build verdict and layer table
    # path as given -> path relative to the repository root, for CI formats (see ``report.paths``);
    # a path not in it is shown as given.
    repo_paths: Mapping[str, str] = field(default_factory=dict)
    repo_root: str | None = None  # absolute; SARIF's originalUriBaseIds
    sarif_category: str | None = None  # SARIF runAutomationDetails.id (GitHub's upload "category")

    def ci_path(self, path: str) -> str:
        """The path CI systems resolve against the repository root, with ``/`` separators."""
        return self.repo_paths.get(path) or posix_path(path)


def render(fmt: str, report: Report, stream: TextIO) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (allowed: {', '.join(FORMATS)})")
    importlib.import_module(f"dockerlint.report.{fmt.replace('-', '_')}").render(report, stream)
