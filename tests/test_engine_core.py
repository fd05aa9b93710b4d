"""The engine through its public API: metadata, selection, severities, crashes, syntax errors, order."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from dockerlint import lint_path, lint_text
from dockerlint.config import ConfigError
from dockerlint.findings import Finding, Severity
from dockerlint.registry import SelectorError
from dockerlint.rule import rule

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures" / "plugin" / "src"))
import dockerlint_example_plugin as plugin  # noqa: E402
from dockerlint_example_plugin.no_add import no_add  # noqa: E402

keyword_case = plugin.keyword_case
RULES = [keyword_case, no_add]


@rule(id="TST100", name="crashes-on-env", severity=Severity.ERROR, category="correctness")
def crashes_on_env(df):
    """Crash when the file has an ENV instruction."""
    for ins in df.tree.instructions:
        if ins.keyword == "ENV":
            raise RuntimeError("boom")
        yield Finding(message="seen", span=ins.keyword_span)


@rule(id="TST200", name="reports-options", severity=Severity.INFO, category="security")
def reports_options(df, options):
    """Report the trusted registries it was given."""
    first = df.tree.instructions[0]
    yield Finding(message=",".join(options.trusted_registries) or "none", span=first.span)


@rule(id="TST300", name="off-by-default", severity=Severity.INFO, category="style", default_enabled=False)
def off_by_default(df):
    """Report every instruction."""
    for ins in df.tree.instructions:
        yield Finding(message="here", span=ins.span)


def ids(findings):
    return [(f.rule_id, f.span.line) for f in findings]


def test_engine_fills_rule_metadata_and_path():
    [f] = lint_text("from alpine:3.20\n", path="app/Dockerfile", rules=RULES)
    assert (f.rule_id, f.rule_name, f.severity, f.category, f.path) == (
        "EX001", "keyword-case", Severity.STYLE, "style", "app/Dockerfile")
    assert (f.span.line, f.span.column, f.span.end_column) == (1, 1, 5)


def test_findings_are_sorted_by_line_column_and_rule():
    text = "FROM alpine:3.20\nADD a /a\nrun echo\nadd b /b\n"
    assert ids(lint_text(text, rules=RULES)) == [("EX002", 2), ("EX001", 3), ("EX001", 4), ("EX002", 4)]


def test_a_crashing_rule_becomes_an_internal_error_finding_and_others_still_run():
    findings = lint_text("FROM alpine:3.20\nENV A=1\nADD a /a\n", rules=[crashes_on_env, no_add])
    crash = [f for f in findings if f.rule_id == "DLINT001"]
    assert len(crash) == 1
    assert "TST100" in crash[0].message and "RuntimeError: boom" in crash[0].message
    assert ("EX002", 3) in ids(findings)


@rule(id="TST110", name="yields-junk", severity=Severity.ERROR, category="correctness")
def yields_junk(df):
    """Yield things that are not findings."""
    yield Finding(message="no span", span=None)


@rule(id="TST120", name="returns-a-number", severity=Severity.ERROR, category="correctness")
def returns_a_number(df):
    """Return something that is not iterable."""
    return 42


def test_rules_yielding_junk_are_internal_errors_not_crashes():
    findings = lint_text("FROM alpine:3.20\nADD a /a\n", rules=[yields_junk, returns_a_number, no_add])
    messages = sorted(f.message for f in findings if f.rule_id == "DLINT001")
    assert messages == ["rule TST110 (yields-junk) crashed: TypeError: yielded Finding without a Span, not a Finding",
                        "rule TST120 (returns-a-number) crashed: TypeError: 'int' object is not iterable"]
    assert ("EX002", 2) in ids(findings)


@pytest.mark.parametrize("data", [b"", b"# only a comment\n", b"\x00\x01\x02\xff" * 40])
def test_input_buildkit_rejects_is_one_syntax_error_finding(data):
    findings = lint_text(data, rules=RULES)
    assert [f.rule_id for f in findings] == ["DL1000"]
    assert findings[0].severity == Severity.ERROR
    assert findings[0].message.startswith("syntax error: ")
    assert findings[0].span.line >= 1 and findings[0].span.column >= 1


def test_select_ignore_and_extend_select_accept_ids_prefixes_names_and_categories():
    text = "from alpine:3.20\nADD a /a\n"
    assert {f.rule_id for f in lint_text(text, rules=RULES, select=["EX002"])} == {"EX002"}
    assert {f.rule_id for f in lint_text(text, rules=RULES, select=["keyword-case"])} == {"EX001"}
    assert {f.rule_id for f in lint_text(text, rules=RULES, select=["maintainability"])} == {"EX002"}
    assert {f.rule_id for f in lint_text(text, rules=RULES, ignore=["EX"])} == set()
    assert {f.rule_id for f in lint_text(text, rules=RULES, select=["EX001"], extend_select=["no-add"])} == {
        "EX001", "EX002"}


def test_rules_off_by_default_need_their_exact_id():
    text = "FROM alpine:3.20\n"
    assert lint_text(text, rules=[off_by_default]) == []
    assert lint_text(text, rules=[off_by_default], select=["ALL"]) == []  # ALL: only the syntax check
    with pytest.raises(SelectorError, match="enables no rule"):  # a prefix never enables it: nothing to check
        lint_text(text, rules=[off_by_default], select=["TST"])
    assert [f.rule_id for f in lint_text(text, rules=[off_by_default], extend_select=["TST300"])] == ["TST300"]


def test_a_selection_that_enables_no_rule_is_an_error_not_a_clean_result():
    with pytest.raises(SelectorError, match=r"the selection \(ml\) enables no rule"):
        lint_text("FROM alpine:3.20\nADD a /a\n", rules=RULES, select=["ml"])
    # a category without rules is still a valid selector next to others
    assert [f.rule_id for f in lint_text("FROM alpine:3.20\nADD a /a\n", rules=RULES,
                                         select=["ml", "EX002"])] == ["EX002"]


def test_unknown_selector_is_an_error_naming_it():
    with pytest.raises(SelectorError, match="'DL999'"):
        lint_text("FROM alpine:3.20\n", rules=RULES, ignore=["DL999"])


def test_an_unknown_hadolint_id_is_skipped_with_a_warning():
    with pytest.warns(UserWarning, match="unknown rule 'DL9999': no dockerlint rule has that id; it is skipped"):
        assert lint_text("from alpine:3.20\n", rules=RULES, ignore=["DL9999"])


def test_severity_override_by_id_and_by_prefix_later_wins():
    text = "from alpine:3.20\nADD a /a\n"
    found = lint_text(text, rules=RULES, severity={"EX": "error", "EX002": "info"})
    assert {(f.rule_id, f.severity) for f in found} == {("EX001", Severity.ERROR), ("EX002", Severity.INFO)}
    with pytest.raises(ValueError, match="allowed"):
        lint_text(text, rules=RULES, severity={"EX001": "fatal"})


def test_rules_asking_for_options_receive_them():
    [f] = lint_text("FROM alpine:3.20\n", rules=[reports_options], trusted_registries=["ghcr.io", "quay.io"])
    assert f.message == "ghcr.io,quay.io"


def test_unknown_option_is_a_type_error():
    with pytest.raises(TypeError, match="unknown lint option"):
        lint_text("FROM alpine:3.20\n", rules=RULES, selekt=["EX001"])


def test_per_file_ignores_match_globs_relative_to_the_config(tmp_path):
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Dockerfile.dev").write_text("from alpine:3.20\nADD a /a\n")
    (tmp_path / ".dockerlint.toml").write_text(
        '[per-file-ignores]\n"svc/*.dev" = ["EX002"]\n"**/nothing" = ["EX001"]\n')
    found = lint_path(tmp_path / "svc" / "Dockerfile.dev", rules=RULES)
    assert [f.rule_id for f in found] == ["EX001"]
    assert [f.rule_id for f in lint_path(tmp_path / "svc" / "Dockerfile.dev", rules=RULES, config=False)] == [
        "EX001", "EX002"]


def test_lint_path_reads_the_nearest_config_and_a_bad_one_raises(tmp_path):
    (tmp_path / "Dockerfile").write_text("from alpine:3.20\nADD a /a\n")
    (tmp_path / "pyproject.toml").write_text('[tool.dockerlint]\nignore = ["EX001"]\n')
    assert [f.rule_id for f in lint_path(tmp_path / "Dockerfile", rules=RULES)] == ["EX002"]
    (tmp_path / "pyproject.toml").write_text('[tool.dockerlint]\nignore = "EX001"\n')
    with pytest.raises(ConfigError, match="ignore"):
        lint_path(tmp_path / "Dockerfile", rules=RULES)


def test_lint_path_on_a_directory_lints_every_dockerfile(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Dockerfile").write_text("ADD a /a\n")
    (tmp_path / "b.dockerfile").write_text("ADD a /a\n")
    (tmp_path / "notes.txt").write_text("ADD a /a\n")
    found = lint_path(tmp_path, rules=[no_add], config=False)
    assert sorted(Path(f.path).relative_to(tmp_path).as_posix() for f in found) == ["a/Dockerfile", "b.dockerfile"]


def test_fast_entry_point_scan_agrees_with_importlib_metadata(tmp_path, monkeypatch):
    from importlib.metadata import entry_points as reference

    from dockerlint.registry import entry_points

    dist = tmp_path / "extra_rules-2.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: extra-rules\nVersion: 2.0\n")
    (dist / "entry_points.txt").write_text(
        "[console_scripts]\nx = y:z\n\n[dockerlint.rules]\nextra = extra_rules.pack\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    ours = sorted((ep.name, ep.value) for ep in entry_points())
    theirs = sorted((ep.name, ep.value) for ep in reference(group="dockerlint.rules"))
    assert ours == theirs
    assert ("extra", "extra_rules.pack") in ours and ("builtin", "dockerlint.rules") in ours


def _fake_package(tmp_path, name: str, body: str, **submodules: str) -> None:
    pkg = tmp_path / name
    pkg.mkdir()
    (pkg / "__init__.py").write_text(body)
    for sub, text in submodules.items():
        (pkg / f"{sub}.py").write_text(text)


RULE_SOURCE = '''
from dockerlint.findings import Severity
from dockerlint.rule import rule

@rule(id="{id}", name="{name}", severity=Severity.INFO, category="style")
def r(df):
    """Nothing."""
    return iter(())
'''


def _with_entry_points(monkeypatch, tmp_path, *eps):
    from dockerlint import registry

    monkeypatch.syspath_prepend(str(tmp_path))
    if not any(v == "dockerlint.rules" for _, v in eps):  # an installed dockerlint always has its pack
        eps = (("builtin", "dockerlint.rules"), *eps)
    monkeypatch.setattr(registry, "entry_points",
                        lambda: [registry.EntryPoint(n, v, n) for n, v in eps])
    return registry


def test_plugin_rules_load_from_the_module_and_its_rule_modules(tmp_path, monkeypatch):
    _fake_package(tmp_path, "pack_ok", 'RULE_MODULES = ["one", "pack_ok.two", ".one"]\n',
                  one=RULE_SOURCE.format(id="PK001", name="one"), two=RULE_SOURCE.format(id="PK002", name="two"))
    registry = _with_entry_points(monkeypatch, tmp_path, ("ok", "pack_ok"))
    assert {"PK001", "PK002", "DL1000", "DLINT001"} <= set(registry.load_rules())


@pytest.mark.parametrize("files, message", [
    ({"__init__": 'RULE_MODULES = ["missing"]\n'},
     "rule module 'pack_bad.missing' (listed by pack_bad) failed to import: ModuleNotFoundError"),
    ({"__init__": "raise RuntimeError('broken at import')\n"},
     "plugin 'bad' (pack_bad) failed to load: RuntimeError: broken at import"),
    ({"__init__": 'RULE_MODULES = ["a", "b"]\n', "a": RULE_SOURCE.format(id="PK009", name="a"),
      "b": RULE_SOURCE.format(id="PK009", name="b")},
     "rule id PK009 is defined twice"),
])
def test_broken_plugins_raise_plugin_error_naming_the_culprit(tmp_path, monkeypatch, files, message):
    from dockerlint.registry import PluginError

    name = f"pack_bad_{abs(hash(message))}"  # a fresh module name per case: imports are cached
    _fake_package(tmp_path, name, files.pop("__init__"), **files)
    registry = _with_entry_points(monkeypatch, tmp_path, ("bad", name))
    with pytest.raises(PluginError, match=re.escape(message.replace("pack_bad", name))):
        registry.load_rules()


def test_a_plugin_may_not_redefine_a_builtin_rule_id(tmp_path, monkeypatch):
    from dockerlint.registry import PluginError

    _fake_package(tmp_path, "pack_dup", RULE_SOURCE.format(id="DL3007", name="mine"))
    registry = _with_entry_points(monkeypatch, tmp_path, ("builtin", "dockerlint.rules"), ("dup", "pack_dup"))
    with pytest.raises(PluginError, match="DL3007 is defined twice: by plugin 'builtin'"):
        registry.load_rules()


def test_without_the_builtin_pack_registered_loading_fails_with_one_clear_line(monkeypatch):
    from dockerlint import registry

    monkeypatch.setattr(registry, "entry_points", lambda: [])
    with pytest.raises(registry.PluginError, match=r"^the built-in rules are not registered: dockerlint is "
                                                  r"not installed in this Python \(run `pip install -e \.`"):
        registry.load_rules()


def test_the_cli_says_in_one_line_that_dockerlint_is_not_installed(monkeypatch):
    from click.testing import CliRunner

    from dockerlint import registry
    from dockerlint.cli import main

    monkeypatch.setattr(registry, "entry_points", lambda: [])
    monkeypatch.setattr(registry, "_CACHE", None)
    with CliRunner().isolation(input="FROM alpine:3.20\n") as (out, err, *_):
        code = main(["-"])
    assert code == 2
    assert err.getvalue().decode().strip() == f"dockerlint: error: {registry.NOT_INSTALLED}"
    assert out.getvalue() == b""


def test_lint_path_on_a_missing_path_raises_oserror_as_documented(tmp_path):
    with pytest.raises(OSError, match="no such file or directory"):
        lint_path(tmp_path / "missing")


@pytest.mark.parametrize("line, message", [
    ("RUNN echo hi", "syntax error: unknown instruction: RUNN (did you mean RUN?)"),
    ("copyy a b", "syntax error: unknown instruction: copyy (did you mean COPY?)"),
    ("BANANA x", "syntax error: unknown instruction: BANANA"),
])
def test_unknown_instruction_suggests_the_closest_one(line, message):
    [f] = lint_text(f"FROM alpine:3.20\n{line}\n", select=["DL1000"])
    assert f.message == message


def test_a_rule_module_is_imported_only_when_the_file_has_an_instruction_it_reads():
    import subprocess
    import sys

    code = ("import sys\nfrom dockerlint import lint_text\n"
            "lint_text('FROM alpine:3.20\\nUSER app\\n')\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('dockerlint.rules.'))))\n")
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout.split())
    assert {"dockerlint.rules.base.DL3006", "dockerlint.rules.base.DL3007",
            "dockerlint.rules.security.DL3002"} <= loaded  # they read FROM / USER
    assert not {m for m in loaded if m.startswith(("dockerlint.rules.packages.", "dockerlint.rules.shell."))}
