"""Checkstyle XML, read by Jenkins Warnings NG, reviewdog, SonarQube importers.

No XSD exists; the shape follows Checkstyle's own ``XMLLogger``: one
``<file>`` per checked file (empty when clean) holding ``<error>`` elements.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from dockerlint.findings import Severity
from dockerlint.report._common import group_by_file
from dockerlint.report._xml import xml_attr

if TYPE_CHECKING:
    from dockerlint.report import Report

# Checkstyle knows error, warning and info; style is the mildest, so info.
SEVERITIES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info",
              Severity.STYLE: "info"}


def render(report: Report, stream: TextIO) -> None:
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n')
    for path, findings in group_by_file(report).items():
        if not findings:
            stream.write(f"  <file name={xml_attr(report.ci_path(path))}/>\n")
            continue
        stream.write(f"  <file name={xml_attr(report.ci_path(path))}>\n")
        for f in findings:
            column = f' column="{f.span.column}"' if f.span.column >= 1 else ""
            stream.write(
                f'    <error line="{max(f.span.line, 0)}"{column} severity="{SEVERITIES[f.severity]}"'
                f" message={xml_attr(f.message)} source={xml_attr(f.rule_id)}/>\n"
            )
        stream.write("  </file>\n")
    stream.write("</checkstyle>\n")
