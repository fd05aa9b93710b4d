"""GitLab Code Quality: valid issues, GitLab's documented rules, fingerprints that do not churn."""
from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from report_sample import GPU, MAIN, empty_report, sample_report

from dockerlint.report import render
from dockerlint.report._common import Sources
from dockerlint.report.fingerprints import fingerprints as _fingerprints
from dockerlint.syntax.nodes import Source

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "schemas" /
                     "gitlab-codeclimate.json").read_text(encoding="utf-8"))
CODE_CLIMATE_CATEGORIES = {"Bug Risk", "Clarity", "Compatibility", "Complexity", "Duplication",
                           "Performance", "Security", "Style"}


def _issues(report) -> list[dict]:
    out = io.StringIO()
    render("gitlab", report, out)
    assert not out.getvalue().startswith("\ufeff")  # GitLab rejects a BOM
    return json.loads(out.getvalue())


@pytest.mark.parametrize("make", [sample_report, empty_report])
def test_every_issue_validates_and_meets_gitlabs_docs(make):
    issues = _issues(make())
    assert isinstance(issues, list)
    validator = jsonschema.Draft7Validator(SCHEMA)
    for issue in issues:
        validator.validate(issue)
        # stricter than the schema: what GitLab's docs and Code Climate require
        assert issue["type"] == "issue"
        assert issue["check_name"]
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert set(issue["categories"]) <= CODE_CLIMATE_CATEGORIES and issue["categories"]
        assert not issue["location"]["path"].startswith(("./", "/"))
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert "\n" not in issue["description"]


def test_schema_rejects_an_issue_without_fingerprint():
    issue = _issues(sample_report())[0]
    del issue["fingerprint"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate(issue)


def test_fields():
    issues = _issues(sample_report())
    ml = next(i for i in issues if i["check_name"] == "ML001")
    assert ml["location"] == {"path": GPU, "lines": {"begin": 2, "end": 4}}
    assert ml["severity"] == "critical"
    latest = issues[0]
    assert latest["severity"] == "major" and latest["categories"] == ["Bug Risk"]
    assert "Fix: Pin python to 3.12.7-slim-bookworm" in latest["content"]["body"]
    assert "next month's rebuild" in latest["content"]["body"]
    assert next(i for i in issues if i["check_name"] == "STY001")["description"].endswith("odd second line")


def fingerprints(report):
    return _fingerprints(report, Sources(report))


def test_fingerprints_are_unique():
    fps = [i["fingerprint"] for i in _issues(sample_report())]
    assert len(set(fps)) == len(fps)


def _shifted(report, lines_above: str):
    """The same findings after ``lines_above`` was inserted at the top of the main file."""
    text = lines_above + report.sources[MAIN]
    source = Source(text)
    moved = []
    for f in report.findings:
        if f.path == MAIN:
            span = source.span(f.span.start + len(lines_above), f.span.end + len(lines_above))
            f = f.__class__(**{**{k: getattr(f, k) for k in f.__slots__ if k != "extra"}, "span": span})
        moved.append(f)
    report.findings[:] = moved
    report.sources = {**report.sources, MAIN: text}
    return report


def test_fingerprints_survive_code_moving_down():
    before = fingerprints(sample_report())
    after = fingerprints(_shifted(sample_report(), "# syntax=docker/dockerfile:1\n\n"))
    assert before == after


def test_fingerprint_changes_when_the_offending_text_changes():
    report = sample_report()
    before = fingerprints(report)
    text = report.sources[MAIN].replace("curl", "wget")
    report.sources = {**report.sources, MAIN: text}
    after = fingerprints(report)
    changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert [report.findings[i].rule_id for i in changed] == ["DL3008"]


def test_identical_findings_do_not_merge():
    report = sample_report()
    report.findings[:] = [report.findings[0], report.findings[0]]
    a, b = fingerprints(report)
    assert a != b


def test_zero_findings_is_an_empty_array():
    out = io.StringIO()
    render("gitlab", empty_report(), out)
    assert out.getvalue() == "[]\n"


def test_a_span_ending_on_a_line_break_ends_on_the_line_before():
    report = sample_report()
    f = report.findings[0]
    text = report.sources[MAIN]
    end = text.index("\n") + 1  # the whole first line, line break included
    whole_line = f.__class__(message="m", span=Source(text).span(0, end), rule_id="X1", path=MAIN)
    report.findings[:] = [whole_line]
    assert _issues(report)[0]["location"]["lines"] == {"begin": 1, "end": 1}


@pytest.mark.parametrize("level, category, expected", [
    ("ERROR", "security", "critical"),
    ("WARNING", "security", "major"),
    ("ERROR", "ml", "critical"),
    ("WARNING", "reproducibility", "major"),
    ("WARNING", "performance", "minor"),
    ("INFO", "maintainability", "info"),
    ("ERROR", "style", "info"),
    ("STYLE", "correctness", "info"),
])
def test_severity_follows_our_level_and_the_rules_category(level, category, expected):
    from dockerlint.findings import Severity
    from dockerlint.report.gitlab import severity

    assert severity(Severity[level], category) == expected


def test_report_severities_are_not_all_major():
    assert {i["severity"] for i in _issues(sample_report())} == {"critical", "major", "minor", "info"}
