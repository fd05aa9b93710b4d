"""SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.

One run; ``tool.driver.rules`` carries every known rule's docs so that a
viewer can explain a result without dockerlint installed. Columns count
Unicode code points (``columnKind``), the same unit as dockerlint's spans.

Paths are relative to the repository root (``uriBaseId`` ``%SRCROOT%``, whose
absolute location ``originalUriBaseIds`` records), as GitHub resolves them.
GitHub's documented limits (25,000 results per run, 10 MB gzipped per file)
are kept: past them the most severe results stay, and the run's
notifications and stderr say what was dropped, rather than writing a file
GitHub would reject.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, TextIO

from dockerlint.findings import Severity
from dockerlint.report._common import (
    TOOL_NAME,
    TOOL_URI,
    Sources,
    files_in_order,
    plural,
    posix_path,
    rule_help_uri,
    uri_path,
)
from dockerlint.report.fingerprints import fingerprints, line_hashes
from dockerlint.textsafe import document_text

if TYPE_CHECKING:
    from dockerlint.findings import Finding, Fix
    from dockerlint.report import Report
    from dockerlint.rule import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "3.0", Severity.STYLE: "1.0"}
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note", Severity.STYLE: "note"}
# GitHub orders alerts by ``problem.severity`` (error, warning, recommendation) and ``precision``.
PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation",
                    Severity.STYLE: "recommendation"}
# Rules stay silent when they cannot know, so a finding is rarely wrong: "high"; a syntax
# error is the parser's verdict, "very-high".
PRECISION = {"syntax": "very-high"}
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "dockerlint/v2"  # v1 hashed the path as given, so it changed with the working directory
# GitHub code scanning rejects a run above these (docs: "SARIF results exceed hard limit").
MAX_RESULTS = 25_000
MAX_GZIP_BYTES = 10 * 1024 * 1024


def artifact_uri(path: str) -> str:
    """A relative path stays relative (resolved against the repository root); spaces and
    non-ASCII characters are percent-encoded as URIs require."""
    posix = posix_path(path)
    if PurePath(path).is_absolute():
        return "file://" + uri_path(posix if posix.startswith("/") else "/" + posix)
    return uri_path(posix)


def _artifact_location(uri: str) -> dict[str, Any]:
    return {"uri": uri} if uri.startswith("file://") else {"uri": uri, "uriBaseId": SRCROOT}


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
        "properties": {
            "category": rule.category, "tags": [rule.category],
            "precision": PRECISION.get(rule.category, "high"),
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
        },
    }
    if rule.category == "security":  # GitHub code scanning ranks security alerts by this score
        descriptor["properties"]["security-severity"] = SECURITY_SEVERITY[rule.severity]
    if rule.aliases:
        descriptor["deprecatedIds"] = list(rule.aliases)
    return descriptor


def _region(span) -> dict[str, Any]:
    if span.line < 1:
        return {}
    region: dict[str, Any] = {"startLine": span.line}
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
            "artifactLocation": {**_artifact_location(uri), "index": index},
            "replacements": [
                {"deletedRegion": {"charOffset": e.start, "charLength": e.end - e.start},
                 "insertedContent": {"text": e.replacement}}
                for e in fix.edits
            ],
        }],
    }


def _result(f: Finding, rule_index: int, uri: str, index: int, fingerprint: str,
            sources: Sources, line_hash: str | None) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {**_artifact_location(uri), "index": index}}
    region = _region(f.span)
    partial = {FINGERPRINT_KEY: fingerprint}
    if region:
        if line_hash:  # GitHub's upload action computes it only for results with a start line, too
            partial["primaryLocationLineHash"] = line_hash
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
        "partialFingerprints": partial,
    }
    if f.fix is not None and f.fix.path is None:  # a file to create is not an artifact of the run
        result["fixes"] = [_fix(f.fix, uri, index)]
    if f.extra:
        result["properties"] = _json_safe(f.extra)
    return result


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


class _LineHashes:
    """GitHub's line hashes of each file with findings, computed once per file."""

    def __init__(self, report: Report):
        self._texts = report.sources
        self._cache: dict[str, dict[int, str]] = {}

    def get(self, path: str, line: int) -> str | None:
        text = self._texts.get(path)
        if text is None:
            return None
        if path not in self._cache:
            self._cache[path] = line_hashes(text)
        return self._cache[path].get(line)


def _root_uri(root: str) -> str:
    return Path(root).as_uri().rstrip("/") + "/"


