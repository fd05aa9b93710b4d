"""The JSON report: a versioned, documented shape for machines.

The shape is specified by the pydantic models in ``dockerlint.report.schema``
(and the JSON schema generated from them, ``json_schema.json``); this module
writes it with the standard library alone so that ``--format json`` does not
pay for importing pydantic.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from dockerlint.findings import Severity
from dockerlint.report._common import TOOL_NAME, Sources, rule_help_uri, severity_counts
from dockerlint.textsafe import document_text

if TYPE_CHECKING:
    from dockerlint.findings import Finding, Fix
    from dockerlint.report import Report

SCHEMA_VERSION = "1.0"


def _fix(fix: Fix, path: str, sources: Sources) -> dict[str, Any]:
    edits = []
    for edit in fix.edits:
        span = sources.edit_span(path, edit) if fix.path is None else None
        edits.append({
            "start": edit.start,
            "end": edit.end,
            "line": span.line if span else None,
            "column": span.column if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_column if span else None,
            "replacement": edit.replacement,
        })
    out: dict[str, Any] = {"description": fix.description, "safe": fix.safe, "edits": edits}
    if fix.path is not None:
        out["file"] = fix.path
    return out


def _finding(report: Report, f: Finding, sources: Sources) -> dict[str, Any]:
    rule = report.rules.get(f.rule_id)
    s = f.span
    return {
        "rule": f.rule_id,
        "name": f.rule_name or (rule.name if rule else ""),
        "severity": str(f.severity),
        "category": f.category or (rule.category if rule else ""),
        "message": f.message,
        "file": f.path,
        "line": s.line,
        "column": s.column,
        "end_line": s.end_line,
        "end_column": s.end_column,
        "fix": _fix(f.fix, f.path, sources) if f.fix else None,
        "help_uri": rule_help_uri(f.rule_id),
        "extra": dict(f.extra),
    }


def to_dict(report: Report) -> dict[str, Any]:
    sources = Sources(report)
    counts = severity_counts(report.findings)
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": report.tool_version},
        "files": list(report.files),
        "findings": [_finding(report, f, sources) for f in report.findings],
        "summary": {
            **{str(sev): counts[sev] for sev in sorted(Severity, reverse=True)},
            "files_checked": len(report.files),
            "files_with_findings": len({f.path for f in report.findings}),
        },
        "extra": dict(report.extra),
    }


def render(report: Report, stream: TextIO) -> None:
    if report.statistics:  # --statistics: the table's rows, not the findings
        from dockerlint.report.statistics import render_json

        render_json(report, stream)
        return
    # default=str: rule-specific ``extra`` values (paths, enums) must not crash the report.
    # Compact: with ``indent`` the json module falls back to its pure-Python encoder,
    # 5x slower on big reports (bench/report_formats.py). Pretty-print with `jq .`.
    text = json.dumps(to_dict(report), ensure_ascii=False, default=str, separators=(",", ":"))
    stream.write(document_text(text) + "\n")

