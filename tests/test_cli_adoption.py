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



@pytest.fixture
def monorepo(tmp_path, monkeypatch):
    monkeypatch.delenv("DOCKERLINT_OUTPUT_FORMAT", raising=False)
    for path in ("services/api/Dockerfile", "third_party/vendor/Dockerfile", "gen/app.gen.Dockerfile",
                 "services/vendor/Dockerfile"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(BAD)
    return tmp_path


def test_exclude_by_name_and_by_path(monorepo, capsys, monkeypatch):
    _, out, _ = lint(capsys, monkeypatch, monorepo, "--show-files", "--exclude", "vendor", ".")
    assert out.splitlines() == ["gen/app.gen.Dockerfile", "services/api/Dockerfile"]
    _, out, _ = lint(capsys, monkeypatch, monorepo, "--show-files", "--exclude", "third_party/",
                     "--extend-exclude", "*.gen.Dockerfile", ".")
    assert out.splitlines() == ["services/api/Dockerfile", "services/vendor/Dockerfile"]
    _, out, _ = lint(capsys, monkeypatch, monorepo / "services", "--show-files", "--exclude", "api/**", ".")
    assert out.splitlines() == ["vendor/Dockerfile"]


def test_named_files_are_linted_unless_force_exclude(monorepo, capsys, monkeypatch):
    named = "third_party/vendor/Dockerfile"
    _, out, _ = lint(capsys, monkeypatch, monorepo, "--show-files", "--exclude", "third_party", named, "services")
    assert out.splitlines() == [named, "services/api/Dockerfile", "services/vendor/Dockerfile"]
    code, out, _ = lint(capsys, monkeypatch, monorepo, "--exclude", "third_party", "--force-exclude", named)
    assert code == 0 and out.strip() == "No problems found in 0 files."


def test_a_parent_directory_named_like_a_pattern_does_not_exclude_the_repository(tmp_path, capsys, monkeypatch):
    repo = tmp_path / "vendor" / "repo"
    repo.mkdir(parents=True)
    (repo / "Dockerfile").write_text(BAD)
    _, out, _ = lint(capsys, monkeypatch, repo, "--show-files", "--exclude", "vendor", ".")
    assert out.splitlines() == ["Dockerfile"]


def test_exclude_and_extend_exclude_in_the_config(monorepo, capsys, monkeypatch):
    (monorepo / "pyproject.toml").write_text('[tool.dockerlint]\nexclude = ["third_party"]\n'
                                             'extend-exclude = ["*.gen.Dockerfile"]\n')
    _, out, _ = lint(capsys, monkeypatch, monorepo, "--show-files", ".")
    assert out.splitlines() == ["services/api/Dockerfile", "services/vendor/Dockerfile"]
    # the patterns are relative to the config's directory, wherever dockerlint runs
    _, out, _ = lint(capsys, monkeypatch, monorepo / "services", "--show-files", "..")
    assert out.splitlines() == ["../services/api/Dockerfile", "../services/vendor/Dockerfile"]
    # --exclude replaces the config's exclude and extend-exclude; --extend-exclude adds to them
    _, out, _ = lint(capsys, monkeypatch, monorepo, "--show-files", "--exclude", "services", ".")
    assert out.splitlines() == ["gen/app.gen.Dockerfile", "third_party/vendor/Dockerfile"]
    _, out, _ = lint(capsys, monkeypatch, monorepo, "--show-files", "--extend-exclude", "api", ".")
    assert out.splitlines() == ["services/vendor/Dockerfile"]


def test_a_bad_exclude_value_is_a_config_error(monorepo, capsys, monkeypatch):
    (monorepo / "pyproject.toml").write_text('[tool.dockerlint]\nexclude = "vendor"\n')
    code, _, err = lint(capsys, monkeypatch, monorepo, ".")
    assert code == 2 and err.startswith("dockerlint: error: ") and "tool.dockerlint.exclude" in err
    assert err.count("\n") == 1


@pytest.fixture
def user_config(tmp_path, monkeypatch):
    home = tmp_path / "xdg"
    (home / "dockerlint").mkdir(parents=True)
    (home / "dockerlint" / "config.toml").write_text('ignore = ["DL3007"]\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home / "dockerlint" / "config.toml"


def test_the_user_config_applies_below_project_configs(project, user_config, capsys, monkeypatch):
    _, out, _ = lint(capsys, monkeypatch, project, "--show-settings", ".")
    blocks = [b.splitlines() for b in out.strip().split("\n\n")]
    assert blocks[0][:2] == [f"config: {user_config}", "files (1): api/Dockerfile"]  # no project config
    assert blocks[1][0] == f"config: {project / 'web' / 'pyproject.toml'}"  # the project's wins
    _, out, _ = lint(capsys, monkeypatch, project, "-f", "gnu", "api")
    assert "DL3007" not in out and "DL3013" in out


def test_isolated_reads_no_config_file(project, user_config, capsys, monkeypatch):
    _, out, _ = lint(capsys, monkeypatch, project, "--isolated", "--show-settings", ".")
    assert out.splitlines()[:2] == ["config: none (defaults)", "files (2): api/Dockerfile, web/Dockerfile"]
    (project / "web" / "Dockerfile").write_text("FROM alpine:latest\n")
    assert lint(capsys, monkeypatch, project, "-f", "gnu", "web")[:2] == (0, "")  # web's config ignores DL3007
    code, out, _ = lint(capsys, monkeypatch, project, "--isolated", "-f", "gnu", "web")
    assert code == 1 and "[DL3007]" in out
    code, _, err = lint(capsys, monkeypatch, project, "--isolated", "--config", "web/pyproject.toml", ".")
    assert code == 2 and "--isolated" in err
