"""hadolint's user-level config files and HADOLINT_* variables are honoured for migrating users."""
from __future__ import annotations

import pytest

from dockerlint.config import ConfigFinder
from dockerlint.config.discovery import find_config
from dockerlint.config.settings import ConfigError
from dockerlint.findings import Severity


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    (tmp_path / "home").mkdir()
    (tmp_path / "proj").mkdir()
    return tmp_path


def test_home_hadolint_yaml_is_found_when_no_project_config(home):
    (home / "home" / ".hadolint.yaml").write_text("ignored: [DL3008]\n")
    assert find_config(home / "proj") == str(home / "home" / ".hadolint.yaml")


def test_xdg_hadolint_yaml_comes_before_home_dotfile(home, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg"))
    (home / "xdg").mkdir()
    (home / "xdg" / "hadolint.yaml").write_text("ignored: [DL3008]\n")
    (home / "home" / ".hadolint.yaml").write_text("ignored: [DL3009]\n")
    assert find_config(home / "proj") == str(home / "xdg" / "hadolint.yaml")


def test_project_config_wins_over_home(home):
    (home / "home" / ".hadolint.yaml").write_text("ignored: [DL3008]\n")
    (home / "proj" / ".hadolint.yaml").write_text("ignored: [DL3009]\n")
    assert find_config(home / "proj") == str(home / "proj" / ".hadolint.yaml")


def test_env_variables_apply(home, monkeypatch):
    monkeypatch.setenv("HADOLINT_NOFAIL", "true")
    monkeypatch.setenv("HADOLINT_OVERRIDE_ERROR", "DL3008, DL3009")
    monkeypatch.setenv("HADOLINT_TRUSTED_REGISTRIES", "docker.io,my.corp")
    monkeypatch.setenv("HADOLINT_FAILURE_THRESHOLD", "warning")
    monkeypatch.setenv("HADOLINT_REQUIRE_LABELS", "maintainer:text")
    s = ConfigFinder().for_directory(str(home / "proj"))
    assert s.no_fail is True
    assert ("DL3008", Severity.ERROR) in s.severity and ("DL3009", Severity.ERROR) in s.severity
    assert s.trusted_registries == ("docker.io", "my.corp")
    assert s.failure_threshold == Severity.WARNING
    assert s.required_labels == (("maintainer", "text"),)


def test_env_overrides_config_file(home, monkeypatch):
    (home / "proj" / ".hadolint.yaml").write_text("no-fail: true\n")
    monkeypatch.setenv("HADOLINT_NOFAIL", "false")
    assert ConfigFinder().for_directory(str(home / "proj")).no_fail is False


def test_bad_env_value_is_a_config_error(home, monkeypatch):
    monkeypatch.setenv("HADOLINT_NOFAIL", "maybe")
    with pytest.raises(ConfigError, match="HADOLINT_NOFAIL"):
        ConfigFinder().for_directory(str(home / "proj"))
