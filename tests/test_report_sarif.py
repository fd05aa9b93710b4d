"""SARIF reporter: valid SARIF 2.1.0 with rule docs, exact regions and fixes."""
from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import jsonschema
import pytest
from report_sample import GPU, MAIN, RULES, empty_report, sample_report

from dockerlint.report import render
from dockerlint.report.sarif import artifact_uri

SCHEMA = Path(__file__).resolve().parent.parent / "fixtures" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # draft-04
    cls.check_schema(schema)
    return cls(schema)


def _sarif(report) -> dict:
    out = io.StringIO()
    render("sarif", report, out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("make", [sample_report, empty_report])
def test_validates_against_the_oasis_schema(make, validator):
    validator.validate(_sarif(make()))


def test_schema_catches_a_broken_log(validator):
    log = _sarif(sample_report())
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)
    broken = copy.deepcopy(log)
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)


def test_rules_metadata():
    driver = _sarif(sample_report())["runs"][0]["tool"]["driver"]
    assert driver["name"] == "dockerlint" and driver["version"] == "0.1.0"
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(RULES)
    dl3007 = driver["rules"][ids.index("DL3007")]
    assert dl3007["shortDescription"]["text"] == "Pin the base image to a release tag, not `latest`."
    assert "next month's rebuild" in dl3007["fullDescription"]["text"]
    assert "```dockerfile\nFROM python:latest\n```" in dl3007["help"]["markdown"]
    assert "Good:\nFROM python:3.12.7-slim-bookworm" in dl3007["help"]["text"]
    assert dl3007["helpUri"].endswith("docs/rules/DL3007.md")
    assert dl3007["defaultConfiguration"]["level"] == "warning"


