"""Terminal output for humans: findings grouped by file, each with a code frame.

::

    Dockerfile
      1:13  warning  DL3007  Base image python uses the moving tag `latest`
         1 | FROM python:latest
           |             ^^^^^^
           = fix: Pin python to 3.12.7-slim-bookworm

The layout is built once as lines of (text, style) segments. With colour,
rich turns each style into its ANSI codes (one ``Style`` per style name; going
through ``Console``/``Text`` was 20x slower on big reports, see
bench/report_formats.py); without, the text is written as it is, so the plain
path (pre-commit, pipes, CI logs) never imports rich. Control characters from
Dockerfiles or messages, and bytes that are not UTF-8, are shown as U+FFFD, never sent to the
terminal.

Each file's findings lead with what costs most (``cost_rank``): errors (a
build or a container that fails, a secret in the image), then the warnings
that cost rebuild time, image size or security (the layer-order and context
rules, ML dependencies, caches), then the other warnings, then info and style;
in line order within each. Machine formats keep the file, line, column order.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from dockerlint.findings import Severity
from dockerlint.report._common import Sources, group_by_file, last_line, severity_counts, summary_line
from dockerlint.textsafe import replace_controls

if TYPE_CHECKING:
    from dockerlint.findings import Finding
    from dockerlint.report import Report

Segment = tuple[str, str]  # (text, rich style; "" for none)
Line = list[Segment]

STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan",
          Severity.STYLE: "magenta"}
FRAME_MAX_LINES = 4  # longer spans show their first lines and how many more there are
FRAME_MAX_WIDTH = 120  # columns of source text a frame shows; longer lines are cut around the span
FRAME_LEFT_CONTEXT = 30  # columns kept before a span that starts far right on a long line
TAB_SIZE = 4


def _safe(text: str) -> str:
    """C0 controls (but tab and line feed), DEL, C1 controls and bytes that were not UTF-8 as U+FFFD:
    a Dockerfile must not be able to drive the terminal (escape sequences) or garble the layout."""
    return replace_controls(text, keep_newlines=True)


def cell_width(text: str) -> int:
    """Columns a terminal gives ``text``: wide East Asian characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    import unicodedata  # loaded only for non-ASCII text: most Dockerfiles never need it

    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _last_shown(finding: Finding) -> int:
    return min(last_line(finding.span), finding.span.line + FRAME_MAX_LINES - 1)


def _frame(finding: Finding, sources: Sources, gutter: int) -> list[Line]:
    """The span's source lines with carets under the span; line numbers right-aligned to ``gutter``."""
    s = finding.span
    if s.line < 1 or sources.get(finding.path) is None:
        return []
    last = last_line(s)
    shown = range(s.line, _last_shown(finding) + 1)
    lines: list[Line] = []
    for number in shown:
        text = sources.line(finding.path, number)
        if text is None:
            break
        start = s.column - 1 if number == s.line else len(text) - len(text.lstrip())
        end = s.end_column - 1 if number == s.end_line else len(text)
        start, end = min(max(start, 0), len(text)), min(max(end, 0), len(text))
        shown_text, pad, width = _visible(text, start, end)
        lines.append([(f"    {number:>{gutter}} | ", "blue"), (shown_text, "")])
        lines.append([(f"    {'':>{gutter}} | ", "blue"), (" " * pad + "^" * width, STYLES[finding.severity])])
    hidden = last - shown[-1]
    if hidden > 0:
        lines.append([(f"    {'':>{gutter}} | ", "blue"),
                      (f"... {hidden} more line{'s' if hidden > 1 else ''}", "dim")])
    return lines


