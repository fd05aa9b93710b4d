"""--add-ignore: turn dockerlint on in a legacy repository today, fix later."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint import lint_text
from dockerlint.baseline import add_ignores
from dockerlint.cli import main

LEGACY = (
    "# syntax=docker/dockerfile:1\n"
    "FROM python:latest AS build\n"
    "  RUN pip install flask && \\\n"
    "      pip install numpy\n"
    "RUN <<EOF\n"
    "pip install requests\n"
    "EOF\n"
    "FROM build\n"
    "COPY . /app\n"
)


def lint(capsys, monkeypatch, cwd, *args):
    monkeypatch.chdir(cwd)
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_ignore_suppresses_every_finding_and_is_idempotent(tmp_path, capsys, monkeypatch):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_bytes(LEGACY.replace("\n", "\r\n").encode())
    assert lint(capsys, monkeypatch, tmp_path, "Dockerfile")[0] == 1
    code, _, err = lint(capsys, monkeypatch, tmp_path, "--add-ignore", ".")
    assert code == 0 and err == "dockerlint: added 3 suppressions in 1 file\n"
    text = dockerfile.read_bytes().decode()
    assert text.split("\r\n")[:5] == [
        "# syntax=docker/dockerfile:1",  # the directive stays first
        "# dockerlint ignore=DL3007 added by dockerlint --add-ignore",
        "FROM python:latest AS build",
        "  # dockerlint ignore=DL3013,DL3042 added by dockerlint --add-ignore",  # the instruction's indentation
        "  RUN pip install flask && \\",
    ]
    assert "\n" not in text.replace("\r\n", "")  # CRLF kept on every line
    assert "# dockerlint ignore=DL3013,DL3042 added by dockerlint --add-ignore\r\nRUN <<EOF\r\n" in text
    code, out, _ = lint(capsys, monkeypatch, tmp_path, "Dockerfile")
    assert code == 0 and out.strip() == "No problems found in 1 file."
    code, _, err = lint(capsys, monkeypatch, tmp_path, "--add-ignore", ".")
    assert code == 0 and err == "dockerlint: added 0 suppressions in 0 files\n"
    assert dockerfile.read_bytes().decode() == text


def test_add_ignore_keeps_a_bom_and_skips_files_that_do_not_parse(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.Dockerfile").write_bytes(b"\xef\xbb\xbfFROM python:latest\n")
    broken = b"FROM python:latest\nRUN <<EOF\npip install x\n"  # unterminated heredoc
    (tmp_path / "b.Dockerfile").write_bytes(broken)
    lint(capsys, monkeypatch, tmp_path, "--add-ignore", ".")
    assert (tmp_path / "a.Dockerfile").read_bytes() == (
        b"\xef\xbb\xbf# dockerlint ignore=DL3007 added by dockerlint --add-ignore\nFROM python:latest\n")
    assert (tmp_path / "b.Dockerfile").read_bytes() == broken


def test_add_ignore_refuses_fix_and_stdin(tmp_path, capsys, monkeypatch):
    code, _, err = lint(capsys, monkeypatch, tmp_path, "--add-ignore", "--fix", ".")
    assert code == 2 and "--add-ignore" in err
    code, _, err = lint(capsys, monkeypatch, tmp_path, "--add-ignore", "-")
    assert code == 2 and "--add-ignore" in err


LINES = st.sampled_from([
    "FROM python:latest", "FROM alpine", "RUN pip install flask", "RUN apt-get install -y curl", "",
    "# a comment", "RUN echo a && \\", "    pip install x", "RUN <<EOF", "pip install y", "EOF",
    "USER root", "CMD python app.py", "  RUN pip install z",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_a_baselined_file_has_no_findings_and_the_same_instructions(lines, newline):
    text = newline.join(lines) + newline
    findings = lint_text(text, path="Dockerfile")
    if any(f.rule_id == "DL1000" for f in findings):
        return  # a file that does not parse is left alone
    out, added = add_ignores(text, findings)
    assert [f.rule_id for f in lint_text(out, path="Dockerfile") if f.rule_id != "DLINT002"] == []
    assert add_ignores(out, lint_text(out, path="Dockerfile")) == (out, 0)
    # only comment lines were added: removing them gives the original bytes back
    kept = [line for line in out.split(newline) if "added by dockerlint --add-ignore" not in line]
    assert newline.join(kept) == text and (added > 0) == bool(findings)
