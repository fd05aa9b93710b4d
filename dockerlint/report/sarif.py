"""SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.

One run; ``tool.driver.rules`` carries every known rule's docs so that a
viewer can explain a result without dockerlint installed. Columns count
Unicode code points (``columnKind``), the same unit as dockerlint's spans.
"""
from __future__ import annotations

import json
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from dockerlint.findings import Severity
from dockerlint.report._common import (
    TOOL_NAME,
    TOOL_URI,
    Sources,
    files_in_order,
    fingerprints,
    posix_path,
    rule_help_uri,
)

if TYPE_CHECKING:
    from dockerlint.findings import Finding, Fix
    from dockerlint.report import Report
    from dockerlint.rule import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "3.0", Severity.STYLE: "1.0"}
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.STYLE: "note"}


def artifact_uri(path: str) -> str:
    """A relative path stays relative (resolved against the repository root); spaces and
    non-ASCII characters are percent-encoded as URIs require."""
    posix = posix_path(path)
    if PurePath(path).is_absolute():
        return "file://" + quote(posix if posix.startswith("/") else "/" + posix)
    return quote(posix, safe="/")


def _rule_descriptor(rule_id: str, rule: Rule | None) -> dict[str, Any]:
    if rule is None:  # e.g. an internal-error finding from a rule that failed to load
        return {"id": rule_id, "helpUri": rule_help_uri(rule_id)}
    from dockerlint.docs import render_rule  # the same markdown as `dockerlint explain`

    doc = rule.doc
    full = " ".join(part for part in (doc.summary, " ".join(doc.why.split())) if part)
    markdown = f"{render_rule(rule, level=3)}\n[{rule.id} documentation]({rule_help_uri(rule.id)})\n"
    text = "\n\n".join(part for part in (
        doc.summary, doc.why, doc.bad and f"Bad:\n{doc.bad}", doc.good and f"Good:\n{doc.good}",
        doc.fix and f"Fix: {doc.fix}", doc.note and f"Note: {doc.note}") if part)
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": doc.summary or rule.name},
        "fullDescription": {"text": full or rule.name},
        "help": {"text": text or rule.name, "markdown": markdown},
        "helpUri": rule_help_uri(rule.id),
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.default_enabled},
        "properties": {"category": rule.category, "tags": [rule.category]},
    }
    if rule.category == "security":  # GitHub code scanning ranks security alerts by this score
        descriptor["properties"]["security-severity"] = SECURITY_SEVERITY[rule.severity]
    if rule.aliases:
        descriptor["deprecatedIds"] = list(rule.aliases)
    return descriptor


def _region(span) -> dict[str, int]:
    if span.line < 1:
        return {}
    region = {"startLine": span.line}
    if span.column >= 1:
        region["startColumn"] = span.column
    if span.end_line >= span.line:
        region["endLine"] = span.end_line
        if span.column >= 1 and span.end_column >= 1:
            region["endColumn"] = span.end_column
    return region


def _fix(fix: Fix, uri: str, index: int) -> dict[str, Any]:
    return {
        "description": {"text": fix.description},
        "artifactChanges": [{
            "artifactLocation": {"uri": uri, "index": index},
            "replacements": [
                {"deletedRegion": {"charOffset": e.start, "charLength": e.end - e.start},
                 "insertedContent": {"text": e.replacement}}
                for e in fix.edits
            ],
        }],
    }


def _result(f: Finding, rule_index: int, uri: str, index: int, fingerprint: str,
            sources: Sources) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": uri, "index": index}}
    region = _region(f.span)
    if region:
        snippet = sources.snippet(f)
        if snippet:
            region["snippet"] = {"text": snippet}
        location["region"] = region
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {"dockerlint/v1": fingerprint},
    }
    if f.fix is not None:
        result["fixes"] = [_fix(f.fix, uri, index)]
    if f.extra:
        result["properties"] = _json_safe(f.extra)
    return result


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def to_dict(report: Report) -> dict[str, Any]:
    rule_ids = sorted(set(report.rules) | {f.rule_id for f in report.findings})
    rule_index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    paths = files_in_order(report)
    artifact_index = {path: i for i, path in enumerate(paths)}
    uris = {path: artifact_uri(path) for path in paths}
    sources = Sources(report)
    results = [
        _result(f, rule_index[f.rule_id], uris[f.path], artifact_index[f.path], fp, sources)
        for f, fp in zip(report.findings, fingerprints(report, sources))
    ]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": TOOL_NAME,
            "informationUri": TOOL_URI,
            **({"version": report.tool_version} if report.tool_version else {}),
            "rules": [_rule_descriptor(rule_id, report.rules.get(rule_id)) for rule_id in rule_ids],
        }},
        "artifacts": [
            {"location": {"uri": uris[path]}, "sourceLanguage": "dockerfile"} for path in paths
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if report.extra:
        run["properties"] = {"dockerlint": _json_safe(report.extra)}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, stream: TextIO) -> None:
    # Compact: with ``indent`` the json module falls back to its pure-Python encoder,
    # 5x slower on big reports (bench/report_formats.py). Pretty-print with `jq .`.
    stream.write(json.dumps(to_dict(report), ensure_ascii=False, separators=(",", ":")) + "\n")
