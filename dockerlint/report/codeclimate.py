"""Code Climate's engine output (``hadolint -f codeclimate``): one issue object per finding, each
followed by a NUL byte, as the Code Climate engine specification streams them.

The issue objects are the ones of ``-f gitlab`` (GitLab reads the same fields, as one array).
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

from dockerlint.report.gitlab import to_list
from dockerlint.textsafe import document_text

if TYPE_CHECKING:
    from dockerlint.report import Report


def render(report: Report, stream: TextIO) -> None:
    for issue in to_list(report):
        stream.write(document_text(json.dumps(issue, ensure_ascii=False, separators=(",", ":"))) + "\0")
