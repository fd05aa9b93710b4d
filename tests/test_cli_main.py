"""The dockerlint command in-process: exit codes, error lines, outputs, stdin, fixes, sub-commands."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from dockerlint import registry
from dockerlint.findings import Severity
from dockerlint.rule import rule

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures" / "plugin" / "src"))
from cli_run import run_cli
from dockerlint_example_plugin import keyword_case  # noqa: E402
from dockerlint_example_plugin.no_add import no_add  # noqa: E402


@rule(id="TST500", name="crash-on-label", severity=Severity.ERROR, category="correctness")
def crash_on_label(df):
    """Crash on LABEL."""
    if any(ins.keyword == "LABEL" for ins in df.tree.instructions):
        raise KeyError("label")
    return iter(())


@pytest.fixture(autouse=True)
def test_rules(monkeypatch):
    rules = {r.id: r for r in [*registry.ENGINE_RULES, keyword_case, no_add, crash_on_label]}
    monkeypatch.setattr(registry, "_CACHE", dict(sorted(rules.items())))


def run(*args, input=None, cwd=None):
    """(exit code, stdout, stderr) of ``dockerlint ARGS``."""
    return run_cli(*args, input=input, cwd=cwd)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "clean").mkdir()
    (tmp_path / "clean" / "Dockerfile").write_text("FROM alpine:3.20\nCOPY a /a\n")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "Dockerfile").write_text("from alpine:3.20\nADD a /a\n")
    (tmp_path / "style").mkdir()
    (tmp_path / "style" / "Dockerfile").write_text("from alpine:3.20\n")
    return tmp_path


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dockerlint: error: ")
    assert "Traceback" not in err
    return lines[0]


# ---------------------------------------------------------------- exit codes

def test_clean_file_exits_0(project):
    code, out, _ = run("-f", "gnu", project / "clean" / "Dockerfile")
    assert (code, out) == (0, "")


def test_findings_exit_1_and_are_printed(project):
    code, out, _ = run("-f", "gnu", project / "bad" / "Dockerfile")
    assert code == 1
    assert out.splitlines() == [
        f"{project}/bad/Dockerfile:1.1-1.4: style: keyword 'from' should be 'FROM' [EX001]",
        f"{project}/bad/Dockerfile:2.1-2.3: warning: use COPY instead of ADD [EX002]",
    ]


@pytest.mark.parametrize("args, expected", [
    ((), 0),  # default threshold info: a style finding alone does not fail
    (("-t", "style"), 1),
    (("--failure-threshold", "none"), 0),
    (("-t", "ignore"), 0),  # hadolint's name; it never fails here (hadolint: fails on anything)
    (("--severity", "EX001=error"), 1),
    (("--error", "EX001"), 1),
    (("--severity", "EX001=error", "--no-fail"), 0),
])
def test_failure_threshold_severity_and_no_fail(project, args, expected):
    code, out, _ = run("-f", "gnu", *args, project / "style" / "Dockerfile")
    assert code == expected
    assert "EX001" in out


def test_a_crashing_rule_exits_2_but_reports_the_other_findings(project):
    (project / "bad" / "Dockerfile").write_text("from alpine:3.20\nLABEL a=b\n")
    code, out, _ = run("-f", "gnu", project / "bad" / "Dockerfile")
    assert code == 2
    assert "[DLINT001]" in out and "TST500" in out and "KeyError" in out and "[EX001]" in out


def test_binary_file_given_explicitly_is_a_syntax_error_finding(project):
    blob = project / "image.bin"
    blob.write_bytes(bytes(range(256)) * 8)
    code, out, err = run("-f", "gnu", blob)
    assert code == 1 and err == ""
    assert out.count("[DL1000]") == 1 and "syntax error" in out


# ---------------------------------------------------------------- errors: one line, exit 2

@pytest.mark.parametrize("args, message", [
    (("missing/Dockerfile",), "missing/Dockerfile: no such file or directory"),
    (("--select", "NOPE1", "{bad}"), "unknown rule 'NOPE1'"),
    (("--ignore", "EX001,ZZ9", "{bad}"), "unknown rule 'ZZ9'"),
    (("--select", ",", "{bad}"), "--select"),
    (("--severity", "EX001=loud", "{bad}"), "unknown level 'loud'"),
    (("--severity", "EX001", "{bad}"), "expected KEY=VALUE"),
    (("--require-label", "a:phone", "{bad}"), "unknown label format 'phone'"),
    (("--require-label", "org.opencontainers.image.source", "{bad}"), "expected LABEL:FORMAT"),
    (("--context", "no/such/dir", "{bad}"), "'no/such/dir' does not exist"),
    (("--fix", "--diff", "{bad}"), "--fix and --diff cannot be combined"),
    (("--fix", "-"), "--fix/--diff cannot be used with stdin"),
    (("-", "{bad}"), "'-' (stdin) cannot be combined with other paths"),
    (("--stdin-filename", "x", "{bad}"), "--stdin-filename needs '-'"),
    (("--platform", "linux/amd64", "{bad}"), "--platform needs --verify-build"),
    (("-o", "a.json", "-o", "b.json", "-f", "json", "{bad}"), "more --output files than --format"),
    (("-f", "json", "-o", "r.out", "-f", "sarif", "-o", "./r.out", "{bad}"),
     "./r.out: two --format options write to the same --output file"),
    (("-f", "yaml", "{bad}"), "'yaml' is not one of"),
    (("--jobs", "-1", "{bad}"), "-1 is not in the range"),
    (("--config", "nowhere.toml", "{bad}"), "nowhere.toml: config file not found"),
    (("--verify-build", "{bad}", "{bad}"), "--verify-build takes one Dockerfile"),
    (("--no-such-option",), "No such option '--no-such-option'"),
])
def test_bad_input_is_one_clear_line_and_exit_2(project, args, message):
    args = [str(project / "bad" / "Dockerfile") if a == "{bad}" else a for a in args]
    code, out, err = run(*args, cwd=project)
    assert code == 2
    assert message in one_error_line(err)


def test_directory_without_dockerfiles_is_an_error(tmp_path):
    (tmp_path / "README.md").write_text("hi")
    code, _, err = run(tmp_path)
    assert code == 2 and "no Dockerfiles found" in one_error_line(err)


def test_unreadable_file_is_reported_and_the_run_exits_2(project):
    path = "/proc/self/mem"  # exists, is a file, read() fails even for root
    if not os.path.exists(path):
        pytest.skip("no /proc")
    code, out, err = run("-f", "gnu", path, project / "bad" / "Dockerfile")
    assert code == 2
    assert "cannot read" in one_error_line(err)
    assert "[EX002]" in out  # the other file was still linted


def test_bad_config_names_file_and_key(project):
    (project / "pyproject.toml").write_text('[tool.dockerlint]\nfailure-threshold = "loud"\n')
    code, _, err = run(project / "bad" / "Dockerfile")
    line = one_error_line(err)
    assert code == 2 and str(project / "pyproject.toml") in line and "failure-threshold" in line
    assert "'error', 'warning'" in line


def test_unknown_rule_in_config_names_the_file(project):
    (project / ".dockerlint.toml").write_text('ignore = ["EX404"]\n')
    code, _, err = run(project / "bad" / "Dockerfile")
    line = one_error_line(err)
    assert code == 2 and ".dockerlint.toml" in line and "EX404" in line


def test_hadolint_config_with_codes_we_lack_still_lints(project):
    (project / ".hadolint.yaml").write_text("ignored: [SC2086, DL3000, EX002]\noverride:\n  error: [EX001, DL3057]\n")
    code, out, err = run("-f", "gnu", project / "bad" / "Dockerfile")
    assert code == 1
    assert out.splitlines() == [f"{project}/bad/Dockerfile:1.1-1.4: error: keyword 'from' should be 'FROM' [EX001]"]
    # skipped, each said once (these tests install only the example rules: no DL or SC rule)
    assert err.splitlines() == [f"dockerlint: warning: unknown rule {sel!r} in {project / '.hadolint.yaml'}: "
                                "no dockerlint rule has that id; it is skipped"
                                for sel in ("SC2086", "DL3000", "DL3057")]


def test_unknown_target_is_an_error(project):
    code, _, err = run("--target", "nope", project / "bad" / "Dockerfile")
    assert code == 2 and "target stage 'nope' not found" in one_error_line(err)


# ---------------------------------------------------------------- config and CLI precedence

def test_nearest_config_applies_per_file_and_cli_adds_to_it(project):
    (project / ".dockerlint.toml").write_text('ignore = ["EX002"]\n')
    (project / "style" / ".dockerlint.toml").write_text('failure-threshold = "style"\n')
    code, out, _ = run("-f", "gnu", project / "bad", project / "style")
    assert code == 1  # style/ fails on its own threshold
    assert "[EX002]" not in out
    code, out, _ = run("-f", "gnu", "--ignore", "EX001", project / "bad")
    assert (code, out) == (0, "")
    code, out, _ = run("-f", "gnu", "--select", "EX002", "--config", project / ".dockerlint.toml",
                       project / "bad")
    assert code == 1 and out.count("[EX002]") == 1  # the command line's --select replaces the file's choice


def test_verbose_says_which_config_applies(project):
    (project / "style" / ".dockerlint.toml").write_text('ignore = ["EX001"]\n')
    code, _, err = run("-v", "-q", "-f", "gnu", project)
    assert "dockerlint: 3 files to lint" in err
    assert f"1 file uses {project / 'style' / '.dockerlint.toml'}: 4 rules enabled" in err
    assert "2 files use no config file (defaults): 5 rules enabled" in err


# ---------------------------------------------------------------- stdin, outputs

def test_stdin_uses_stdin_filename_for_reports_and_config(project):
    (project / "bad" / ".dockerlint.toml").write_text('ignore = ["EX001"]\n')
    code, out, _ = run("-f", "gnu", "-", "--stdin-filename", project / "bad" / "Dockerfile",
                       input="from alpine:3.20\nADD x /x\n")
    assert code == 1
    assert out == f"{project}/bad/Dockerfile:2.1-2.3: warning: use COPY instead of ADD [EX002]\n"
    code, out, _ = run("-f", "gnu", "-", input="ADD x /x\n", cwd=project / "clean")
    assert out.startswith("-:1.1-1.3: warning:")


def test_formats_pair_with_outputs_in_order_and_extra_formats_go_to_stdout(project):
    code, out, _ = run("-f", "json", "-o", project / "r.json", "-f", "gnu", project / "bad" / "Dockerfile")
    assert code == 1
    data = json.loads((project / "r.json").read_text())
    assert "EX002" in json.dumps(data)
    assert "[EX002]" in out and not out.lstrip().startswith("{")


def test_unwritable_output_is_an_error(project):
    code, _, err = run("-f", "json", "-o", project / "no" / "dir" / "r.json", project / "bad" / "Dockerfile")
    assert code == 2 and "cannot write report" in one_error_line(err)


def test_output_over_a_linted_dockerfile_is_refused(project):
    dockerfile = project / "bad" / "Dockerfile"
    before = dockerfile.read_bytes()
    code, out, err = run("-f", "json", "-o", dockerfile, dockerfile)
    assert code == 2
    assert one_error_line(err) == (f"dockerlint: error: {dockerfile}: refusing to write the json report "
                                   f"over a Dockerfile being linted")
    assert dockerfile.read_bytes() == before


def test_output_over_the_stdin_filename_is_refused(project):
    dockerfile = project / "bad" / "Dockerfile"
    before = dockerfile.read_bytes()
    code, _, err = run("-f", "json", "-o", dockerfile, "--stdin-filename", dockerfile, "-", input=before)
    assert code == 2 and "refusing to write the json report over a Dockerfile being linted" in err
    assert dockerfile.read_bytes() == before


def test_symlink_loop_says_so(project):
    (project / "loop").symlink_to(project / "loop")
    code, _, err = run(project / "loop")
    assert code == 2
    assert one_error_line(err) == f"dockerlint: error: {project / 'loop'}: too many levels of symbolic links"


def test_default_format_comes_from_the_working_directory_config(project):
    (project / ".dockerlint.toml").write_text('format = "gnu"\n')
    code, out, _ = run("bad/Dockerfile", cwd=project)
    assert out.startswith("bad/Dockerfile:1.1-1.4: style:")


def test_quiet_tty_has_no_summary_line(project):
    _, loud, _ = run("--no-color", project / "bad" / "Dockerfile")
    _, quiet, _ = run("--no-color", "-q", project / "bad" / "Dockerfile")
    assert "problem" in loud and "problem" not in quiet and "EX002" in quiet


# ---------------------------------------------------------------- --fix / --diff

def test_fix_rewrites_only_files_with_safe_fixes(project):
    bad = project / "bad" / "Dockerfile"
    clean_mtime = (project / "clean" / "Dockerfile").stat().st_mtime_ns
    code, out, err = run("-f", "gnu", "--fix", project)
    assert bad.read_text() == "FROM alpine:3.20\nADD a /a\n"
    assert (project / "style" / "Dockerfile").read_text() == "FROM alpine:3.20\n"
    assert (project / "clean" / "Dockerfile").stat().st_mtime_ns == clean_mtime
    assert "fixed 2 problems in 2 files" in err
    assert code == 1 and "[EX001]" not in out and "[EX002]" in out


def test_fix_keeps_bom_and_crlf(project):
    bad = project / "bad" / "Dockerfile"
    bad.write_bytes(b"\xef\xbb\xbffrom alpine:3.20\r\nRUN x\r\n")
    run("--fix", bad)
    assert bad.read_bytes() == b"\xef\xbb\xbfFROM alpine:3.20\r\nRUN x\r\n"


def test_fix_that_cannot_be_written_leaves_the_file_whole(project, monkeypatch):
    bad = project / "bad" / "Dockerfile"
    before = bad.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    code, _, err = run("-f", "gnu", "--fix", bad)
    assert code == 2 and "cannot write fixes: No space left on device" in err
    assert bad.read_bytes() == before
    assert sorted(p.name for p in bad.parent.iterdir()) == ["Dockerfile"]  # no temporary file left


def test_fix_through_a_symlink_keeps_the_link_and_the_mode(project):
    real = project / "bad" / "Dockerfile"
    real.chmod(0o640)
    link = project / "link.Dockerfile"
    link.symlink_to(real)
    run("--fix", link)
    assert link.is_symlink() and real.read_text().startswith("FROM alpine:3.20")
    assert real.stat().st_mode & 0o777 == 0o640


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_fix_keeps_the_owner_of_the_file(project):
    bad = project / "bad" / "Dockerfile"
    os.chown(bad, 12345, 12345)  # a CI job running as root over a checkout owned by someone else
    run("--fix", bad)
    assert bad.read_text().startswith("FROM alpine:3.20")
    assert (bad.stat().st_uid, bad.stat().st_gid) == (12345, 12345)


def test_fix_never_rewrites_a_file_that_is_not_utf8(project):
    bad = project / "bad" / "Dockerfile"
    bad.write_bytes(b"from alpine:3.20\nLABEL note=caf\xe9\n")
    code, _, err = run("-f", "gnu", "--fix", "--ignore", "TST500", bad)
    assert bad.read_bytes() == b"from alpine:3.20\nLABEL note=caf\xe9\n"
    assert code == 2 and "not UTF-8" in err


def test_diff_prints_a_patch_and_changes_nothing(project):
    bad = project / "bad" / "Dockerfile"
    before = bad.read_text()
    code, out, _ = run("--diff", "bad/Dockerfile", cwd=project)
    assert code == 1
    assert bad.read_text() == before
    assert out.startswith("--- bad/Dockerfile\n+++ bad/Dockerfile\n")
    assert "-from alpine:3.20" in out and "+FROM alpine:3.20" in out
    patch = project / "p.diff"
    patch.write_text(out)
    if shutil.which("patch"):
        subprocess.run(["patch", "-p0", "-i", str(patch)], cwd=project, check=True, capture_output=True)
        assert bad.read_text() == "FROM alpine:3.20\nADD a /a\n"


def test_diff_names_a_crashed_rule_and_exits_2(project):
    (project / "bad" / "Dockerfile").write_text("from alpine:3.20\nLABEL a=b\n")
    code, out, err = run("--diff", project / "bad" / "Dockerfile")
    assert code == 2 and "+FROM alpine:3.20" in out
    assert "rule TST500 (crash-on-label) crashed: KeyError" in err


def test_diff_exits_0_when_nothing_to_fix(project):
    code, out, _ = run("--diff", project / "clean" / "Dockerfile")
    assert (code, out) == (0, "")


# ---------------------------------------------------------------- discovery

def test_directories_are_searched_honouring_gitignore(tmp_path):
    files = ["Dockerfile", "svc/Dockerfile.prod", "svc/api.Dockerfile", "svc/ci.dockerfile",
             "Containerfile", "Containerfile.dev", "ignored/Dockerfile", "node_modules/x/Dockerfile",
             ".venv/Dockerfile", "env/Dockerfile", "svc/Dockerfile.dockerignore", "Dockerfile-old"]
    for f in files:
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text("ADD a /a\n")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / ".gitignore").write_text("ignored/\n")
    expected = ["Containerfile", "Containerfile.dev", "Dockerfile", "svc/Dockerfile.prod",
                "svc/api.Dockerfile", "svc/ci.dockerfile"]

    def linted():
        _, out, _ = run("-f", "gnu", ".", cwd=tmp_path)
        return sorted({line.split(":")[0] for line in out.splitlines()})

    assert linted() == sorted(expected + ["ignored/Dockerfile"])  # not a git repo: .gitignore means nothing
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert linted() == sorted(expected)


def test_explicit_file_with_any_name_is_linted(project):
    odd = project / "build.txt"
    odd.write_text("ADD a /a\n")
    code, out, _ = run("-f", "gnu", odd)
    assert code == 1 and "[EX002]" in out


# ---------------------------------------------------------------- sub-commands

def test_rules_table_and_json_list_every_rule():
    code, out, _ = run("rules")
    assert code == 0
    assert out.splitlines()[0].split()[:4] == ["ID", "NAME", "SEVERITY", "CATEGORY"]
    assert any(line.startswith("EX001 ") and "keyword-case" in line for line in out.splitlines())
    code, out, _ = run("rules", "--format", "json")
    data = {r["id"]: r for r in json.loads(out)}
    assert data["EX002"]["severity"] == "warning" and data["DLINT002"]["default_enabled"] is False


def test_rules_markdown_documents_plugin_rules_too():
    code, out, _ = run("rules", "--format", "markdown")
    assert code == 0
    assert "EX001" in out and "keyword-case" in out and "Write instruction keywords in upper case." in out


def test_explain_prints_the_rule_docs_and_rejects_unknown_ids():
    code, out, _ = run("explain", "keyword-case")
    assert code == 0 and "EX001" in out and "Write instruction keywords in upper case." in out
    code, _, err = run("explain", "EX404")
    assert code == 2 and "unknown rule 'EX404'" in one_error_line(err)


def test_a_misspelt_rule_suggests_the_closest_id_or_name(project):
    code, _, err = run("--ignore", "EX0001", project / "bad" / "Dockerfile")
    assert code == 2 and one_error_line(err).endswith("did you mean EX001?)")
    code, _, err = run("explain", "keyword-cse")
    assert code == 2 and one_error_line(err).endswith("did you mean keyword-case?)")


def test_explain_with_a_prefix_lists_the_rules_it_matches():
    code, _, err = run("explain", "EX00")
    assert code == 2
    assert one_error_line(err).startswith("dockerlint: error: 'EX00' matches 2 rules (EX001, EX002); ")


def test_help_shows_the_lint_options_and_other_commands():
    code, out, _ = run("--help")
    assert code == 0 and "--failure-threshold" in out and "dockerlint rules" in out


@pytest.mark.parametrize("option", ["--version", "-V"])
def test_version(option):
    code, out, _ = run(option)
    assert code == 0 and out.startswith("dockerlint, version ")


def test_verify_build_passes_every_option_to_the_verify_command(project, monkeypatch):
    calls = []
    fake = types.ModuleType("dockerlint.verify.command")
    fake.run = lambda dockerfile, **kw: calls.append((dockerfile, kw)) or 1
    monkeypatch.setitem(sys.modules, "dockerlint.verify.command", fake)
    import dockerlint.verify
    monkeypatch.setattr(dockerlint.verify, "command", fake, raising=False)
    dockerfile = project / "bad" / "Dockerfile"
    code, _, _ = run("--verify-build", dockerfile, "--context", project, "--build-arg", "A=1",
                     "--target", "t", "--platform", "linux/arm64", "--builder", "buildkit",
                     "--source-date-epoch", "0", "--vary", "--keep-images", "--timeout", "90",
                     "--strict", "-f", "json", "-o", project / "v.json", "-f", "tty", "--no-color")
    assert code == 1
    assert calls == [(str(dockerfile), dict(
        context=str(project), build_args={"A": "1"}, target="t", platform="linux/arm64", builder="buildkit",
        source_date_epoch=0, vary=True, keep_images=True, timeout=90.0, strict=True,
        outputs=[("json", str(project / "v.json")), ("tty", None)], color=False, quiet=False,
        images=(), against=None, list_paths=False))]
    calls.clear()
    code, _, _ = run("verify", dockerfile)
    assert code == 1 and calls[0][1]["builder"] == "auto" and calls[0][1]["context"] == str(project / "bad")
    calls.clear()
    code, _, _ = run("verify", "--image", "a.tar", "--image", "repo/b:1")
    assert code == 1 and calls == [("", calls[0][1])] and calls[0][1]["images"] == ("a.tar", "repo/b:1")
    calls.clear()
    code, _, _ = run("verify", dockerfile, "--against", "repo/app:1.0")
    assert code == 1 and calls[0][1]["against"] == "repo/app:1.0" and calls[0][1]["images"] == ()


def test_commands_known_to_the_entry_point_are_the_click_commands():
    from dockerlint.cli import COMMANDS
    from dockerlint.commands import cli

    assert sorted(COMMANDS) == sorted(cli.commands)


def test_a_file_named_like_a_command_is_linted_with_check(project):
    (project / "rules").write_bytes((project / "bad" / "Dockerfile").read_bytes())
    code, out, _ = run("check", "-f", "gnu", "rules", cwd=project)
    assert code == 1 and out.startswith("rules:")


def test_directory_search_finds_dockerfiles_whatever_characters_their_names_hold(tmp_path):
    from dockerlint.discover import discover

    names = ["a:b\nc.Dockerfile", "Dockerfile.dev\nold", "x.dockerfile"]
    for name in names:
        (tmp_path / name).write_text("FROM alpine:3.20\n")
    for other in ("Dockerfile\n", "notes.txt", "Dockerfile.dockerignore"):  # not Dockerfile names
        (tmp_path / other).write_text("")
    found = {os.path.basename(p) for p in discover([str(tmp_path)])}
    assert found == set(names)


def test_hadolint_format_name_gitlab_codeclimate_gives_the_gitlab_report(project):
    code, out, _ = run("-f", "gitlab_codeclimate", project / "bad" / "Dockerfile")
    assert code == 1
    issues = json.loads(out)
    assert issues and all("fingerprint" in issue and "check_name" in issue for issue in issues)


def test_unwritable_github_step_summary_is_one_clear_error(project, monkeypatch):
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(project / "no" / "dir" / "summary.md"))
    code, out, err = run("-f", "github", project / "bad" / "Dockerfile")
    assert code == 2
    assert one_error_line(err) == (f"dockerlint: error: {project / 'no' / 'dir' / 'summary.md'}: "
                                   f"cannot write the github report: No such file or directory")
    assert "::warning" in out  # the annotations were written before