def test_results_point_at_rules_and_exact_regions():
    run = _sarif(sample_report())["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"DL3007": "warning", "STY001": "note", "DL3008": "warning", "CACHE001": "error",
                      "DL3025": "note", "ML001": "error"}
    ml = next(r for r in run["results"] if r["ruleId"] == "ML001")
    loc = ml["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "gpu%20image/Dockerfile.gpu"
    assert run["artifacts"][loc["artifactLocation"]["index"]]["location"]["uri"] == loc["artifactLocation"]["uri"]
    region = loc["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (2, 5, 4, 33)
    assert region["snippet"]["text"].startswith("apt-get update \\\n")


def test_fix_replacements_apply_to_the_source():
    report = sample_report()
    run = _sarif(report)["runs"][0]
    replacements = []
    for result in run["results"]:
        for fix in result.get("fixes", []):
            (change,) = fix["artifactChanges"]
            assert change["artifactLocation"]["uri"] == "Dockerfile"
            replacements += change["replacements"]
    text = report.sources[MAIN]
    for rep in sorted(replacements, key=lambda r: -r["deletedRegion"]["charOffset"]):
        start = rep["deletedRegion"]["charOffset"]
        end = start + rep["deletedRegion"]["charLength"]
        text = text[:start] + rep["insertedContent"]["text"] + text[end:]
    assert text.splitlines()[0] == "FROM python:3.12.7-slim-bookworm"
    assert text.splitlines()[5] == 'CMD ["python", "serve.py"]'
    assert "fixes" not in next(r for r in run["results"] if r["ruleId"] == "ML001")


def test_fingerprints_are_unique():
    report = sample_report()
    fps = [r["partialFingerprints"]["dockerlint/v2"] for r in _sarif(report)["runs"][0]["results"]]
    assert len(set(fps)) == len(fps)


def test_unknown_rule_still_gets_a_descriptor():
    report = sample_report()
    broken = report.findings[0].__class__(
        message="rule DLX crashed: KeyError", span=report.findings[0].span, rule_id="DLX999", path=MAIN)
    report.findings.append(broken)
    run = _sarif(report)["runs"][0]
    result = run["results"][-1]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "DLX999"


@pytest.mark.parametrize("path, uri", [
    ("Dockerfile", "Dockerfile"),
    ("gpu image/Dockerfile.gpu", "gpu%20image/Dockerfile.gpu"),
    ("données/Dockerfile", "donn%C3%A9es/Dockerfile"),
    ("/abs/a b/Dockerfile", "file:///abs/a%20b/Dockerfile"),
])
def test_artifact_uri(path, uri):
    assert artifact_uri(path) == uri


def test_empty_report_lists_checked_files():
    run = _sarif(empty_report())["runs"][0]
    assert run["results"] == []
    assert [a["location"]["uri"] for a in run["artifacts"]] == [
        "Dockerfile", "gpu%20image/Dockerfile.gpu", "clean.Dockerfile"]
    assert GPU in empty_report().files


def test_security_rules_carry_a_security_severity_for_code_scanning(validator):
    from dockerlint.findings import Severity
    from dockerlint.rule import rule

    @rule(id="SEC001", name="secret-in-env", severity=Severity.ERROR, category="security")
    def secret_in_env(df):
        """Do not put secrets in ENV.

        Note: they stay in the image history.
        """
        return iter(())

    report = sample_report(rules={**RULES, "SEC001": secret_in_env})
    log = _sarif(report)
    validator.validate(log)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["SEC001"]["properties"]["security-severity"] == "8.0"
    assert "security-severity" not in rules["DL3007"]["properties"]
    assert "Note: They stay in the image history." in rules["SEC001"]["help"]["text"]


def test_rule_descriptions_are_sentences_even_when_the_docstring_section_starts_lowercase():
    from dockerlint.findings import Severity
    from dockerlint.rule import rule

    @rule(id="LC001", name="lower-case-why", severity=Severity.ERROR, category="syntax")
    def lower(df):
        """The file does not parse.

        Why: nothing else can be checked.

        Bad:
            from python
        """
        return iter(())

    report = sample_report()
    report.findings[:] = [report.findings[0].__class__(message="m", span=report.findings[0].span,
                                                       rule_id="LC001", path=MAIN)]
    report.rules = {"LC001": lower}
    descriptor = _sarif(report)["runs"][0]["tool"]["driver"]["rules"][0]
    assert descriptor["fullDescription"]["text"] == "The file does not parse. Nothing else can be checked."
    assert "Bad:\nfrom python" in descriptor["help"]["text"]


# GitHub's own expectations for its line hash (github/codeql-action src/fingerprints.test.ts).
GITHUB_LINE_HASHES = [
    ("", ["c129715d7a2bc9a3:1"]),
    (" a\nb\n  \t\tc\n d", ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"]),
    (" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
     ["8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1", "c6805c5e1288b612:1",
      "b86d3392aea1be30:1", "e6ceba753e1a442:1"]),
    *[(text, ["e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
              "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"])
      for text in (" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
                   " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
                   " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
                   " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n")],
    ("Lorem ipsum dolor sit amet.\n" * 10,
     [*(f"a7f2ff13bc495cf2:{n}" for n in range(1, 7)), "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1",
      "55ec222b86bcae53:1", "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1"]),
]


@pytest.mark.parametrize("text, expected", GITHUB_LINE_HASHES)
def test_line_hash_is_the_one_githubs_upload_action_computes(text, expected):
    from dockerlint.report.fingerprints import line_hashes

    hashes = line_hashes(text)
    assert [hashes[n] for n in sorted(hashes)] == expected


def test_results_carry_the_line_hash_of_their_start_line():
    from dockerlint.report.fingerprints import line_hashes

    report = sample_report()
    for result in _sarif(report)["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        path = {"Dockerfile": MAIN, "gpu%20image/Dockerfile.gpu": GPU}[location["artifactLocation"]["uri"]]
        expected = line_hashes(report.sources[path])[location["region"]["startLine"]]
        assert result["partialFingerprints"]["primaryLocationLineHash"] == expected


def test_rules_carry_precision_and_problem_severity_for_githubs_ordering():
    rules = {r["id"]: r["properties"] for r in _sarif(sample_report())["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["ML001"]["problem.severity"] == "error" and rules["DL3007"]["problem.severity"] == "warning"
    assert rules["DL3025"]["problem.severity"] == "recommendation"
    assert {p["precision"] for p in rules.values()} <= {"very-high", "high", "medium", "low"}


def _many(count: int):
    """A report of ``count`` findings, one error in every ten, the rest style."""
    from dockerlint.findings import Finding, Severity
    from dockerlint.report import Report
    from dockerlint.syntax.nodes import Span

    span = Span(0, 4, 1, 1, 1, 5)
    findings = [Finding(message=f"problem {i}", span=span, rule_id="DL3008", path=f"d{i}/Dockerfile",
                        severity=Severity.ERROR if i % 10 == 0 else Severity.STYLE) for i in range(count)]
    return Report(findings=findings, files=[f.path for f in findings], rules=RULES)


def test_past_githubs_result_limit_the_most_severe_stay_and_the_run_says_what_was_dropped(
        monkeypatch, capsys, validator):
    from dockerlint.report import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 50)
    log = _sarif(_many(200))
    validator.validate(log)
    run = log["runs"][0]
    assert len(run["results"]) == 50
    assert sum(r["level"] == "error" for r in run["results"]) == 20  # every error kept
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert "kept the 50 most severe, dropped 150 (150 style)" in notification["message"]["text"]
    assert "dropped 150 (150 style)" in capsys.readouterr().err


def test_a_log_too_big_once_gzipped_is_cut_until_it_fits(monkeypatch):
    import gzip

    from dockerlint.report import sarif

    full = _sarif(_many(400))
    limit = len(gzip.compress(json.dumps(full, separators=(",", ":")).encode())) // 2
    monkeypatch.setattr(sarif, "MAX_GZIP_BYTES", limit)
    out = io.StringIO()
    render("sarif", _many(400), out)
    assert len(gzip.compress(out.getvalue().encode())) <= limit
    run = json.loads(out.getvalue())["runs"][0]
    assert 40 <= len(run["results"]) < 400
    assert "dropped" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
