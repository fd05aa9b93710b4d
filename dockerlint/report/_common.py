"""What several reporters need: counts, the summary sentence, source lookups, doc links.

Kept free of heavy imports: every format module imports it.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dockerlint.findings import Severity
from dockerlint.syntax.nodes import Source, Span

if TYPE_CHECKING:
    from dockerlint.findings import Edit, Finding
    from dockerlint.report import Report

TOOL_NAME = "dockerlint"
TOOL_URI = "https://github.com/dockerlint/dockerlint"
# Every rule has a generated page docs/rules/<ID>.md, every verify cause docs/causes/<ID>.md
# (`python -m dockerlint.dev generate`).
DOCS_URL = f"{TOOL_URI}/blob/main/docs"

SEVERITIES_DESC = (Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.STYLE)


def posix_path(path: str) -> str:
    """The path with ``/`` separators and no leading ``./``, as CI systems match them.
    A backslash is a separator only on Windows; elsewhere it is part of a name."""
    if os.sep == "\\":
        path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def uri_path(path: str) -> str:
    """``path`` percent-encoded for a URI (``/`` kept); a byte of a file name that is not UTF-8
    (a lone surrogate here) is encoded as that byte."""
    from urllib.parse import quote

    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def rule_help_uri(rule_id: str) -> str:
    """The documentation page of a rule, of a ``dockerlint verify`` cause (``REPRO-…``), or
    ShellCheck's wiki page of an SC id."""
    if len(rule_id) == 6 and rule_id.startswith("SC") and rule_id[2:].isdigit():
        return f"https://www.shellcheck.net/wiki/{rule_id}"
    folder = "causes" if rule_id.startswith("REPRO-") else "rules"
    return f"{DOCS_URL}/{folder}/{rule_id}.md"


def last_line(span: Span) -> int:
    """The last line a span touches: one that ends just after a line break ends on the line before."""
    if span.end_line > span.line and span.end_column <= 1:
        return span.end_line - 1
    return max(span.end_line, span.line)


def severity_counts(findings: Iterable[Finding]) -> Counter:
    return Counter(f.severity for f in findings)


def plural(n: int, word: str) -> str:
    # "info" and "style" are mass nouns: "2 info", "2 style".
    if n == 1 or word in ("info", "style"):
        return f"{n} {word}"
    return f"{n} {word}s"


def summary_line(report: Report) -> str:
    """One sentence for humans: ``3 problems (1 error, 2 warnings) in 2 of 5 files``
    (``… in 1 file and 1 file of the build context`` when context files have findings)."""
    n_files = len(report.files)
    files = plural(n_files, "file")
    if not report.findings:
        return f"No problems found in {files}."
    counts = severity_counts(report.findings)
    parts = ", ".join(plural(counts[s], str(s)) for s in SEVERITIES_DESC if counts[s])
    # Context rules report in the files a Dockerfile reads (requirements.txt:3, app/main.py:1):
    # counted apart, so the sentence never says "in 2 of 1 file".
    linted = set(report.files)
    paths = {f.path for f in report.findings}
    places = []
    if paths & linted:
        places.append(files if len(paths & linted) == n_files else f"{len(paths & linted)} of {files}")
    if paths - linted:
        places.append(f"{plural(len(paths - linted), 'file')} of the build context")
    where = " and ".join(places)
    return f"{plural(len(report.findings), 'problem')} ({parts}) in {where}.{fixable_note(report.findings)}"


def fixable_note(findings: Iterable[Finding]) -> str:
    """`` 2 fixable with --fix (1 more with --unsafe-fixes).`` or nothing: what ``--fix`` would repair."""
    findings = list(findings)
    safe = sum(1 for f in findings if f.fix is not None and f.fix.edits and f.fix.safe)
    unsafe = sum(1 for f in findings if f.fix is not None and f.fix.edits and not f.fix.safe)
    if not safe and not unsafe:
        return ""
    more = f" ({unsafe} more with --fix --unsafe-fixes)" if unsafe else ""
    return f" {safe} fixable with --fix{more}."


def files_in_order(report: Report) -> list[str]:
    """Every checked file once, in the order given, plus any path only a finding names."""
    seen = dict.fromkeys(report.files)
    for f in report.findings:
        seen.setdefault(f.path)
    return list(seen)


def group_by_file(report: Report) -> dict[str, list[Finding]]:
    groups: dict[str, list[Finding]] = {path: [] for path in files_in_order(report)}
    for f in report.findings:
        groups[f.path].append(f)
    return groups


class Sources:
    """``Source`` objects (text + line index) for the report's files, built once on demand."""

    def __init__(self, report: Report):
        self._texts = report.sources
        self._cache: dict[str, Source | None] = {}

    def get(self, path: str) -> Source | None:
        if path not in self._cache:
            text = self._texts.get(path)
            self._cache[path] = None if text is None else Source(text, path)
        return self._cache[path]

    def edit_span(self, path: str, edit: Edit) -> Span | None:
        """Line/column positions of an edit's ``[start, end)``, if the text is known."""
        source = self.get(path)
        if source is None or not 0 <= edit.start <= edit.end <= len(source.text):
            return None
        return source.span(edit.start, edit.end)

    def line(self, path: str, line: int) -> str | None:
        """Text of a 1-based line without its line break, or None when unknown."""
        source = self.get(path)
        if source is None or not 1 <= line <= source.line_count:
            return None
        return source.slice(source.line_span(line))

    def snippet(self, finding: Finding) -> str:
        """The offending text: the span's characters, or its first line when the span is empty."""
        source = self.get(finding.path)
        if source is None:
            return ""
        span = finding.span
        if 0 <= span.start < span.end <= len(source.text):
            return source.text[span.start:span.end]
        return self.line(finding.path, span.line) or ""


def rule_title(report: Report, finding: Finding) -> str:
    """``DL3007 no-latest-tag``, or just the id when the rule is unknown."""
    name = finding.rule_name
    if not name:
        rule = report.rules.get(finding.rule_id)
        name = rule.name if rule else ""
    return f"{finding.rule_id} {name}".strip()
