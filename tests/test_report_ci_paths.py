"""CI reports name files relative to the repository root, with ids that do not depend on where dockerlint ran."""
from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from dockerlint.cli import main
from dockerlint.report.paths import relative_to_root, repository_root

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "schemas"
DOCKERFILE = "FROM python:latest\nRUN pip install flask\n"
CI_VARIABLES = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR", "GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A checkout: services/api/Dockerfile and legacy/Dockerfile under a directory holding .git."""
    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".git").mkdir()
    for sub in ("services/api", "legacy"):
        (tmp_path / sub).mkdir(parents=True)
        (tmp_path / sub / "Dockerfile").write_text(DOCKERFILE)
    return tmp_path


def lint(capsys, monkeypatch, cwd, *args):
    monkeypatch.chdir(cwd)
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _sarif_uris(log):
    run = log["runs"][0]
    return [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]


def test_every_ci_format_names_files_from_the_repository_root(repo, capsys, monkeypatch):
    cwd = repo / "services"
    expected = {"legacy/Dockerfile", "services/api/Dockerfile"}

    _, out, _ = lint(capsys, monkeypatch, cwd, "-f", "gitlab", "api", "../legacy/Dockerfile")
    assert {i["location"]["path"] for i in json.loads(out)} == expected

    _, out, _ = lint(capsys, monkeypatch, cwd, "-f", "sarif", "api", "../legacy/Dockerfile")
    log = json.loads(out)
    assert {(a["uri"], a["uriBaseId"]) for a in _sarif_uris(log)} == {(p, "%SRCROOT%") for p in expected}
    assert log["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.as_uri() + "/"}}

    _, out, _ = lint(capsys, monkeypatch, cwd, "-f", "github", "api", "../legacy/Dockerfile")
    files = {line.split("file=")[1].split(",")[0] for line in out.splitlines() if line.startswith("::warning")}
    assert files == expected

    for fmt, element, attribute in (("checkstyle", "file", "name"), ("junit", "testsuite", "name")):
        _, out, _ = lint(capsys, monkeypatch, cwd, "-f", fmt, "api", "../legacy/Dockerfile")
        names = {e.get(attribute) for e in ElementTree.fromstring(out).iter(element)}
        assert names == expected, fmt
        assert "../" not in out


def test_human_formats_keep_the_path_as_given(repo, capsys, monkeypatch):
    _, out, _ = lint(capsys, monkeypatch, repo / "services", "-f", "gnu", "../legacy/Dockerfile")
    assert out.startswith("../legacy/Dockerfile:1.")


def test_fingerprints_do_not_depend_on_the_working_directory(repo, capsys, monkeypatch):
    def ids(cwd, path):
        _, gitlab, _ = lint(capsys, monkeypatch, cwd, "-f", "gitlab", path)
        _, sarif, _ = lint(capsys, monkeypatch, cwd, "-f", "sarif", path)
        results = json.loads(sarif)["runs"][0]["results"]
        return ([i["fingerprint"] for i in json.loads(gitlab)],
                [r["partialFingerprints"] for r in results])

    from_root = ids(repo, "services/api/Dockerfile")
    assert from_root == ids(repo / "services", "api/Dockerfile")
    assert from_root == ids(repo / "legacy", "../services/api/Dockerfile")
    assert len(set(from_root[0])) == len(from_root[0]) == 3


def test_without_git_the_ci_workspace_is_the_root(tmp_path, monkeypatch):
    for name in CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "a").mkdir()
    env = {"CI_PROJECT_DIR": str(tmp_path)}
    assert repository_root(str(tmp_path / "a"), env) == str(tmp_path)
    assert repository_root(str(tmp_path / "a"), {**env, "GITHUB_WORKSPACE": str(tmp_path / "a")}) == str(
        tmp_path / "a")
    assert repository_root(str(tmp_path / "a"), {}) == str(tmp_path / "a")


def test_a_file_outside_the_root_is_absolute_never_dot_dot(tmp_path):
    root = tmp_path / "repo"
    assert relative_to_root("../elsewhere/Dockerfile", str(root), str(root)) == str(tmp_path / "elsewhere/Dockerfile")
    assert relative_to_root("./x/../Dockerfile", str(root), str(root)) == "Dockerfile"
    assert relative_to_root("-", str(root), str(root)) == "-"


def test_outside_the_root_sarif_uses_an_absolute_file_uri(tmp_path, capsys, monkeypatch):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "Dockerfile").write_text(DOCKERFILE)
    _, out, _ = lint(capsys, monkeypatch, tmp_path / "repo", "-f", "sarif", "../outside/Dockerfile")
    (location, *_) = _sarif_uris(json.loads(out))
    assert location["uri"] == (tmp_path / "outside" / "Dockerfile").as_uri() and "uriBaseId" not in location


def test_file_path_in_report_names_stdin(repo, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", open(repo / "legacy" / "Dockerfile"))
    code, out, _ = lint(capsys, monkeypatch, repo / "services", "-f", "gitlab", "--file-path-in-report",
                        "images/app/Dockerfile", "-")
    assert code == 1
    assert {i["location"]["path"] for i in json.loads(out)} == {"images/app/Dockerfile"}


def test_file_path_in_report_takes_one_file(repo, capsys, monkeypatch):
    code, _, err = lint(capsys, monkeypatch, repo, "--file-path-in-report", "x/Dockerfile", "services", "legacy")
    assert code == 2
    assert err == "dockerlint: error: --file-path-in-report names one file, but 2 files were linted\n"


def test_sarif_category_sets_the_automation_id(repo, capsys, monkeypatch):
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    _, out, _ = lint(capsys, monkeypatch, repo, "-f", "sarif", "--sarif-category", "dockerfiles", "legacy")
    log = json.loads(out)
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert log["runs"][0]["automationDetails"] == {"id": "dockerfiles/"}
    code, _, err = lint(capsys, monkeypatch, repo, "-f", "sarif", "--sarif-category", "a\nb", "legacy")
    assert code == 2 and err.count("\n") == 1 and "--sarif-category" in err
