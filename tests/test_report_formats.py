"""Every format survives what real runs produce: no findings, many files, any text.

Property-based: random messages, paths and spans go through every reporter,
and the output must still parse (JSON, XML, one line per finding) and carry
the message unchanged where the format can.
"""
from __future__ import annotations

import io
import json
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_sample import RULES, empty_report, sample_report

from dockerlint.findings import Finding, Severity
from dockerlint.report import FORMATS, Report, render
from dockerlint.syntax.nodes import Span

JSON_FORMATS = ("json", "sarif", "gitlab", "hadolint-json", "sonarqube")
XML_FORMATS = ("checkstyle", "junit")


def _render(fmt: str, report: Report) -> str:
    out = io.StringIO()
    render(fmt, report, out)
    return out.getvalue()


def _parse(fmt: str, text: str):
    if fmt in JSON_FORMATS:
        return json.loads(text)
    if fmt in XML_FORMATS:
        return ElementTree.fromstring(text.encode("utf-8"))
    if fmt == "codeclimate":  # NUL-terminated issue objects
        assert text == "" or text.endswith("\0")
        return [json.loads(item) for item in text.split("\0")[:-1]]
    return text


def test_unknown_format_is_a_value_error():
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render("xml", empty_report(), io.StringIO())


@pytest.mark.parametrize("fmt", FORMATS)
def test_zero_findings_and_zero_files(fmt):
    for report in (empty_report(), Report(findings=[], files=[], rules={})):
        _parse(fmt, _render(fmt, report))


@pytest.mark.parametrize("fmt", FORMATS)
def test_many_files_keep_their_findings_apart(fmt):
    span = Span(0, 4, 1, 1, 1, 5)
    paths = [f"dir {i}/Dockerfile.{i}" for i in range(200)]
    findings = [Finding(message=f"problem in {p}", span=span, rule_id="DL3008", rule_name="apt-pin",
                        severity=Severity.WARNING, path=p) for p in paths]
    report = Report(findings=findings, files=paths, rules=RULES,
                    sources={p: "FROM x\n" for p in paths})
    text = _render(fmt, report)
    _parse(fmt, text)
    if fmt == "github":  # 10 annotations (the runner's limit), the others as log lines
        assert text.count("::warning ") == 10
        assert all(f"problem in dir {i}/Dockerfile.{i}" in text for i in range(200))
        assert text.count("warning: dir ") == 190
    else:
        assert text.count("problem in dir 199/Dockerfile.199") == (2 if fmt == "junit" else 1)


def test_formats_without_source_text(tmp_path):
    for fmt in FORMATS:
        _parse(fmt, _render(fmt, sample_report(sources={})))


path_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1)


@st.composite
def odd_findings(draw):
    message = draw(st.text())
    path = draw(path_text)
    line = draw(st.integers(1, 5))
    column = draw(st.integers(1, 30))
    end_line = draw(st.integers(line, 6))
    end_column = draw(st.integers(column if end_line == line else 1, 40))
    severity = draw(st.sampled_from(list(Severity)))
    return Finding(message=message, span=Span(0, 0, line, column, end_line, end_column),
                   rule_id=draw(st.sampled_from(sorted(RULES) + ["NOPE1"])), severity=severity, path=path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(odd_findings(), max_size=4), st.text())
@pytest.mark.parametrize("fmt", FORMATS)
def test_any_text_any_path(fmt, findings, source_text):
    findings.sort(key=lambda f: f.sort_key)
    report = Report(findings=findings, files=sorted({f.path for f in findings}), rules=RULES,
                    sources={f.path: source_text for f in findings}, tool_version="0.1.0")
    parsed = _parse(fmt, _render(fmt, report))
    if fmt == "json":
        assert [f["message"] for f in parsed["findings"]] == [f.message for f in findings]
        assert [f["file"] for f in parsed["findings"]] == [f.path for f in findings]
    elif fmt == "sarif":
        assert [r["message"]["text"] for r in parsed["runs"][0]["results"]] == [f.message for f in findings]
    elif fmt == "gitlab":
        assert len({i["fingerprint"] for i in parsed}) == len(findings)
    elif fmt == "hadolint-json":
        assert [(f["code"], f["file"], f["message"]) for f in parsed] == [(f.rule_id, f.path, f.message) for f in findings]
    elif fmt == "gnu":
        assert parsed.count("\n") == len(findings)
    elif fmt == "github":
        commands = [line for line in parsed.splitlines() if line.startswith("::")]
        assert len(commands) == len(findings)


def _read_as_the_engine_does(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")  # a byte that is not UTF-8 is a lone surrogate


@st.composite
def byte_findings(draw):
    finding = draw(odd_findings())
    message = _read_as_the_engine_does(draw(st.binary(max_size=40)))
    path = _read_as_the_engine_does(draw(st.binary(min_size=1, max_size=20)).replace(b"\0", b"_"))
    return Finding(message=message, span=finding.span, rule_id=finding.rule_id, severity=finding.severity,
                   path=path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(byte_findings(), max_size=4), st.binary(max_size=200))
@pytest.mark.parametrize("fmt", FORMATS)
def test_any_bytes_give_valid_utf8_and_no_control_characters_in_text_formats(fmt, findings, source):
    from dockerlint.textsafe import document_text

    findings.sort(key=lambda f: f.sort_key)
    report = Report(findings=findings, files=sorted({f.path for f in findings}), rules=RULES,
                    sources={f.path: _read_as_the_engine_does(source) for f in findings}, tool_version="0.1.0")
    text = _render(fmt, report)
    text.encode("utf-8")  # strict: no lone surrogate reaches a file or a terminal
    parsed = _parse(fmt, text)
    if fmt == "json":
        assert [f["message"] for f in parsed["findings"]] == [document_text(f.message) for f in findings]
    if fmt in ("tty", "gnu", "github"):
        assert not [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) < 0xa0]
