"""Checkstyle and JUnit XML: well-formed, faithful, and JUnit valid against Jenkins' XSD."""
from __future__ import annotations

import io
from pathlib import Path
from xml.etree import ElementTree

import pytest
from report_sample import GPU, MAIN, empty_report, sample_report

from dockerlint.report import render

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "schemas"


def _xml(fmt: str, report) -> str:
    out = io.StringIO()
    render(fmt, report, out)
    return out.getvalue()


# -- checkstyle (no XSD exists: check the structure consumers rely on) --------

@pytest.mark.parametrize("make", [sample_report, empty_report])
def test_checkstyle_structure(make):
    root = ElementTree.fromstring(_xml("checkstyle", make()).encode("utf-8"))
    assert root.tag == "checkstyle" and root.get("version")
    assert [f.get("name") for f in root] == [MAIN, GPU, "clean.Dockerfile"]
    for file in root:
        assert file.tag == "file"
        for error in file:
            assert error.tag == "error"
            assert error.get("severity") in {"error", "warning", "info"}
            assert int(error.get("line")) >= 0 and int(error.get("column")) >= 1
            assert error.get("message") and error.get("source")


def test_checkstyle_values_round_trip():
    root = ElementTree.fromstring(_xml("checkstyle", sample_report()).encode("utf-8"))
    errors = [(file.get("name"), e.attrib) for file in root for e in file]
    assert errors[0] == (MAIN, {"line": "1", "column": "13", "severity": "warning",
                                "message": "Base image python uses the moving tag `latest`",
                                "source": "DL3007"})
    assert errors[1][1]["message"] == 'Label "maintainer" of Zoë: 数据 & <co>, 100% odd\nsecond line'
    assert errors[1][1]["severity"] == "info"  # style maps to checkstyle's mildest level


def test_control_characters_do_not_break_the_xml():
    report = sample_report()
    f = report.findings[0]
    report.findings[:] = [f.__class__(message="bell\x07 nul\x00 esc\x1b ok", span=f.span,
                                      rule_id="X1", path="a&b <c>.Dockerfile")]
    for fmt in ("checkstyle", "junit"):
        root = ElementTree.fromstring(_xml(fmt, report).encode("utf-8"))
        assert "bell nul esc ok" in ElementTree.tostring(root, encoding="unicode")


# -- junit --------------------------------------------------------------------

@pytest.fixture(scope="module")
def jenkins_xsd():
    from lxml import etree  # dev dependency (pyproject [dev]): XSD validation

    return etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-jenkins-xunit-junit-10.xsd")))


@pytest.mark.parametrize("make", [sample_report, empty_report])
def test_junit_validates_against_jenkins_xsd(make, jenkins_xsd):
    from lxml import etree

    doc = etree.fromstring(_xml("junit", make()).encode("utf-8"))
    assert jenkins_xsd.validate(doc), jenkins_xsd.error_log


def test_jenkins_xsd_rejects_a_broken_report(jenkins_xsd):
    from lxml import etree

    doc = etree.fromstring(_xml("junit", sample_report()).encode("utf-8"))
    del doc[0].attrib["failures"]
    assert not jenkins_xsd.validate(doc)


def test_junit_suites_and_cases():
    root = ElementTree.fromstring(_xml("junit", sample_report()).encode("utf-8"))
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "8", "7")
    suites = {s.get("name"): s for s in root}
    assert list(suites) == [MAIN, GPU, "clean.Dockerfile"]
    assert suites[MAIN].get("failures") == "5"
    clean = suites["clean.Dockerfile"]
    assert clean.get("tests") == "1" and clean.get("failures") == "0"
    assert [c.find("failure") for c in clean] == [None]  # passes
    case = suites[MAIN][0]
    assert case.get("name") == "DL3007 at line 1, column 13" and case.get("classname") == MAIN
    failure = case.find("failure")
    assert failure.get("type") == "DL3007"
    assert failure.text == ("Dockerfile:1:13: warning: DL3007 no-latest-tag\n"
                            "Base image python uses the moving tag `latest`\n"
                            "Fix: Pin python to 3.12.7-slim-bookworm")


def test_junit_is_deterministic():
    assert _xml("junit", sample_report()) == _xml("junit", sample_report())
