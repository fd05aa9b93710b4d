"""Hostile repositories and careless inputs on the command line: nothing runs, nothing hangs,
nothing is lost, every problem is one clear line (issue 8)."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from dockerlint import engine
from dockerlint.cli import main

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def run(*args, cwd=None):
    """(exit code, stdout, stderr) of the installed command, with a timeout: a hang fails the test."""
    proc = subprocess.run([sys.executable, "-m", "dockerlint", *map(str, args)], capture_output=True,
                          text=True, timeout=120, cwd=cwd, errors="replace")
    return proc.returncode, proc.stdout, proc.stderr


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


# ---------------------------------------------------------------- git in a hostile repository

def test_git_config_of_the_linted_tree_runs_nothing(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "Dockerfile").write_text("FROM alpine:3.20\n")
    marker = tmp_path / "pwned"
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    hook.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(hook))
    code, out, err = run(repo)
    assert not marker.exists(), "core.fsmonitor from the linted repository was executed"
    assert code == 0, err


def test_a_corrupt_git_index_is_said(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "Dockerfile").write_text("FROM alpine:3.20\n")
    (repo / ".git" / "index").write_bytes(b"DIRC garbage garbage garbage")
    code, _, err = run(repo)
    assert "warning:" in err and "git cannot list the files" in err and ".gitignore is not applied" in err
    assert code == 0


@pytest.mark.skipif(ROOT, reason="root reads any directory")
def test_an_unreadable_subdirectory_is_said(tmp_path):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "Dockerfile").write_text("FROM alpine:3.20\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "Dockerfile").write_text("FROM alpine:3.20\n")
    locked.chmod(0)
    try:
        code, _, err = run(tmp_path)
        assert code == 0 and "locked" in err and "cannot read directory" in err
        code, _, err = run(locked.parent / "locked")
        assert code == 2
    finally:
        locked.chmod(0o755)


def test_a_deep_directory_tree_is_walked_without_recursion(tmp_path):
    chain = [tmp_path / "deep"]
    for _ in range(1500):  # os.walk recursed once per level: RecursionError past ~1000
        chain.append(chain[-1] / "d")
    for d in chain:
        os.mkdir(d)  # os.makedirs recurses too
    (chain[-1] / "Dockerfile").write_text("FROM alpine\n")
    try:
        code, out, err = run("-f", "gnu", chain[0])
        assert "internal error" not in err, err
        assert code == 1 and "[DL3006]" in out
    finally:
        (chain[-1] / "Dockerfile").unlink()
        for d in reversed(chain):  # shutil.rmtree recurses as well
            os.rmdir(d)


# ---------------------------------------------------------------- paths that are not files

@pytest.mark.parametrize("path", ["/dev/zero", "/dev/urandom"])
def test_a_device_named_as_a_dockerfile_is_refused(path):
    code, _, err = run(path)
    assert code == 2 and f"{path}: cannot read: not a regular file (a character device)" in err


def test_a_fifo_named_as_a_dockerfile_does_not_hang(tmp_path):
    fifo = tmp_path / "Dockerfile"
    os.mkfifo(fifo)
    code, _, err = run(fifo)
    assert code == 2 and "not a regular file (a FIFO)" in err


def test_a_dockerfile_over_4_mib_is_one_line_and_one_of_4_mib_is_linted(tmp_path):
    limit = 4 * 1024 * 1024
    head, line = b"FROM alpine:3.20\n", b"#" * 1023 + b"\n"
    body = head + line * ((limit - len(head)) // len(line))
    body += b"#" * (limit - len(body) - 1) + b"\n"
    (tmp_path / "Dockerfile").write_bytes(body)
    code, out, err = run(tmp_path / "Dockerfile")
    assert code == 0 and err == "", (out[-300:], err)
    (tmp_path / "Dockerfile").write_bytes(body + b"\n")
    code, _, err = run(tmp_path / "Dockerfile")
    assert code == 2 and "larger than the 4 MiB limit" in err and len(err.strip().splitlines()) == 1


def test_a_huge_config_is_one_line(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    (tmp_path / ".dockerlint.toml").write_text("# padding\n" * 200_000)
    code, _, err = run(tmp_path / "Dockerfile")
    assert code == 2 and "cannot read config file: larger than the 1 MiB limit" in err
    assert len(err.strip().splitlines()) == 1


def test_jobs_never_exceed_files_or_cpus(tmp_path, monkeypatch):
    import concurrent.futures

    seen = []
    real = concurrent.futures.ProcessPoolExecutor

    def spy(*args, max_workers=None, **kwargs):
        seen.append(max_workers)
        return real(*args, max_workers=max_workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", spy)
    files = []
    for i in range(3):
        f = tmp_path / f"{i}.Dockerfile"
        f.write_text("FROM alpine:3.20\n")
        files.append(str(f))
    linter = engine.Linter()
    results = list(engine.lint_files(files, linter, jobs=100_000))
    assert [p for p, _ in results] == files
    assert all(w <= min(3, os.cpu_count() or 1) for w in seen)


# ---------------------------------------------------------------- escapes never reach the terminal

def test_escape_sequences_from_a_dockerfile_are_shown_escaped(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM python:3.11\nRUN pip install flask # \x1b]52;c;cHduZWQ=\x07\n")
    code, out, err = run("--diff", f)
    assert "\x1b" not in out and "\x07" not in out and "\\x1b]52" in out
    code, out, err = run("-f", "gnu", "--select", "DL1000", tmp_path / "x\x1b[2J.Dockerfile")
    assert "\x1b" not in err and "\\x1b[2J" in err


def test_escape_sequences_in_gnu_messages_are_shown_escaped(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM alpine:3.20\nRUN \x1b[2J\n")
    code, out, _ = run("-f", "gnu", f)
    assert "\x1b" not in out


# ---------------------------------------------------------------- --fix loses nothing

BEFORE = "FROM python:3.11\nRUN pip install flask\n"
AFTER = "FROM python:3.11\nRUN pip install --no-cache-dir flask\n"


def _fixable(tmp_path, name="Dockerfile"):
    f = tmp_path / name
    f.write_text(BEFORE)
    return f


def test_fix_refuses_a_file_changed_since_it_was_read(tmp_path, monkeypatch, capsys):
    from dockerlint import run as lint_run

    f = _fixable(tmp_path)
    result = engine.Linter().lint_file(str(f), fix=True)
    assert result.original == BEFORE
    f.write_text("FROM python:3.12\nRUN pip install flask\n")  # an editor saved meanwhile
    assert lint_run._write_fixed(result) is False
    assert f.read_text() == "FROM python:3.12\nRUN pip install flask\n"
    assert "changed while it was linted" in capsys.readouterr().err


def test_fix_keeps_setuid_setgid_and_hard_links(tmp_path):
    f = _fixable(tmp_path)
    f.chmod(0o6755)
    code, _, err = run("--fix", f)
    assert f.read_text() == AFTER, err
    assert f.stat().st_mode & 0o7777 == 0o6755
    g = _fixable(tmp_path, "linked.Dockerfile")
    link = tmp_path / "other-name"
    os.link(g, link)
    run("--fix", g)
    assert link.read_text() == AFTER and os.path.samefile(g, link)


def test_fix_keeps_extended_attributes(tmp_path):
    f = _fixable(tmp_path)
    try:
        os.setxattr(f, "user.origin", b"checkout")
    except OSError:
        pytest.skip("no user xattrs on this file system")
    run("--fix", f)
    assert f.read_text() == AFTER
    assert os.getxattr(f, "user.origin") == b"checkout"


def test_fix_respects_a_read_only_file_and_reports_it_as_on_disk(tmp_path):
    f = _fixable(tmp_path)
    f.chmod(0o444)
    code, out, err = run("--fix", "-f", "json", f)
    assert f.read_text() == BEFORE
    assert code == 2 and "fixes not written: the file is read-only" in err
    import json

    assert "DL3042" in {f["rule"] for f in json.loads(out)["findings"]}, "the report must show the findings of the file as it is"


def test_a_report_that_cannot_be_written_keeps_the_previous_one(tmp_path, monkeypatch):
    from dockerlint import run as lint_run

    f = tmp_path / "Dockerfile"
    f.write_text("FROM alpine:3.20\n")
    report = tmp_path / "report.json"
    report.write_text("previous")

    def disk_full(fmt, rep, stream):
        stream.write("{")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(lint_run, "_render", disk_full)
    code = main(["-f", "json", "-o", str(report), str(f)])
    assert code == 2 and report.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".dockerlint")] == []


def test_output_to_a_full_device_is_one_line(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    f = tmp_path / "Dockerfile"
    f.write_text("FROM alpine\n")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "dockerlint", "-f", "gnu", str(f)], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == ["dockerlint: error: cannot write the output: No space left on device"]


def test_a_report_into_a_missing_directory_is_one_line(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM alpine:3.20\n")
    code, out, err = run("-f", "json", "-o", tmp_path / "missing" / "r.json", f)
    assert code == 2
    assert err.strip().splitlines() == [
        f"dockerlint: error: {tmp_path / 'missing' / 'r.json'}: cannot write report: No such file or directory"]


@pytest.mark.parametrize("seconds", ["1e999", "inf", "-inf", "nan", "-1", "0"])
@pytest.mark.parametrize("command", [["--verify-build"], ["verify"]])
def test_a_timeout_that_is_not_a_finite_positive_number_is_one_line(tmp_path, command, seconds):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM alpine:3.20\n")
    code, out, err = run(*command, f"--timeout={seconds}", f)
    assert code == 2 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("dockerlint: error: Invalid value for '--timeout': ")


@pytest.mark.parametrize("command", [[], ["verify"]])
def test_a_context_that_is_not_a_directory_is_one_line(tmp_path, command):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM alpine:3.20\n")
    for context in ("/dev/null", str(f)):
        code, out, err = run(*command, "--context", context, f)
        assert code == 2 and out == ""
        [line] = err.strip().splitlines()
        assert line.startswith("dockerlint: error: Invalid value for '--context': ") and ("directory" in line or "is a file" in line)


# ---------------------------------------------------------------- bytes that are not UTF-8, in every format

HOSTILE_BYTES = (b"FROM debian:12\nRUN apt-get install -y --no-install-recommends curl && echo caf\xe9\n"
                 b"LABEL a\xe9\x1b[2J=1\nUSER r\xe9\x1b]52;c;aGk=\x07\nCMD echo caf\xe9\n")


def _structured(fmt, data):
    if fmt in ("json", "sarif", "gitlab"):
        import json

        return json.loads(data.decode("utf-8"))  # strict: a raw byte or an escaped lone surrogate fails
    import xml.etree.ElementTree as ET

    return ET.fromstring(data)


@pytest.mark.parametrize("fmt", ["tty", "json", "sarif", "github", "gitlab", "checkstyle", "junit", "gnu"])
def test_bytes_that_are_not_utf8_give_a_valid_report_in_every_format(tmp_path, fmt):
    f = tmp_path / "Dockerfile"
    f.write_bytes(HOSTILE_BYTES)
    summary = tmp_path / "summary.md"
    report = tmp_path / f"report.{fmt}"
    proc = subprocess.run([sys.executable, "-m", "dockerlint", "-f", fmt, "-o", str(report), str(f)],
                          capture_output=True, timeout=120, env={**os.environ, "GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 1, proc.stderr  # findings, not an internal error
    data = report.read_bytes()
    assert not re.search(rb"rule \S+ \(\S+\) crashed", data)  # no DLINT001 finding (a rule that crashed)
    text = data.decode("utf-8")  # strict: every format writes valid UTF-8
    assert "\\ud" not in text and "\\udce9" not in text.lower()
    if fmt in ("json", "sarif", "gitlab", "checkstyle", "junit"):
        assert "Invalid label key" in str(data.decode()) and _structured(fmt, data) is not None
    else:  # a log or a terminal: no control character, the byte shown
        assert not [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7f <= ord(c) < 0xa0]
        assert "\\xe9" in text or "\ufffd" in text
    if fmt == "github":
        summary.read_bytes().decode("utf-8")


def test_pre_commit_mode_takes_existing_dash_names_for_files(tmp_path):
    from dockerlint.cli import _pre_commit_args

    for name in ("-oapp.Dockerfile", "-cx.Dockerfile", "--fix"):
        (tmp_path / name).write_text("FROM alpine:3.20\n")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert _pre_commit_args(["--pre-commit", "--force-exclude", "-t", "error", "-oapp.Dockerfile",
                                 "Dockerfile", "-cx.Dockerfile"]) == \
            ["--force-exclude", "-t", "error", "Dockerfile", "--", "-oapp.Dockerfile", "-cx.Dockerfile"]
        assert _pre_commit_args(["--pre-commit", "-o", "report.txt"]) == ["-o", "report.txt"]
        assert _pre_commit_args(["--pre-commit", "--", "-x"]) == ["--", "-x"]
        assert _pre_commit_args(["--fix", "-oapp.Dockerfile"]) == ["--fix", "-oapp.Dockerfile"]  # not a hook
        code, out, err = run("--pre-commit", "-f", "gnu", "-oapp.Dockerfile", "--fix", cwd=tmp_path)
        assert code == 0 and err == "" and (tmp_path / "app.Dockerfile").exists() is False
    finally:
        os.chdir(cwd)
