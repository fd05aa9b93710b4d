"""A rule id that names no rule is said, never silently dropped: a hadolint id dockerlint lacks on the
command line or in a config, anything unknown in a .hadolint.yaml, an unknown id in an ignore comment
each get one warning line and are skipped; other unknown selectors stay errors (a typo is not a skip)."""
from __future__ import annotations

from pathlib import Path

from cli_run import run_cli

TEXT = "FROM debian:12.7\nCOPY a /a\n"


def run(*args: str, cwd: Path) -> tuple[int, str, list[str]]:
    code, out, err = run_cli(*args, cwd=cwd)
    return code, out, err.splitlines()


def test_unknown_hadolint_ids_on_the_command_line_are_one_warning_each(tmp_path):
    (tmp_path / "Dockerfile").write_text(TEXT)
    code, out, err = run("--ignore", "DL3099", "--ignore", "DL3005", "--ignore", "DL3099", "Dockerfile",
                         cwd=tmp_path)
    assert code == 0 and "No problems" in out
    assert err == [
        "dockerlint: warning: unknown rule 'DL3099' on the command line: no dockerlint rule has that id; "
        "it is skipped",
        "dockerlint: warning: unknown rule 'DL3005' on the command line: no dockerlint rule has that id "
        "(hadolint retired it too); it is skipped"]


def test_other_unknown_selectors_on_the_command_line_stay_errors(tmp_path):
    (tmp_path / "Dockerfile").write_text(TEXT)
    code, _, err = run("--ignore", "DL3O08", "Dockerfile", cwd=tmp_path)
    assert code == 2 and len(err) == 1 and err[0].startswith("dockerlint: error: unknown rule 'DL3O08'")


def test_selecting_only_an_unknown_id_checks_nothing_and_says_so(tmp_path):
    (tmp_path / "Dockerfile").write_text(TEXT)
    code, _, err = run("--select", "DL3099", "Dockerfile", cwd=tmp_path)
    assert code == 2 and "warning: unknown rule 'DL3099'" in err[0] and "enables no rule" in err[1]


def test_hadolint_yaml_unknown_ids_warn_with_the_file(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM debian:12.7\nADD a /a\n")
    (tmp_path / ".hadolint.yaml").write_text("ignored: [DL3020, DL3099, EX002]\noverride:\n  error: [DL3098]\n")
    code, out, err = run("-f", "gnu", "Dockerfile", cwd=tmp_path)
    where = tmp_path / ".hadolint.yaml"
    assert err == [f"dockerlint: warning: unknown rule '{sel}' in {where}: no dockerlint rule has that id; "
                   "it is skipped" for sel in ("DL3099", "EX002", "DL3098")]
    assert "DL3020" not in out  # the known id still applies


def test_a_dockerlint_config_skips_hadolint_ids_with_a_warning_and_rejects_typos(tmp_path):
    (tmp_path / "Dockerfile").write_text(TEXT)
    (tmp_path / ".dockerlint.toml").write_text('ignore = ["DL3099"]\n')
    code, _, err = run("Dockerfile", cwd=tmp_path)
    assert code == 0 and err == [f"dockerlint: warning: unknown rule 'DL3099' in {tmp_path / '.dockerlint.toml'}: "
                                 "no dockerlint rule has that id; it is skipped"]
    (tmp_path / ".dockerlint.toml").write_text('ignore = ["apt-pinn"]\n')
    code, _, err = run("Dockerfile", cwd=tmp_path)
    assert code == 2 and len(err) == 1 and "error:" in err[0] and "'apt-pinn'" in err[0]


def test_unknown_ids_in_ignore_comments_warn_once_with_their_line(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM debian:12.7\n# hadolint ignore=DL3099,SC2086\nRUN true\n"
                                         "# dockerlint global ignore=EX002\n")
    for args in ((), ("--fix",)):  # --fix lints the file again: still one line per id
        code, _, err = run(*args, "Dockerfile", cwd=tmp_path)
        assert [line for line in err if "warning" in line] == [
            "dockerlint: warning: Dockerfile:2: unknown rule 'DL3099' in a `hadolint ignore=` comment: "
            "no dockerlint rule has that id; it suppresses nothing",
            "dockerlint: warning: Dockerfile:4: unknown rule 'EX002' in a `dockerlint ignore=` comment: "
            "no dockerlint rule has that id; it suppresses nothing"]
        from dockerlint import engine

        engine._WARNED.clear()