def _visible(text: str, start: int, end: int) -> tuple[str, int, int]:
    """What a frame shows of one line whose span is ``text[start:end]``: (text, caret indent, carets).

    A line wider than FRAME_MAX_WIDTH (a minified RUN, a binary file) is cut around the span, with
    "…" where text was left out, so the frame stays one terminal line and the carets stay under it.
    """
    def columns(piece: str) -> int:
        return cell_width(piece.expandtabs(TAB_SIZE))

    if columns(text) <= FRAME_MAX_WIDTH:
        pad = columns(text[:start])
        return text.expandtabs(TAB_SIZE), pad, max(columns(text[:end]) - pad, 1)
    first = 0 if columns(text[:end]) < FRAME_MAX_WIDTH else max(start - FRAME_LEFT_CONTEXT, 0)
    head = "…" if first else ""
    window = text[first:].expandtabs(TAB_SIZE)
    body = _cut(window, FRAME_MAX_WIDTH - len(head))
    tail = ""
    if len(body) < len(window):
        body, tail = _cut(window, FRAME_MAX_WIDTH - len(head) - 1), "…"
    pad = len(head) + columns(text[first:start])
    span_end = len(head) + min(columns(text[first:end]), cell_width(body))
    return head + body + tail, pad, max(span_end - pad, 1)


def _cut(text: str, cells: int) -> str:
    """The longest start of ``text`` that fits in ``cells`` terminal columns."""
    if text.isascii():
        return text[:cells]
    used = 0
    for i, char in enumerate(text):
        used += cell_width(char)
        if used > cells:
            return text[:i]
    return text


def _finding_lines(finding: Finding, sources: Sources, gutter: int, *, frame: bool = True) -> list[Line]:
    s = finding.span
    message, *more = finding.message.splitlines() or [""]
    head: Line = [
        (f"  {s.line}:{s.column}", "dim"), ("  ", ""),
        (str(finding.severity), STYLES[finding.severity]), ("  ", ""),
        (finding.rule_id, "bold"), ("  ", ""), (message, ""),
    ]
    lines = [head] + [[("    " + extra, "")] for extra in more]
    if frame:
        lines += _frame(finding, sources, gutter)
    if finding.fix is not None:
        how = "" if finding.fix.safe else " (unsafe: not applied by --fix)"
        lines.append([("    = fix: ", "green"), (finding.fix.description + how, "")])
    return lines


_COSTLY = frozenset({"performance", "security", "ml"})


def cost_rank(finding: Finding) -> int:
    """0 for what breaks the build or the container (errors), 1 for warnings that cost rebuild time,
    image size or security, 2 for other warnings, 3 for info, 4 for style."""
    if finding.severity is Severity.ERROR:
        return 0
    if finding.severity is Severity.WARNING:
        return 1 if finding.category in _COSTLY or finding.rule_id.startswith("CACHE") else 2
    return 3 if finding.severity is Severity.INFO else 4


def layout(report: Report) -> Iterator[Line]:
    sources = Sources(report)
    for path, findings in group_by_file(report).items():
        if not findings:
            continue
        findings = sorted(findings, key=cost_rank)  # stable: line order within a rank
        yield [(path, "bold underline")]
        gutter = max(len(str(_last_shown(f))) for f in findings)  # one width per file: the bars align
        shown = None
        for finding in findings:
            # several findings on one span (e.g. the causes of one RUN in --verify-build) share one frame
            yield from _finding_lines(finding, sources, gutter, frame=finding.span != shown)
            shown = finding.span
        yield []
    if report.quiet:
        return
    counts = severity_counts(report.findings)
    style = next((STYLES[s] for s in (Severity.ERROR, Severity.WARNING) if counts[s]),
                 "bold" if report.findings else "green")
    yield [(summary_line(report), style)]


def render(report: Report, stream: TextIO) -> None:
    if report.statistics:  # only the table, as ruff's --statistics
        from dockerlint.report.statistics import render_text

        render_text(report, stream)
        return
    lines = layout(report)
    if not report.color:
        stream.write("".join(_safe("".join(text for text, _ in line)).rstrip() + "\n" for line in lines))
        return
    from rich.color import ColorSystem
    from rich.style import Style

    styles: dict[str, Style] = {}

    def paint(text: str, name: str) -> str:
        if not name or not text:
            return text
        style = styles.get(name) or styles.setdefault(name, Style.parse(name))
        return style.render(text, color_system=ColorSystem.STANDARD)

    stream.write("".join(
        "".join(paint(_safe(text), name) for text, name in line) + "\n" for line in lines
    ))
