"""Terminal reporter: grouped by file, code frames with carets, fix hints, a summary line."""
from __future__ import annotations

import io
import re
import subprocess
import sys

from report_sample import empty_report, sample_report

from dockerlint.report import render
from dockerlint.report.tty import cell_width
from dockerlint.syntax.nodes import Source

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _text(report) -> str:
    out = io.StringIO()
    render("tty", report, out)
    return out.getvalue()


def test_plain_output_groups_by_file_with_code_frames():
    text = _text(sample_report())
    assert "\x1b[" not in text
    assert text.startswith(
        "Dockerfile\n"
        "  4:1  error  CACHE001  `COPY . /app` before `pip install` re-installs torch on every code edit\n"
        "    4 | COPY . /app\n"
        "      | ^^^^^^^^^^^\n"
        "  1:13  warning  DL3007  Base image python uses the moving tag `latest`\n"
        "    1 | FROM python:latest\n"
        "      |             ^^^^^^\n"
        "    = fix: Pin python to 3.12.7-slim-bookworm\n"
    )
    assert "\ngpu image/Dockerfile.gpu\n" in text
    assert "clean.Dockerfile" not in text  # clean files are not listed
    assert text.endswith("\n7 problems (2 errors, 3 warnings, 1 info, 1 style) in 2 of 3 files. 1 fixable with --fix (1 more with --fix --unsafe-fixes).\n")


def test_each_file_leads_with_what_costs_most_then_line_order():
    """Errors first, then warnings that cost rebuild time, size or security, other warnings, info, style."""
    text = _text(sample_report())
    heads = [line.split()[:3] for line in text.splitlines() if re.match(r"  \d+:\d+  ", line)]
    assert heads[:5] == [["4:1", "error", "CACHE001"], ["1:13", "warning", "DL3007"],
                         ["3:42", "warning", "DL3008"], ["6:1", "info", "DL3025"], ["2:7", "style", "STY001"]]
    report = sample_report()
    first = report.findings[0]
    report.findings[:] = [first.__class__(message="style", span=first.span, rule_id="DL3025", path="Dockerfile",
                                          category="correctness"),
                          first.__class__(message="cache", span=first.span, rule_id="DL3042", path="Dockerfile",
                                          category="performance")]
    assert [line.split()[2] for line in _text(report).splitlines() if re.match(r"  \d+:\d+  ", line)] == \
        ["DL3042", "DL3025"]


def test_carets_align_under_wide_characters():
    report = sample_report()
    f = report.findings[0]
    text = 'LABEL x="数据" y="z"\n'
    start = text.index('y="z"')
    span = f.span.__class__(start, start + 5, 1, start + 1, 1, start + 6)
    report.findings[:] = [f.__class__(message="m", span=span, rule_id="X1", path="wide")]
    report.sources = {"wide": text}
    lines = _text(report).splitlines()
    code, carets = lines[2], lines[3]
    assert code == '    1 | LABEL x="数据" y="z"'
    # the carets start where `y` is displayed: the two CJK characters take two columns each
    assert cell_width(code[: code.index("y")]) == len(carets) - len("^^^^^")
    assert carets.endswith("^^^^^")


def test_tabs_are_expanded_consistently():
    report = sample_report()
    f = report.findings[0]
    text = "RUN\tapt-get install curl\n"
    start = text.index("curl")
    span = f.span.__class__(start, start + 4, 1, start + 1, 1, start + 5)
    report.findings[:] = [f.__class__(message="m", span=span, rule_id="X1", path="tabs")]
    report.sources = {"tabs": text}
    lines = _text(report).splitlines()
    assert lines[2] == "    1 | RUN apt-get install curl"
    assert lines[3] == "      |                     ^^^^"


