"""hadolint's JSON shape (``hadolint -f json``), so ``jq`` scripts written for it keep working.

A flat array of ``{"code", "column", "file", "level", "line", "message"}`` (hadolint's
key order), one object per finding. The column is the finding's own (hadolint
writes 1); ``level`` is the severity (error, warning, info, style). dockerlint's
richer report (end positions, rule names, fixes) is ``-f json``.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

from dockerlint.textsafe import document_text

if TYPE_CHECKING:
    from dockerlint.report import Report


def render(report: Report, stream: TextIO) -> None:
    items = [{"code": f.rule_id, "column": f.span.column, "file": f.path, "level": str(f.severity),
              "line": f.span.line, "message": f.message} for f in report.findings]
    stream.write(document_text(json.dumps(items, ensure_ascii=False, separators=(",", ":"))) + "\n")
