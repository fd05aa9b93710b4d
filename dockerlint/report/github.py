"""GitHub Actions: workflow-command annotations, and a Markdown job summary.

A finding becomes ``::error|warning|notice file=…,line=…::message`` on
stdout, which the runner turns into an annotation on the pull request's diff.
The runner keeps only 10 annotations of each kind per step (and GitHub 50 per
job), so the annotations are chosen: errors first, then findings on the files
the pull request changed (``github_event``), then the rest, at most 10 of
each kind. When some do not fit, one notice says how many and points to the
job summary, which lists every finding (``GITHUB_STEP_SUMMARY``); the log
gets them as plain lines, none of which can start a workflow command.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from dockerlint.findings import Severity
from dockerlint.report._common import last_line, plural, rule_help_uri, rule_title, summary_line, uri_path
from dockerlint.textsafe import document_text, escape_controls, replace_controls

if TYPE_CHECKING:
    from dockerlint.findings import Finding
    from dockerlint.report import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice",
            Severity.STYLE: "notice"}
PER_KIND_PER_STEP = 10  # the runner's limit for each of error, warning and notice
SUMMARY_MAX_BYTES = 900 * 1024  # a step summary may hold 1 MiB; the table stops before it


def escape_data(text: str) -> str:
    """Percent-encode a command's message the way actions/runner decodes it (``%`` first)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Property values also encode ``:`` and ``,``, which would end the value or the list."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, title: str, path: str) -> str:
    """The workflow command for ``finding`` at ``path`` (relative to the repository root)."""
    s = finding.span
    # stdin ("-") has no file to annotate: the annotation then stands alone in the run.
    props: list[tuple[str, object]] = [] if path in ("", "-") else [("file", path)]
    if s.line >= 1:
        props += [("line", s.line), ("endLine", last_line(s))]
        # The runner drops columns of multi-line annotations; do not send them.
        if s.end_line == s.line and s.column >= 1:
            props += [("col", s.column), ("endColumn", max(s.end_column, s.column))]
    props.append(("title", title))
    message = finding.message
    if finding.fix is not None:
        message += f"\nFix: {finding.fix.description}"
    # escape sequences and bytes that are not UTF-8 shown as \xNN: the log viewer renders ANSI codes
    properties = ",".join(f"{key}={escape_property(escape_controls(str(value)))}" for key, value in props)
    return f"::{COMMANDS[finding.severity]} {properties}::{escape_data(escape_controls(message, keep_newlines=True))}"


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
    anchor = f"#L{line}" if line >= 1 else ""
    return f"[{label}]({server}/{repo}/blob/{sha}/{uri_path(path)}{anchor})"


def step_summary(report: Report, env: Mapping[str, str]) -> str:
    """Markdown for the job summary: the counts, the verify verdict and layers, then every finding
    (as many rows as fit well below GitHub's 1 MiB, and how many more when some do not)."""
    verify = report.extra.get("verify") if isinstance(report.extra, dict) else None
    heading = "## dockerlint"
    if isinstance(verify, dict) and report.files:  # one section per verified Dockerfile: say which
        heading = f"## dockerlint verify {_code(report.ci_path(report.files[0]))}"
    lines = [heading, "", summary_line(report), ""]
    if isinstance(verify, dict):
        lines += _verify_summary(verify)
    if report.findings:
        lines += ["| Severity | Rule | Location | Message |", "| --- | --- | --- | --- |"]
        size = sum(len(line.encode("utf-8", "surrogatepass")) + 1 for line in lines)
        shown = 0
        for f in report.findings:
            rule = f"[{_cell(f.rule_id)}]({rule_help_uri(f.rule_id)})"
            if f.rule_name:
                rule += f" {_cell(f.rule_name)}"
            row = (f"| {f.severity} | {rule} | {_file_link(report.ci_path(f.path), f.span.line, env)} "
                   f"| {_cell(f.message)} |")
            size += len(row.encode("utf-8", "surrogatepass")) + 1
            if size > SUMMARY_MAX_BYTES:
                break
            lines.append(row)
            shown += 1
        hidden = len(report.findings) - shown
        if hidden > 0:
            lines += ["", f"… and {hidden} more, beyond what a job summary can hold (see the job log)."]
        lines.append("")
    return "\n".join(lines) + "\n"


