"""GNU reporter: one line per finding, GNU Coding Standards positions."""
from __future__ import annotations

import io
import re

from report_sample import empty_report, sample_report

from dockerlint.report import render

GNU_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+)\.(?P<col>\d+)(-(?P<eline>\d+)\.(?P<ecol>\d+))?: "
                      r"(?P<sev>error|warning|info|style): (?P<msg>.*) \[(?P<rule>[A-Z0-9]+)\]$")


def _lines(report) -> list[str]:
    out = io.StringIO()
    render("gnu", report, out)
    return out.getvalue().splitlines()


def test_every_line_is_gnu_formatted_with_inclusive_end_column():
    lines = _lines(sample_report())
    assert len(lines) == 7
    assert all(GNU_LINE.match(line) for line in lines), lines
    assert lines[0] == ("Dockerfile:1.13-1.18: warning: Base image python uses the moving tag "
                        "`latest` [DL3007]")


def test_multi_line_span_and_path_with_space():
    lines = _lines(sample_report())
    assert ("gpu image/Dockerfile.gpu:2.5-4.32: error: torch==2.1.0 (cu121) needs libcudnn8, "
            "which no step installs [ML001]") in lines


def test_newline_in_message_stays_on_one_line_and_non_ascii_is_kept():
    line = next(x for x in _lines(sample_report()) if "[STY001]" in x)
    assert 'Zoë: 数据 & <co>, 100% odd second line' in line


def test_zero_findings_prints_nothing():
    assert _lines(empty_report()) == []
