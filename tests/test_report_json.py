"""JSON reporter: the shipped schema is current, output validates, fields mean what they say."""
from __future__ import annotations

import io
import json

import jsonschema
import pytest
from report_sample import GPU, MAIN, empty_report, sample_report

from dockerlint.report import json as json_report
from dockerlint.report import render


def _render(report) -> dict:
    out = io.StringIO()
    render("json", report, out)
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def shipped_schema() -> dict:
    from dockerlint.report.schema import SCHEMA_FILE

    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_shipped_schema_matches_the_models(shipped_schema):
    from dockerlint.report.schema import json_schema

    assert shipped_schema == json_schema(), (
        "dockerlint/report/json_schema.json is stale: run "
        "`python -m dockerlint.report.schema > dockerlint/report/json_schema.json`"
    )


def test_shipped_schema_is_in_the_installed_package():
    from importlib.resources import files

    assert files("dockerlint.report").joinpath("json_schema.json").is_file()


@pytest.mark.parametrize("make", [sample_report, empty_report])
def test_output_validates_against_shipped_schema_and_models(make, shipped_schema):
    from dockerlint.report.schema import Report

    data = _render(make())
    jsonschema.Draft202012Validator(shipped_schema).validate(data)
    Report.model_validate(data)  # and the pydantic models agree


def test_schema_rejects_what_it_should(shipped_schema):
    data = _render(sample_report())
    data["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(shipped_schema).validate(data)
    data = _render(sample_report())
    del data["findings"][0]["end_column"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(shipped_schema).validate(data)


def test_finding_fields():
    data = _render(sample_report())
    assert data["version"] == json_report.SCHEMA_VERSION
    assert data["tool"] == {"name": "dockerlint", "version": "0.1.0"}
    assert data["files"] == [MAIN, GPU, "clean.Dockerfile"]
    latest = data["findings"][0]
    assert {k: latest[k] for k in ("rule", "name", "severity", "category", "file", "line", "column",
                                   "end_line", "end_column")} == {
        "rule": "DL3007", "name": "no-latest-tag", "severity": "warning",
        "category": "reproducibility", "file": MAIN, "line": 1, "column": 13,
        "end_line": 1, "end_column": 19,
    }
    assert latest["fix"] == {
        "description": "Pin python to 3.12.7-slim-bookworm", "safe": True,
        "edits": [{"start": 12, "end": 18, "line": 1, "column": 13, "end_line": 1,
                   "end_column": 19, "replacement": "3.12.7-slim-bookworm"}],
    }
    assert data["summary"] == {"error": 2, "warning": 3, "info": 1, "style": 1,
                               "files_checked": 3, "files_with_findings": 2}


def test_non_ascii_and_paths_with_spaces_survive():
    text = io.StringIO()
    render("json", sample_report(), text)
    assert "Zoë: 数据" in text.getvalue()  # written as UTF-8, not \u escapes
    data = json.loads(text.getvalue())
    assert data["findings"][1]["message"].endswith("100% odd\nsecond line")
    assert {f["file"] for f in data["findings"]} == {MAIN, GPU}


def test_unsafe_fix_and_finding_without_fix():
    findings = _render(sample_report())["findings"]
    by_rule = {f["rule"]: f for f in findings}
    assert by_rule["DL3025"]["fix"]["safe"] is False
    assert by_rule["ML001"]["fix"] is None


def test_edit_positions_are_null_without_source():
    data = _render(sample_report(sources={}))
    assert data["findings"][0]["fix"]["edits"][0]["line"] is None


def test_zero_findings():
    data = _render(empty_report())
    assert data["findings"] == []
    assert data["summary"]["files_checked"] == 3


def test_json_output_does_not_import_pydantic():
    import subprocess
    import sys

    code = (
        "import sys, io; sys.path.insert(0, 'tests');"
        "from report_sample import sample_report;"
        "from dockerlint.report import render;"
        "render('json', sample_report(), io.StringIO());"
        "print('pydantic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