def _verify_summary(info: Mapping) -> list[str]:
    """The verify verdict and its layer table, as ``dockerlint verify`` prints them in a terminal."""
    lines = [f"**Verdict: {_cell(str(info.get('verdict', 'unknown')))}**", ""]
    rows = info.get("layers") or []
    if rows:
        lines += ["| Layer | Line | Instruction | Status | Entries differing | Causes |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for row in rows:
            index = row.get("index") if row.get("index") is not None else f"B{row.get('index_b')}"
            instruction = str(row.get("instruction") or "")
            lines.append(f"| {index} | {row.get('line') or ''} | {_code(instruction) if instruction else ''} "
                         f"| {_cell(str(row.get('status', '')))} | {row.get('entries_differing') or ''} "
                         f"| {_cell(', '.join(row.get('causes') or []))} |")
        lines.append("")
    return lines


def _code(text: str, width: int = 80) -> str:
    """A code span in a table cell, whatever backticks or pipes the text holds."""
    text = " ".join(text.split())
    text = (text if len(text) <= width else text[: width - 1] + "…").replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def choose(report: Report, changed: frozenset[str] | None) -> tuple[list[int], int]:
    """Indexes of the findings to annotate, in the order to print them, and how many do not fit.

    Errors first, then findings on changed files, then the rest; within each kind
    (error, warning, notice) at most ``PER_KIND_PER_STEP``, one notice kept back for
    the count of the others when some are left out.
    """
    def order(i: int) -> tuple[int, int, int, int]:
        f = report.findings[i]
        on_changed = changed is not None and report.ci_path(f.path) in changed
        return (f.severity != Severity.ERROR, not on_changed, -f.severity, i)

    totals: dict[str, int] = {}
    for f in report.findings:
        totals[COMMANDS[f.severity]] = totals.get(COMMANDS[f.severity], 0) + 1
    overflow = any(n > PER_KIND_PER_STEP for n in totals.values())
    room = {kind: PER_KIND_PER_STEP for kind in ("error", "warning", "notice")}
    if overflow:
        room["notice"] -= 1
    chosen = []
    for i in sorted(range(len(report.findings)), key=order):
        kind = COMMANDS[report.findings[i].severity]
        if room[kind]:
            room[kind] -= 1
            chosen.append(i)
    return chosen, len(report.findings) - len(chosen)


def _log_line(report: Report, f: Finding) -> str:
    """A finding as plain log text: starts with its severity, so the runner never reads a command."""
    s = f.span
    text = f"{f.severity}: {report.ci_path(f.path)}:{s.line}:{s.column}: {rule_title(report, f)}: {f.message}"
    return " ".join(replace_controls(text).split())


def render(report: Report, stream: TextIO, env: Mapping[str, str] | None = None) -> None:
    from dockerlint.report.github_event import changed_files

    env = os.environ if env is None else env
    changed = changed_files(env, report.repo_root) if report.findings else None
    chosen, hidden = choose(report, changed)
    for i in chosen:
        f = report.findings[i]
        stream.write(annotation(f, rule_title(report, f), report.ci_path(f.path)) + "\n")
    summary_file = env.get("GITHUB_STEP_SUMMARY")
    if hidden:
        where = "the job summary, which lists them all" if summary_file else "the log below"
        stream.write(f"::notice title=dockerlint::{plural(hidden, 'more finding')} not shown as annotations "
                     f"(GitHub shows at most {PER_KIND_PER_STEP} of each kind per step): see {where}\n")
        shown = set(chosen)
        for i, f in enumerate(report.findings):
            if i not in shown:
                stream.write(_log_line(report, f) + "\n")
    if not report.quiet:
        stream.write(summary_line(report) + "\n")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as out:
            out.write(document_text(step_summary(report, env)))
