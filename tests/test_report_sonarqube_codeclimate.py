"""SonarQube's generic issue format and Code Climate's engine stream, as their consumers read them."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
from report_sample import sample_report

from dockerlint.report import render

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "fixtures" / "schemas" /
                     "gitlab-codeclimate.json").read_text(encoding="utf-8"))


def _text(fmt: str, report) -> str:
    out = io.StringIO()
    render(fmt, report, out)
    return out.getvalue()


def test_sonarqube_issues_have_every_required_field_with_allowed_values():
    report = sample_report()
    issues = json.loads(_text("sonarqube", report))["issues"]
    assert len(issues) == len(report.findings)
    sources = report.sources
    for issue, finding in zip(issues, report.findings):
        assert issue["engineId"] == "dockerlint" and issue["ruleId"] == finding.rule_id
        assert issue["severity"] in {"BLOCKER", "CRITICAL", "MAJOR", "MINOR", "INFO"}
        assert issue["type"] in {"BUG", "VULNERABILITY", "CODE_SMELL"}
        location = issue["primaryLocation"]
        assert location["message"] and "\n" not in location["message"]
        assert not location["filePath"].startswith(("./", "/"))
        r = location["textRange"]
        assert 1 <= r["startLine"] <= r["endLine"]
        if "startColumn" in r:  # 0-based, on one line, within it (SonarQube rejects a column past its end)
            line = sources[finding.path].splitlines()[r["startLine"] - 1]
            assert r["startLine"] == r["endLine"] and 0 <= r["startColumn"] < r["endColumn"] <= len(line)
            assert line[r["startColumn"]:r["endColumn"]] == sources[finding.path][finding.span.start:finding.span.end]


def test_codeclimate_streams_nul_terminated_issues_that_validate():
    text = _text("codeclimate", sample_report())
    assert text.endswith("\0")
    issues = [json.loads(item) for item in text.split("\0")[:-1]]
    gitlab = json.loads(_text("gitlab", sample_report()))
    assert issues == gitlab  # the same issue objects, streamed
    for issue in issues:
        jsonschema.Draft7Validator(SCHEMA).validate(issue)


def test_the_formats_are_offered_by_the_command_line(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM python:latest\n")
    for fmt in ("sonarqube", "codeclimate"):
        done = subprocess.run([sys.executable, "-m", "dockerlint", "-f", fmt, "--select", "DL3007", "Dockerfile"],
                              cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 1, done.stderr
        assert "DL3007" in done.stdout
