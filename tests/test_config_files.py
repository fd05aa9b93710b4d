"""Config discovery, precedence, validation messages and the .hadolint.yaml fallback."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from dockerlint.config import (
    ConfigError,
    ConfigFinder,
    Overrides,
    find_config,
    load_config,
)
from dockerlint.config.hadolint import MAX_NODES, load_yaml
from dockerlint.findings import Severity
from dockerlint.registry import Selection


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_nearest_config_wins_and_pyproject_without_our_table_is_skipped(tmp_path):
    write(tmp_path / ".dockerlint.toml", 'ignore = ["A"]\n')
    write(tmp_path / "svc" / "pyproject.toml", '[tool.black]\nline-length = 1\n')
    write(tmp_path / "svc" / "deep" / "pyproject.toml", '[tool.dockerlint]\nignore = ["B"]\n')
    assert find_config(tmp_path / "svc") == str(tmp_path / ".dockerlint.toml")
    assert find_config(tmp_path / "svc" / "deep") == str(tmp_path / "svc" / "deep" / "pyproject.toml")


def test_dockerlint_toml_beats_pyproject_in_the_same_directory(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.dockerlint]\nignore = ["B"]\n')
    write(tmp_path / ".dockerlint.toml", 'ignore = ["A"]\n')
    assert find_config(tmp_path) == str(tmp_path / ".dockerlint.toml")


def test_hadolint_yaml_is_used_only_when_no_dockerlint_config_exists(tmp_path):
    write(tmp_path / "a" / ".hadolint.yaml", "ignored: [DL3008]\n")
    write(tmp_path / ".dockerlint.toml", 'ignore = ["A"]\n')
    assert find_config(tmp_path / "a") == str(tmp_path / ".dockerlint.toml")
    os.remove(tmp_path / ".dockerlint.toml")
    assert find_config(tmp_path / "a") == str(tmp_path / "a" / ".hadolint.yaml")


def test_every_key_is_read_and_paths_are_relative_to_the_config(tmp_path):
    (tmp_path / "docker").mkdir()
    cfg = write(tmp_path / ".dockerlint.toml", """
select = ["DL", "ML"]
extend-select = ["DLINT002"]
ignore = ["DL3059"]
failure-threshold = "warning"
trusted-registries = ["ghcr.io"]
strict-labels = true
context = "docker"
target = "runtime"
build-args = { PY = "3.12" }
format = "json"
no-color = true
no-fail = true
disable-ignore-pragma = true
[severity]
DL3008 = "error"
[per-file-ignores]
"legacy/*" = ["DL3007"]
[required-labels]
"org.opencontainers.image.source" = "url"
""")
    s = load_config(cfg)
    assert s.selection == (Selection(("DL", "ML"), ("DLINT002",), ("DL3059",)),)
    assert s.failure_threshold == Severity.WARNING
    assert s.severity == (("DL3008", Severity.ERROR),)
    assert s.per_file_ignores == ((str(tmp_path), "legacy/*", ("DL3007",)),)
    assert s.required_labels == (("org.opencontainers.image.source", "url"),)
    assert s.context == str(tmp_path / "docker")
    assert (s.target, s.build_args, s.formats) == ("runtime", (("PY", "3.12"),), ("json",))
    assert s.strict_labels and s.no_color and s.no_fail and s.disable_ignore_pragma
    assert s.origin == str(cfg)


@pytest.mark.parametrize("body, expected", [
    ('selekt = ["A"]\n', r"unknown key 'selekt' \(allowed: select, extend-select, ignore"),
    ('failure-threshold = "fatal"\n', r"key 'failure-threshold': invalid value 'fatal' \(allowed: 'error', 'warning'"),
    ('[severity]\nDL3008 = "loud"\n', r"key 'severity.DL3008': invalid value 'loud'"),
    ('ignore = "DL3008"\n', r"key 'ignore': expected a list of strings, got 'DL3008'$"),
    ('[required-labels]\nmaintainer = "phone"\n', r"key 'required-labels.maintainer'.*'email'"),
    ('build-args = { PY = 3.12 }\n', r"key 'build-args.PY': expected a string, got 3.12$"),
    ('no-color = "yes"\n', r"key 'no-color': expected true or false, got 'yes'$"),
    ('severity = "DL3008=error"\n', r"key 'severity': expected a table, got 'DL3008=error'$"),
    ('context = "no/such/dir"\n', r"key 'context': 'no/such/dir' is not a directory$"),
    ('select = [\n', r"invalid TOML"),
    ('ignore = ["DL3008", 5]\n', r"key 'ignore.1': expected a string, got 5$"),
    ('strict-labels = 1\n', r"key 'strict-labels': expected true or false, got 1$"),  # never coerced
    ('[per-file-ignores]\n"*.gpu" = "DL3008"\n', r"key 'per-file-ignores.\*.gpu': expected a list of strings"),
    ('format = ["tty", "pdf"]\n', r"key 'format.1': invalid value 'pdf' \(allowed: .*'sarif'"),
    ('format = 3\n', r"key 'format': expected a list of strings, got 3$"),
    ('[severity]\nDL3008 = 2\n', r"key 'severity.DL3008': invalid value 2 \(allowed: 'error', 'warning', 'info' or 'style'\)$"),
])
def test_validation_errors_name_file_key_and_allowed_values(tmp_path, body, expected):
    cfg = write(tmp_path / ".dockerlint.toml", body)
    with pytest.raises(ConfigError, match=expected) as info:
        load_config(cfg)
    assert str(info.value).startswith(str(cfg))


def test_pyproject_errors_name_the_full_key(tmp_path):
    cfg = write(tmp_path / "pyproject.toml", '[tool.dockerlint]\nfailure-threshold = 3\n')
    with pytest.raises(ConfigError, match=r"key 'tool.dockerlint.failure-threshold'"):
        load_config(cfg)


def test_extend_stacks_a_nested_config_on_a_shared_one(tmp_path):
    write(tmp_path / "pyproject.toml", """
