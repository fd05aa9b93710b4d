"""GitHub Actions: workflow-command annotations, and a Markdown job summary.

Each finding becomes ``::error|warning|notice file=…,line=…::message`` on
stdout, which the runner turns into an annotation on the pull request's diff.
The runner keeps only 10 annotations of each kind per step, so when
``GITHUB_STEP_SUMMARY`` names a file the full list is also appended there as
a table.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from dockerlint.findings import Severity
from dockerlint.report._common import last_line, posix_path, rule_help_uri, rule_title, summary_line

if TYPE_CHECKING:
    from dockerlint.findings import Finding
    from dockerlint.report import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice",
            Severity.STYLE: "notice"}
SUMMARY_MAX_ROWS = 1000  # a step summary may hold 1 MiB; this keeps far below it


def escape_data(text: str) -> str:
    """Percent-encode a command's message the way actions/runner decodes it (``%`` first)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property values also encode ``:`` and ``,``, which would end the value or the list."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repo_path(path: str, env: Mapping[str, str]) -> str:
    """The path relative to the checkout when it lies inside it, with ``/`` separators."""
    workspace = env.get("GITHUB_WORKSPACE")
    if workspace and os.path.isabs(path) and Path(path).is_relative_to(workspace):
        path = os.path.relpath(path, workspace)
    return posix_path(path)


def annotation(finding: Finding, title: str, env: Mapping[str, str]) -> str:
    s = finding.span
    # stdin ("-") has no file to annotate: the annotation then stands alone in the run.
    props = [] if finding.path in ("", "-") else [("file", repo_path(finding.path, env))]
    if s.line >= 1:
        props += [("line", s.line), ("endLine", last_line(s))]
        # The runner drops columns of multi-line annotations; do not send them.
        if s.end_line == s.line and s.column >= 1:
            props += [("col", s.column), ("endColumn", max(s.end_column, s.column))]
    props.append(("title", title))
    message = finding.message
    if finding.fix is not None:
        message += f"\nFix: {finding.fix.description}"
    properties = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    return f"::{COMMANDS[finding.severity]} {properties}::{escape_data(message)}"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell (GitHub also strips unknown HTML).

    HTML is escaped outside `code spans` only: inside one, Markdown shows ``&lt;`` literally.
    """
    pieces = []
    for i, piece in enumerate(_CODE_SPANS.split(text)):
        pieces.append(piece if i % 2 else piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    text = "".join(pieces).replace("|", "\\|")
    return "<br>".join(text.splitlines()) if "\n" in text or "\r" in text else text


_CODE_SPANS = re.compile(r"(`[^`\n]+`)")  # the split keeps them (odd indexes)


def _file_link(path: str, line: int, env: Mapping[str, str]) -> str:
    label = _cell(f"{path}:{line}" if line >= 1 else path)
    server, repo, sha = env.get("GITHUB_SERVER_URL"), env.get("GITHUB_REPOSITORY"), env.get("GITHUB_SHA")
    if not (server and repo and sha) or os.path.isabs(path) or path.startswith("../"):
        return label
    from urllib.parse import quote

    anchor = f"#L{line}" if line >= 1 else ""
    return f"[{label}]({server}/{repo}/blob/{sha}/{quote(path)}{anchor})"


def step_summary(report: Report, env: Mapping[str, str]) -> str:
    lines = ["## dockerlint", "", summary_line(report), ""]
    if report.findings:
        lines += ["| Severity | Rule | Location | Message |", "| --- | --- | --- | --- |"]
        for f in report.findings[:SUMMARY_MAX_ROWS]:
            rule = f"[{_cell(f.rule_id)}]({rule_help_uri(f.rule_id)})"
            if f.rule_name:
                rule += f" {_cell(f.rule_name)}"
            lines.append(f"| {f.severity} | {rule} | {_file_link(repo_path(f.path, env), f.span.line, env)} "
                         f"| {_cell(f.message)} |")
        hidden = len(report.findings) - SUMMARY_MAX_ROWS
        if hidden > 0:
            lines += ["", f"… and {hidden} more (see the job log)."]
        lines.append("")
    return "\n".join(lines) + "\n"


def render(report: Report, stream: TextIO, env: Mapping[str, str] | None = None) -> None:
    env = os.environ if env is None else env
    for f in report.findings:
        stream.write(annotation(f, rule_title(report, f), env) + "\n")
    if not report.quiet:
        stream.write(summary_line(report) + "\n")
    summary_file = env.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as out:
            out.write(step_summary(report, env))
