"""SonarQube's generic issue import format (``sonar.externalIssuesReportPaths``; ``hadolint -f sonarqube``).

``{"issues": [...]}`` with, per finding, ``engineId``, ``ruleId``, ``severity`` (BLOCKER ... INFO,
from the Code Quality severity of ``-f gitlab``), ``type`` (VULNERABILITY for security rules,
CODE_SMELL for style and maintainability, BUG otherwise) and ``primaryLocation``: message, path
from the repository root and a text range with 1-based lines and 0-based columns, as the format
specifies. Columns are given only for a span on one line: SonarQube rejects a column past the end
of its line, and a multi-line span's end column belongs to another line.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from dockerlint.report._common import last_line
from dockerlint.report.gitlab import severity
from dockerlint.textsafe import document_text

if TYPE_CHECKING:
    from dockerlint.findings import Finding
    from dockerlint.report import Report

SMELLS = ("style", "maintainability", "performance")


def _issue(report: Report, f: Finding) -> dict[str, Any]:
    rule = report.rules.get(f.rule_id)
    category = f.category or (rule.category if rule else "")
    s = f.span
    line = max(s.line, 1)
    text_range: dict[str, int] = {"startLine": line, "endLine": max(last_line(s), line)}
    if s.line >= 1 and s.end_line == s.line and s.end_column > s.column >= 1:
        text_range.update(startColumn=s.column - 1, endColumn=s.end_column - 1)
    return {
        "engineId": "dockerlint",
        "ruleId": f.rule_id,
        "severity": severity(f.severity, category).upper(),
        "type": "VULNERABILITY" if category == "security" else "CODE_SMELL" if category in SMELLS else "BUG",
        "primaryLocation": {"message": " ".join(f.message.split()), "filePath": report.ci_path(f.path),
                            "textRange": text_range},
    }


def render(report: Report, stream: TextIO) -> None:
    issues = [_issue(report, f) for f in report.findings]
    stream.write(document_text(json.dumps({"issues": issues}, ensure_ascii=False, separators=(",", ":"))) + "\n")