[tool.dockerlint]
ignore = ["A"]
failure-threshold = "error"
trusted-registries = ["ghcr.io"]
build-args = { X = "base", Y = "base" }
[tool.dockerlint.per-file-ignores]
"legacy/*" = ["B"]
""")
    svc = write(tmp_path / "svc" / ".dockerlint.toml", """
extend = "../pyproject.toml"
ignore = ["C"]
build-args = { X = "svc" }
[per-file-ignores]
"*.dev" = ["D"]
""")
    s = load_config(svc)
    assert [layer.ignore for layer in s.selection] == [("A",), ("C",)]
    assert s.failure_threshold == Severity.ERROR and s.trusted_registries == ("ghcr.io",)
    assert dict(s.build_args) == {"X": "svc", "Y": "base"}
    assert s.per_file_ignores == ((str(tmp_path), "legacy/*", ("B",)), (str(tmp_path / "svc"), "*.dev", ("D",)))
    write(svc, 'extend = "../pyproject.toml"\nfailure-threshold = "style"\ntrusted-registries = []\n')
    s = load_config(svc)
    assert s.failure_threshold == Severity.STYLE and s.trusted_registries == ()


def test_extend_errors_name_the_file(tmp_path):
    a = write(tmp_path / ".dockerlint.toml", 'extend = "b/.dockerlint.toml"\n')
    write(tmp_path / "b" / ".dockerlint.toml", 'extend = "../.dockerlint.toml"\n')
    with pytest.raises(ConfigError, match="a cycle"):
        load_config(a)
    write(a, 'extend = "missing.toml"\n')
    with pytest.raises(ConfigError, match=r"key 'extend': 'missing.toml' is not a file"):
        load_config(a)


def test_command_line_overrides_the_file_and_selection_layers_stack(tmp_path):
    write(tmp_path / ".dockerlint.toml", 'ignore = ["A"]\nfailure-threshold = "error"\n'
                                         'build-args = { X = "file", Y = "file" }\n')
    finder = ConfigFinder(overrides=Overrides(ignore=("B",), failure_threshold="style",
                                              build_args=(("X", "cli"),), context="ctx"))
    s = finder.for_file(tmp_path / "Dockerfile")
    assert [layer.ignore for layer in s.selection] == [("A",), ("B",)]
    assert s.failure_threshold == Severity.STYLE
    assert dict(s.build_args) == {"X": "cli", "Y": "file"}
    assert s.context == os.path.abspath("ctx")


def test_explicit_config_replaces_discovery(tmp_path):
    write(tmp_path / ".dockerlint.toml", 'ignore = ["A"]\n')
    other = write(tmp_path / "elsewhere" / "lint.toml", 'ignore = ["Z"]\n')
    s = ConfigFinder(str(other)).for_file(tmp_path / "Dockerfile")
    assert s.selection[0].ignore == ("Z",)


def test_hadolint_yaml_keys_are_translated(tmp_path):
    cfg = write(tmp_path / ".hadolint.yaml", """
