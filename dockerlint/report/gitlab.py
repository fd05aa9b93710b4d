"""GitLab Code Quality (a subset of the Code Climate issue format).

A JSON array of issues for ``artifacts:reports:codequality``. GitLab matches
issues between the source and target branch by ``fingerprint``; ours hashes
rule, repository-relative path and offending text (see
``report.fingerprints``) so that a finding keeps its identity when code above
it moves or dockerlint runs from another directory.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from dockerlint.findings import Severity
from dockerlint.report._common import Sources, last_line, rule_help_uri
from dockerlint.report.fingerprints import fingerprints
from dockerlint.textsafe import document_text

if TYPE_CHECKING:
    from dockerlint.findings import Finding
    from dockerlint.report import Report

# GitLab's five severities, mildest last; ours map monotonically onto the four mildest
# (blocker is left to the user's own tooling), then the rule's category moves them:
# a performance or maintainability finding costs time, not a broken or unsafe
# image, so it is one step milder, and a style finding is always info.
GITLAB_SEVERITIES = ("blocker", "critical", "major", "minor", "info")
BASE_RANK = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3, Severity.STYLE: 4}
MILDER_CATEGORIES = ("performance", "maintainability")
# Code Climate requires at least one of its fixed categories.
CATEGORIES = {
    "syntax": "Bug Risk", "correctness": "Bug Risk", "ml": "Bug Risk", "reproducibility": "Bug Risk",
    "performance": "Performance", "security": "Security", "maintainability": "Clarity",
    "style": "Style",
}


def severity(level: Severity, category: str) -> str:
    """GitLab's severity for a finding of ``level`` in ``category`` (see ``GITLAB_SEVERITIES``)."""
    if category == "style":
        return "info"
    rank = BASE_RANK[level] + (category in MILDER_CATEGORIES)
    return GITLAB_SEVERITIES[min(rank, len(GITLAB_SEVERITIES) - 1)]


def _issue(report: Report, f: Finding, fingerprint: str) -> dict[str, Any]:
    rule = report.rules.get(f.rule_id)
    category = f.category or (rule.category if rule else "")
    s = f.span
    line = max(s.line, 1)  # GitLab needs a line; a whole-file finding sits on line 1
    issue: dict[str, Any] = {
        "type": "issue",
        "check_name": f.rule_id,
        "description": " ".join(f.message.split()),  # Code Climate: one line
        "categories": [CATEGORIES.get(category, "Bug Risk")],
        "severity": severity(f.severity, category),
        "fingerprint": fingerprint,
        "location": {
            "path": report.ci_path(f.path),  # GitLab: relative to the repo root, no ./
            "lines": {"begin": line, "end": max(last_line(s), line)},
        },
    }
    body = [rule.doc.why] if rule and rule.doc.why else []
    if f.fix is not None:
        body.append(f"Fix: {f.fix.description}")
    body.append(f"[{f.rule_id} documentation]({rule_help_uri(f.rule_id)})")
    issue["content"] = {"body": "\n\n".join(body)}
    return issue


def to_list(report: Report) -> list[dict[str, Any]]:
    return [_issue(report, f, fp) for f, fp in zip(report.findings, fingerprints(report, Sources(report)))]


def render(report: Report, stream: TextIO) -> None:
    # Compact, like the json format (the indenting encoder is pure Python and slow).
    stream.write(document_text(json.dumps(to_list(report), ensure_ascii=False, separators=(",", ":"))) + "\n")