def to_dict(report: Report) -> dict[str, Any]:
    """The SARIF log, within GitHub's limits (see ``_within_limits``)."""
    log, _ = _within_limits(report)
    return log


def _build(report: Report, keep: list[int] | None, notifications: list[dict[str, Any]]) -> dict[str, Any]:
    rule_ids = sorted(set(report.rules) | {f.rule_id for f in report.findings})
    rule_index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    paths = files_in_order(report)
    artifact_index = {path: i for i, path in enumerate(paths)}
    uris = {path: artifact_uri(report.ci_path(path)) for path in paths}
    sources = Sources(report)
    hashes = _LineHashes(report)
    prints = fingerprints(report, sources)
    chosen = range(len(report.findings)) if keep is None else keep
    results = []
    for i in chosen:
        f = report.findings[i]
        results.append(_result(f, rule_index[f.rule_id], uris[f.path], artifact_index[f.path], prints[i],
                               sources, hashes.get(f.path, f.span.line)))
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": TOOL_NAME,
            "informationUri": TOOL_URI,
            **({"version": report.tool_version} if report.tool_version else {}),
            "rules": [_rule_descriptor(rule_id, report.rules.get(rule_id)) for rule_id in rule_ids],
        }},
        "artifacts": [
            {"location": _artifact_location(uris[path]), "sourceLanguage": "dockerfile"} for path in paths
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if report.repo_root:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": _root_uri(report.repo_root)}}
    if report.sarif_category:
        category = report.sarif_category  # as github/codeql-action's upload: the id ends with "/"
        run["automationDetails"] = {"id": category if category.endswith("/") else category + "/"}
    if notifications:
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": notifications}]
    if report.extra:
        run["properties"] = {"dockerlint": _json_safe(report.extra)}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _dump(log: dict[str, Any]) -> str:
    # Compact: with ``indent`` the json module falls back to its pure-Python encoder,
    # 5x slower on big reports (bench/report_formats.py). Pretty-print with `jq .`.
    return document_text(json.dumps(log, ensure_ascii=False, separators=(",", ":")))


def _gzip_size(text: str) -> int:
    return len(gzip.compress(text.encode("utf-8", "backslashreplace"), compresslevel=6))


def _within_limits(report: Report) -> tuple[dict[str, Any], str | None]:
    """The log and, when results had to be dropped to meet GitHub's limits, the sentence saying so.

    Results are kept most severe first (then in report order): the count is cut to
    ``MAX_RESULTS``, then halved and refined until the gzipped file fits ``MAX_GZIP_BYTES``.
    """
    findings = report.findings
    log = _build(report, None, [])
    if len(findings) <= MAX_RESULTS and _gzip_size(_dump(log)) <= MAX_GZIP_BYTES:
        return log, None
    ranked = sorted(range(len(findings)), key=lambda i: -findings[i].severity)

    def attempt(count: int) -> dict[str, Any]:
        keep = sorted(ranked[:count])
        return _build(report, keep, [_dropped_notification(report, keep, count)])

    low, high = 0, min(len(findings), MAX_RESULTS)  # the largest count that fits lies in [low, high]
    best = attempt(high)
    if _gzip_size(_dump(best)) > MAX_GZIP_BYTES:
        best = attempt(0)
        high -= 1
        while low < high:
            middle = (low + high + 1) // 2
            trial = attempt(middle)
            if _gzip_size(_dump(trial)) <= MAX_GZIP_BYTES:
                low, best = middle, trial
            else:
                high = middle - 1
    message = best["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    return best, message


def _dropped_notification(report: Report, keep: list[int], count: int) -> dict[str, Any]:
    kept = set(keep)
    dropped = [f for i, f in enumerate(report.findings) if i not in kept]
    by_level: dict[str, int] = {}
    for f in dropped:
        by_level[str(f.severity)] = by_level.get(str(f.severity), 0) + 1
    detail = ", ".join(plural(n, level) for level, n in by_level.items())
    text = (f"{plural(len(report.findings), 'result')} exceed GitHub code scanning's limits "
            f"({MAX_RESULTS:,} results per run, {MAX_GZIP_BYTES // (1024 * 1024)} MB gzipped): "
            f"kept the {count} most severe, dropped {len(dropped)} ({detail})")
    return {"level": "warning", "message": {"text": text}, "descriptor": {"id": "dockerlint/sarif-limits"}}


def render(report: Report, stream: TextIO) -> None:
    from dockerlint.console import note

    log, dropped = _within_limits(report)
    if dropped:
        note(f"sarif: {dropped}")
    stream.write(_dump(log) + "\n")
