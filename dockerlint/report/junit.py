"""JUnit XML, for CI systems that show test results (GitLab, Jenkins, Azure, CircleCI).

One ``<testsuite>`` per checked file and one failed ``<testcase>`` per
finding; a clean file gets one passing test case so that it shows up as
checked. Written to validate against Jenkins xunit's ``junit-10.xsd``, the
schema Maven Surefire's output follows and the consumers accept. No
timestamp or host name: the same input gives the same bytes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from dockerlint.report._common import TOOL_NAME, group_by_file, rule_title
from dockerlint.report._xml import xml_attr, xml_text

if TYPE_CHECKING:
    from dockerlint.findings import Finding
    from dockerlint.report import Report


def _failure_text(report: Report, f: Finding) -> str:
    s = f.span
    lines = [f"{report.ci_path(f.path)}:{s.line}:{s.column}: {f.severity}: {rule_title(report, f)}", f.message]
    if f.fix is not None:
        lines.append(f"Fix: {f.fix.description}")
    return "\n".join(lines)


def render(report: Report, stream: TextIO) -> None:
    groups = group_by_file(report)
    total = sum(max(len(fs), 1) for fs in groups.values())
    write = stream.write
    write('<?xml version="1.0" encoding="UTF-8"?>\n')
    write(f'<testsuites name="{TOOL_NAME}" tests="{total}" failures="{len(report.findings)}" errors="0">\n')
    for path, findings in groups.items():
        name = xml_attr(report.ci_path(path))
        write(f'  <testsuite name={name} tests="{max(len(findings), 1)}" failures="{len(findings)}" '
              f'errors="0" skipped="0">\n')
        if not findings:
            write(f'    <testcase name="{TOOL_NAME}" classname={name}/>\n')
        for f in findings:
            s = f.span
            write(f"    <testcase name={xml_attr(f'{f.rule_id} at line {s.line}, column {s.column}')} "
                  f"classname={name}>\n")
            write(f"      <failure type={xml_attr(f.rule_id)} message={xml_attr(f.message)}>"
                  f"{xml_text(_failure_text(report, f))}</failure>\n")
            write("    </testcase>\n")
        write("  </testsuite>\n")
    write("</testsuites>\n")