def test_multi_line_span_marks_each_line_and_unsafe_fix_is_labelled():
    text = _text(sample_report())
    assert (
        "  2:5  error  ML001  torch==2.1.0 (cu121) needs libcudnn8, which no step installs\n"
        "    2 | RUN apt-get update \\\n"
        "      |     ^^^^^^^^^^^^^^^^\n"
        "    3 |     && apt-get install -y python3-pip \\\n"
        "      |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "    4 |     && pip3 install torch==2.1.0\n"
        "      |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    ) in text
    assert "    = fix: Rewrite CMD in JSON form (unsafe: not applied by --fix)\n" in text


def test_long_spans_are_cut_with_a_count():
    report = sample_report()
    f = report.findings[0]
    text = "".join(f"RUN echo {i}\n" for i in range(1, 11))
    span = f.span.__class__(0, len(text) - 1, 1, 1, 10, 12)
    report.findings[:] = [f.__class__(message="m", span=span, rule_id="X1", path="long")]
    report.sources = {"long": text}
    out = _text(report)
    assert "    4 | RUN echo 4\n" in out and "RUN echo 5" not in out
    assert "      | ... 6 more lines\n" in out


def test_without_source_text_there_is_no_frame():
    text = _text(sample_report(sources={}))
    assert "  1:13  warning  DL3007  Base image python uses the moving tag `latest`\n    = fix:" in text


def test_colour_output_uses_ansi_severity_colours():
    text = _text(sample_report(color=True))
    assert "\x1b[1;31merror" in text and "\x1b[33mwarning" in text
    # the same characters as the plain output once the escapes are removed
    assert ANSI.sub("", text) == _text(sample_report())


def test_statistics_prints_only_the_table():
    text = _text(sample_report(statistics=True))
    # count, rule, [*] when --fix can repair some (only safe fixes count), name; most frequent first
    assert text.splitlines() == [
        "2  DL3008    [ ] apt-pin",
        "1  CACHE001  [ ] copy-before-install",
        "1  DL3007    [*] no-latest-tag",
        "1  DL3025    [ ] json-cmd",
        "1  ML001     [ ] cuda-torch-mismatch",
        "1  STY001    [ ] label-style",
    ]


def test_zero_findings():
    assert _text(empty_report()) == "No problems found in 3 files.\n"
    assert _text(empty_report(statistics=True, color=False)) == ""


def test_plain_output_does_not_import_rich():
    code = (
        "import sys, io; sys.path.insert(0, 'tests');"
        "from report_sample import sample_report;"
        "from dockerlint.report import render;"
        "render('tty', sample_report(statistics=True), io.StringIO());"
        "print(any(m == 'rich' or m.startswith('rich.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_quiet_leaves_out_the_summary_line():
    text = _text(sample_report(quiet=True))
    assert "problems" not in text and text.startswith("Dockerfile\n")
    assert _text(empty_report(quiet=True)) == ""


def test_control_characters_never_reach_the_terminal():
    report = sample_report(color=True)
    f = report.findings[0]
    text = "LABEL x=\x1b]0;pwned\x07 y\n"
    bell = text.index("\x07")
    span = f.span.__class__(bell, bell + 1, 1, bell + 1, 1, bell + 2)
    report.findings[:] = [f.__class__(message="evil \x1b[2J message", span=span, rule_id="X1", path="ctl")]
    report.sources = {"ctl": text}
    out = ANSI.sub("", _text(report))
    assert "\x1b" not in out and "\x07" not in out
    assert "evil \ufffd[2J message" in out
    lines = out.splitlines()
    assert lines[2] == "    1 | LABEL x=\ufffd]0;pwned\ufffd y"
    assert lines[3].index("^") == lines[2].rindex("\ufffd")  # carets still line up


def test_code_frames_of_one_file_share_one_gutter_width():
    report = sample_report()
    f = report.findings[0]
    text = "".join(f"RUN echo {i}\n" for i in range(1, 11))
    source = Source(text, "f")
    nine, ten = (text.index(f"echo {n}\n") for n in (9, 10))
    report.findings[:] = [f.__class__(message="m", span=source.span(start, start + 4), rule_id="X1", path="f")
                          for start in (nine, ten)]
    report.sources = {"f": text}
    out = _text(report)
    assert "\n     9 | RUN echo 9\n       |     ^^^^\n" in out
    assert "\n    10 | RUN echo 10\n       |     ^^^^\n" in out


def test_a_very_long_line_is_cut_around_the_span():
    report = sample_report()
    f = report.findings[0]
    text = "RUN " + " ".join(f"pkg{i:03d}" for i in range(120)) + "\n"  # one 843-character line
    source = Source(text, "long")
    start = text.index("pkg100")
    report.findings[:] = [f.__class__(message="m", span=source.span(start, start + 6), rule_id="X1", path="long")]
    report.sources = {"long": text}
    out = _text(report)
    code, carets = [line for line in out.splitlines() if line.startswith("    ") and " | " in line][:2]
    assert code.startswith("    1 | …") and code.endswith("…")
    assert len(code) <= len("    1 | ") + 120
    column = carets.index("^")
    assert code[column:column + 6] == "pkg100" and carets[column:] == "^^^^^^"


def test_a_long_line_with_the_span_near_its_start_is_cut_on_the_right_only():
    report = sample_report()
    f = report.findings[0]
    text = "FROM python:latest AS " + "x" * 300 + "\n"
    source = Source(text, "long")
    report.findings[:] = [f.__class__(message="m", span=source.span(12, 18), rule_id="X1", path="long")]
    report.sources = {"long": text}
    out = _text(report)
    assert "    1 | FROM python:latest AS xxx" in out and "xxx…\n      |             ^^^^^^\n" in out


def test_a_span_at_the_end_of_a_long_line_keeps_its_last_caret():
    report = sample_report()
    f = report.findings[0]
    text = "RUN " + "a" * 300 + " last\n"
    source = Source(text, "long")
    start = text.index("last")
    report.findings[:] = [f.__class__(message="m", span=source.span(start, start + 4), rule_id="X1", path="long")]
    report.sources = {"long": text}
    code, carets = [line for line in _text(report).splitlines() if " | " in line][:2]
    assert code.endswith(" last") and carets.endswith("^^^^") and len(carets) == len(code)


def test_findings_on_the_same_span_share_one_frame():
    report = sample_report()
    f = report.findings[0]
    twin = f.__class__(message="second", span=f.span, rule_id="ZZ9", path=f.path, severity=f.severity)
    report.findings[:] = [f, twin]
    out = _text(report)
    first_line = report.sources[f.path].splitlines()[f.span.line - 1]
    assert out.count(f"| {first_line}\n") == 1
    assert "ZZ9  second" in out


def test_summary_counts_build_context_files_apart_from_the_linted_dockerfiles(tmp_path):
    # REPRO001 reports in requirements.txt, a file of the build context, not a linted file:
    # the sentence must not say "in 2 of 1 file".
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12.7-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n")
    (tmp_path / "requirements.txt").write_text("numpy\n")
    result = subprocess.run([sys.executable, "-m", "dockerlint", "--select", "REPRO001,DL3006", "Dockerfile"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "1 problem (1 warning) in 1 file of the build context."
    (tmp_path / "Dockerfile").write_text(
        "FROM python\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n")
    result = subprocess.run([sys.executable, "-m", "dockerlint", "--select", "REPRO001,DL3006", "Dockerfile"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "2 problems (2 warnings) in 1 file and 1 file of the build context."