# hadolint config, as users write it
failure-threshold: ignore
ignored:
  - DL3008
  - SC2086   # ShellCheck: we have no such rule; skipped, not an error
override:
  error:
    - DL3001
  info: [DL3002]
trustedRegistries: docker.io
label-schema:
  author: text
  url: url
strict-labels: true
no-fail: false
format: gitlab_codeclimate
verbose: true
""")
    s = load_config(cfg)
    assert s.failure_threshold is None
    assert s.selection == (Selection(None, (), ("DL3008", "SC2086"), strict=False),)
    assert s.severity == (("DL3001", Severity.ERROR), ("DL3002", Severity.INFO))
    assert s.trusted_registries == ("docker.io",)
    assert s.required_labels == (("author", "text"), ("url", "url"))
    assert s.strict_labels and s.formats == ("gitlab",)


def test_a_complete_hadolint_config_from_its_readme_loads(tmp_path):
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "engine" / "hadolint.yaml"
    cfg = write(tmp_path / ".hadolint.yaml", fixture.read_text())
    s = load_config(cfg)
    # hadolint's `format: json` means hadolint's JSON shape
    assert s.failure_threshold == Severity.WARNING and s.formats == ("hadolint-json",) and s.no_color
    assert s.selection[0].ignore == ("DL3000", "SC1010") and not s.selection[0].strict
    assert dict(s.severity)["DL3002"] == Severity.ERROR and dict(s.severity)["DL3015"] == Severity.STYLE
    assert dict(s.required_labels) == {"author": "text", "contact": "email", "created": "rfc3339",
                                       "version": "semver", "documentation": "url",
                                       "git-revision": "hash", "license": "spdx"}
    assert s.trusted_registries == ("docker.io", "my-company.com:500", "*.gcr.io")


@pytest.mark.parametrize("body, expected", [
    ("ignored: DL3008\n", "key 'ignored': expected a list of strings, got 'DL3008'"),
    ("label-schema:\n  author: phone\n", "key 'label-schema.author': invalid value 'phone'"),
    ("strict-labels: maybe\n", "key 'strict-labels': expected true or false, got 'maybe'"),
])
def test_hadolint_errors_name_the_key_as_written_in_the_file(tmp_path, body, expected):
    cfg = write(tmp_path / ".hadolint.yaml", body)
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    assert str(info.value).startswith(f"{cfg}: {expected}")


def test_unknown_hadolint_key_is_an_error(tmp_path):
    cfg = write(tmp_path / ".hadolint.yml", "ignore: [DL3008]\n")
    with pytest.raises(ConfigError, match=r"unknown hadolint key 'ignore'.*ignored"):
        load_config(cfg)


@pytest.mark.parametrize("text, expected", [
    ("a: 1\nb:\n  - x\n  - 'y # z'\n", {"a": 1, "b": ["x", "y # z"]}),
    ("a:\n- x\n- y\n", {"a": ["x", "y"]}),
    ("a: [ ]\nb: {}\nc: ~\nd: \"q\\\"\"\n", {"a": [], "b": {}, "c": None, "d": 'q"'}),
    ("---\nm:\n  n:\n    o: true\n", {"m": {"n": {"o": True}}}),
    ("base: &ids [DL3008]\nignored: *ids\n", {"base": ["DL3008"], "ignored": ["DL3008"]}),  # anchors work
    ("# nothing\n", None),
])
def test_hadolint_yaml_is_read_by_a_real_yaml_loader(text, expected):
    assert load_yaml(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("ignored: [DL3008]\n---\nignored: [DL3009]\n", "several YAML documents"),
    ("a: [x\n", "line 2: invalid YAML"),
    ("a: !!python/object:os.system x\n", "invalid YAML"),  # the safe loader builds no objects
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
     f"more than {MAX_NODES} values"),
    ("[" * 3000 + "]" * 3000, "nested too deeply"),
])
def test_hostile_or_broken_yaml_is_a_config_error(text, expected):
    with pytest.raises(ConfigError, match=expected):
        load_yaml(text)


@pytest.mark.parametrize("name, text, expected", [
    (".hadolint.yaml", "ignored:\n", None),  # null: nothing ignored, as hadolint
    (".hadolint.yaml", "override:\n  error:\n", None),
    (".hadolint.yaml", "override:\n  error: true\n", "key 'override.error': expected a list of rule ids"),
    (".hadolint.yaml", "override:\n  error:\n    nested: [DL3008]\n", "key 'override.error': expected a list"),
    (".hadolint.yaml", "override: [DL3008]\n", "key 'override': expected a mapping"),
    (".hadolint.yaml", "ignored: true\n", "key 'ignored': expected a list of strings"),
    (".hadolint.yaml", "format: {a: 1}\n", "key 'format'"),
    (".hadolint.yaml", "format: [[tty]]\n", "key 'format"),
    (".hadolint.yaml", "trustedRegistries: {a: b}\n", "key 'trustedRegistries'"),
    (".hadolint.yaml", "1: x\n", "unknown hadolint key 1"),
    (".hadolint.yaml", "- DL3008\n", "expected a mapping of hadolint keys"),
    ("pyproject.toml", "tool = 5\ndockerlint = 1\n", "key 'tool': expected a table"),
    (".dockerlint.toml", 'extend = "base\\u0000.toml"\n', "key 'extend'"),
    (".dockerlint.toml", 'context = "a\\u0000b"\n', "key 'context'"),
    (".dockerlint.toml", '[per-file-ignores]\n"[z-a]" = ["DL3008"]\n', "key 'per-file-ignores'"),
    (".dockerlint.toml", 'exclude = ["[]]"]\n', "key 'exclude'"),
    (".dockerlint.toml", 'extend-exclude = ["[z-a]"]\n', "key 'extend-exclude'"),
])
def test_invalid_configs_are_config_errors_naming_the_key(tmp_path, name, text, expected):
    cfg = write(tmp_path / name, text)
    if expected is None:
        load_config(cfg)
        return
    with pytest.raises(ConfigError, match=expected.replace("[", r"\[")) as err:
        load_config(cfg)
    assert str(err.value).startswith(str(cfg)) and "\n" not in str(err.value)


@pytest.mark.parametrize("text", [
    '[tool."dockerlint"]\nignore = ["DL3008"]\n',
    '[tool]\ndockerlint = {ignore = ["DL3008"]}\n',
    "[tool.'dockerlint']\nignore = ['DL3008']\n",
])
def test_every_toml_spelling_of_the_tool_table_is_found(tmp_path, text):
    write(tmp_path / "pyproject.toml", text)
    assert find_config(tmp_path) == str(tmp_path / "pyproject.toml")
    assert load_config(tmp_path / "pyproject.toml").selection[0].ignore == ("DL3008",)


@pytest.mark.parametrize("text", [
    '[project]\nname = "x"\ndependencies = ["dockerlint"]\n',
    '[project.scripts]\ndockerlint = "dockerlint.cli:main"\n',
])
def test_a_pyproject_that_only_mentions_dockerlint_is_not_a_config(tmp_path, text):
    write(tmp_path / ".dockerlint.toml", 'ignore = ["DL3006"]\n')
    write(tmp_path / "sub" / "pyproject.toml", text)
    assert find_config(tmp_path / "sub") == str(tmp_path / ".dockerlint.toml")


@pytest.mark.parametrize("config", [None, ".dockerlint.toml", "pyproject.toml", ".hadolint.yaml"])
def test_reading_a_config_imports_no_pydantic(tmp_path, config):
    # pydantic's import cost ~75 ms of CPU per run; config.schema checks the keys instead
    import subprocess

    text = {".dockerlint.toml": 'ignore = ["DL3008"]\n[severity]\nDL3007 = "error"\n',
            "pyproject.toml": '[tool.dockerlint]\nignore = ["DL3008"]\n',
            ".hadolint.yaml": "ignored: [DL3008]\n"}
    if config:
        write(tmp_path / config, text[config])
    code = ("import sys; from dockerlint.config import ConfigFinder; "
            f"s = ConfigFinder().for_directory(__import__('pathlib').Path({str(tmp_path)!r})); "
            "print('pydantic' in sys.modules, s.origin is not None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout.split() == ["False", str(config is not None)], out.stderr
