"""GNU-style lines, the format editors (Emacs, Vim's errorformat) and grep understand.

``file:line.col-endline.endcol: severity: message [rule]`` following the GNU
Coding Standards' "Formatting Error Messages": columns are 1-based and the end
column names the last character of the range (inclusive).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from dockerlint.textsafe import escape_controls

if TYPE_CHECKING:
    from dockerlint.findings import Finding
    from dockerlint.report import Report


def location(finding: Finding) -> str:
    s = finding.span
    start = f"{s.line}.{s.column}"
    last_line, last_col = s.end_line, s.end_column - 1  # exclusive -> inclusive
    if last_col < 1 or (last_line, last_col) <= (s.line, s.column):
        # empty or one-character span, or one that ends on a line break
        return start
    return f"{start}-{last_line}.{last_col}"


def render(report: Report, stream: TextIO) -> None:
    for f in report.findings:
        # One finding, one line: line breaks in the message fold, in a path they show escaped.
        message = escape_controls(" ".join(f.message.split()))
        path = escape_controls(f.path)
        stream.write(f"{path}:{location(f)}: {f.severity}: {message} [{f.rule_id}]\n")
