"""The options ruff users reach for when turning a linter on in an existing repository."""
from __future__ import annotations

import json

import pytest

from dockerlint import registry
from dockerlint.cli import main
from dockerlint.findings import Edit, Finding, Fix, Severity
from dockerlint.rule import rule

BAD = "FROM python:latest\nRUN pip install flask\n"


@rule(id="TST700", name="lowercase-maintainer", severity=Severity.WARNING, category="style", fixable=True)
def lowercase_maintainer(df):
    """MAINTAINER is deprecated: use a LABEL.

    Fix: unsafe, because tools reading the old field lose it.
    """
    for ins in df.tree.instructions:
        if ins.keyword == "MAINTAINER":
            span = ins.span
            yield Finding(message="MAINTAINER is deprecated", span=span, fix=Fix(
                "replace with LABEL maintainer=…",
                (Edit(span.start, span.start + len("MAINTAINER "), "LABEL maintainer="),), safe=False))


def lint(capsys, monkeypatch, cwd, *args, env=None):
    monkeypatch.chdir(cwd)
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.delenv("DOCKERLINT_OUTPUT_FORMAT", raising=False)
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "Dockerfile").write_text(BAD)
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "Dockerfile").write_text("FROM alpine:3.20\n")
    (tmp_path / "web" / "pyproject.toml").write_text('[tool.dockerlint]\nignore = ["DL3007"]\n'
                                                     'failure-threshold = "error"\n')
    return tmp_path


def test_exit_zero_is_no_fail(project, capsys, monkeypatch):
    assert lint(capsys, monkeypatch, project, "api")[0] == 1
    code, out, _ = lint(capsys, monkeypatch, project, "--exit-zero", "api")
    assert code == 0 and "DL3007" in out


def test_output_format_from_the_environment(project, capsys, monkeypatch):
    code, out, _ = lint(capsys, monkeypatch, project, "api", env={"DOCKERLINT_OUTPUT_FORMAT": "gnu"})
    assert code == 1 and out.startswith("api/Dockerfile:1.13-1.18: warning: ")
    _, out, _ = lint(capsys, monkeypatch, project, "-f", "json", "api")  # --format wins
    assert json.loads(out)["findings"]
    code, _, err = lint(capsys, monkeypatch, project, "api", env={"DOCKERLINT_OUTPUT_FORMAT": "html"})
    assert code == 2 and err.startswith("dockerlint: error: DOCKERLINT_OUTPUT_FORMAT='html': unknown format")


def test_show_files_lists_what_would_be_linted(project, capsys, monkeypatch):
    code, out, _ = lint(capsys, monkeypatch, project, "--show-files", ".")
    assert code == 0 and out.splitlines() == ["api/Dockerfile", "web/Dockerfile"]


def test_show_settings_says_which_config_applies_to_which_file(project, capsys, monkeypatch):
    code, out, _ = lint(capsys, monkeypatch, project, "--show-settings", ".")
    assert code == 0
    blocks = [b.splitlines() for b in out.strip().split("\n\n")]
    assert blocks[0][:2] == ["config: none (defaults)", "files (1): api/Dockerfile"]
    assert blocks[1][:2] == [f"config: {project / 'web' / 'pyproject.toml'}", "files (1): web/Dockerfile"]
    assert "DL3007" in blocks[0][2] and "DL3007" not in blocks[1][2]
    assert "failure-threshold: error" in blocks[1]


def test_statistics_prints_only_the_table(project, capsys, monkeypatch):
    code, out, _ = lint(capsys, monkeypatch, project, "--statistics", "api")
    assert code == 1
    assert out.splitlines() == ["1  DL3007  [ ] image-latest-tag", "1  DL3013  [ ] pip-pin-versions",
                                "1  DL3042  [*] pip-no-cache-dir"]
    _, out, _ = lint(capsys, monkeypatch, project, "--statistics", "-f", "json", "api")
    assert json.loads(out)[2] == {"code": "DL3042", "name": "pip-no-cache-dir", "count": 1, "fixable": True,
                                  "fixable_count": 1}


def test_the_summary_says_how_many_findings_fix_can_repair(project, capsys, monkeypatch):
    _, out, _ = lint(capsys, monkeypatch, project, "api")
    assert out.rstrip().splitlines()[-1] == "3 problems (3 warnings) in 1 file. 1 fixable with --fix."


@pytest.fixture
def unsafe_rule(monkeypatch):
    rules = dict(registry.installed_rules())
    rules["TST700"] = lowercase_maintainer
    monkeypatch.setattr(registry, "_CACHE", dict(sorted(rules.items())))


def test_unsafe_fixes_apply_only_when_asked_and_show_fixes_lists_them(project, capsys, monkeypatch, unsafe_rule):
    dockerfile = project / "api" / "Dockerfile"
    dockerfile.write_text("FROM python:3.12\nMAINTAINER me\nRUN pip install flask==3.0\n")
    _, out, _ = lint(capsys, monkeypatch, project, "api")
    assert out.rstrip().endswith("1 fixable with --fix (1 more with --fix --unsafe-fixes).")
    code, _, err = lint(capsys, monkeypatch, project, "--fix", "--show-fixes", "api")
    assert "MAINTAINER me" in dockerfile.read_text()  # unsafe: not applied
    assert err.splitlines() == ["dockerlint: fixed 1 problem in 1 file",
                                "dockerlint: api/Dockerfile: 1 × DL3042 pip-no-cache-dir"]
    code, _, err = lint(capsys, monkeypatch, project, "--fix", "--unsafe-fixes", "--show-fixes", "api")
    assert dockerfile.read_text() == "FROM python:3.12\nLABEL maintainer=me\nRUN pip install --no-cache-dir flask==3.0\n"
    assert err.splitlines()[-1] == "dockerlint: api/Dockerfile: 1 × TST700 lowercase-maintainer"


def test_unsafe_fixes_need_fix_or_diff(project, capsys, monkeypatch):
    code, _, err = lint(capsys, monkeypatch, project, "--unsafe-fixes", "api")
    assert code == 2 and err == "dockerlint: error: --unsafe-fixes needs --fix or --diff\n"
