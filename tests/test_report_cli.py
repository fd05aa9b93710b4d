"""Every format end to end: the real CLI on fixtures/report/, each report checked against its schema."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "report"
SCHEMAS = ROOT / "fixtures" / "schemas"
FILES = {"json": "report.json", "sarif": "report.sarif", "gitlab": "gl-code-quality.json",
         "checkstyle": "checkstyle.xml", "junit": "junit.xml", "gnu": "report.txt", "tty": "report.tty"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, str]:
    """One run writes every format (hadolint-style -f/-o pairs); github goes to stdout."""
    out = tmp_path_factory.mktemp("reports")
    args = [arg for fmt, name in FILES.items() for arg in ("--format", fmt, "--output", str(out / name))]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(out), "LANG": "C.UTF-8"}
    result = subprocess.run([sys.executable, "-m", "dockerlint", *args, "--format", "github", "."],
                            cwd=FIXTURES, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    assert result.returncode == 1, result.stderr  # the fixtures have warnings; the default threshold fails on them
    texts = {fmt: (out / name).read_text(encoding="utf-8") for fmt, name in FILES.items()}
    texts["github"] = result.stdout
    return texts


def test_json_matches_the_shipped_schema(reports):
    from dockerlint.report.schema import SCHEMA_FILE

    data = json.loads(reports["json"])
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))).validate(data)
    assert sorted(data["files"]) == ["Dockerfile", "clean.Dockerfile", "gpu image/Dockerfile.gpu"]
    assert {"Dockerfile", "gpu image/Dockerfile.gpu"} <= {f["file"] for f in data["findings"]}
    assert "DL3007" in {f["rule"] for f in data["findings"]}


def test_sarif_validates(reports):
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(reports["sarif"])
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["DL3007"]["help"]["markdown"] and rules["DL3007"]["helpUri"].endswith("docs/rules/DL3007.md")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    # relative to the repository root (this checkout), not to fixtures/report/ where the run started
    assert {"fixtures/report/Dockerfile", "fixtures/report/gpu%20image/Dockerfile.gpu"} <= uris
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"


def test_gitlab_validates(reports):
    schema = json.loads((SCHEMAS / "gitlab-codeclimate.json").read_text(encoding="utf-8"))
    issues = json.loads(reports["gitlab"])
    for issue in issues:
        jsonschema.Draft7Validator(schema).validate(issue)
    assert len({i["fingerprint"] for i in issues}) == len(issues) > 0


def test_junit_validates(reports):
    from lxml import etree

    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-jenkins-xunit-junit-10.xsd")))
    assert xsd.validate(etree.fromstring(reports["junit"].encode("utf-8"))), xsd.error_log


def test_checkstyle_and_text_formats_agree_on_the_findings(reports):
    data = json.loads(reports["json"])
    count = len(data["findings"])
    root = ElementTree.fromstring(reports["checkstyle"].encode("utf-8"))
    assert sum(len(f) for f in root) == count
    assert len(reports["gnu"].splitlines()) == count
    assert len([x for x in reports["github"].splitlines() if x.startswith("::")]) == count
    assert "\x1b[" not in reports["tty"]  # a file never gets colour
    summary = reports["tty"].rstrip().splitlines()[-1]
    flagged = data["summary"]["files_with_findings"]
    where = "3 files" if flagged == 3 else f"{flagged} of 3 files"
    fixable = sum(1 for f in data["findings"] if f["fix"] and f["fix"]["safe"])
    assert summary.startswith(f"{count} problems (")
    assert summary.endswith(f") in {where}. {fixable} fixable with --fix.") and fixable > 0


CORPUS = ROOT.parent / "shared" / "corpus" / "real"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus of real Dockerfiles is not beside the checkout")
def test_real_corpus_reports_validate(tmp_path):
    """605 Dockerfiles written by others: every machine format still validates."""
    args = [a for fmt, name in (("sarif", "r.sarif"), ("json", "r.json"), ("gitlab", "gl.json"),
                                ("junit", "j.xml")) for a in ("--format", fmt, "--output", str(tmp_path / name))]
    result = subprocess.run([sys.executable, "-m", "dockerlint", *args, str(CORPUS)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    from dockerlint.report.schema import SCHEMA_FILE

    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))).validate(data)
    assert data["summary"]["files_checked"] == len(data["files"]) >= 600
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert len(log["runs"][0]["results"]) == len(data["findings"])
    issues = json.loads((tmp_path / "gl.json").read_text(encoding="utf-8"))
    assert len({i["fingerprint"] for i in issues}) == len(issues) == len(data["findings"])
    from lxml import etree

    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-jenkins-xunit-junit-10.xsd")))
    assert xsd.validate(etree.parse(str(tmp_path / "j.xml"))), xsd.error_log
