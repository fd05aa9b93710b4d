"""Heredoc scripts of RUN: which bodies are shell scripts, and their offsets."""
from __future__ import annotations

import pytest
from model_helpers import model

from dockerlint.model.shell.scripts import heredoc_scripts, heredoc_span_of, shebang_shell


def run_with_heredoc(rest: str, body: str, chomp: bool = False, crlf: bool = False):
    """The RUN of ``FROM debian:12`` + ``RUN <rest>`` + ``body`` + ``EOF``, its heredoc and source."""
    nl = "\r\n" if crlf else "\n"
    if chomp:
        body = "".join("\t" + line for line in body.splitlines(keepends=True))
    text = ("FROM debian:12\nRUN " + rest + "\n" + body + ("\t" if chomp else "") + "EOF\n").replace("\n", nl)
    df = model(text)
    run = df.instructions[1]
    return run, run.syntax.heredocs[-1], df.source


@pytest.mark.parametrize("body, expected", [
    ("#!/bin/bash\nset -e\n", ("/bin/bash",)),
    ("#!/usr/bin/env python3\nprint(1)\n", ("python3",)),
    ("#!/usr/bin/env -S bash -e\n", ("bash",)),
    ("apt-get update\n", None),
])
def test_shebang(body, expected):
    assert shebang_shell(body) == expected


def test_lone_heredoc_body_is_a_shell_script():
    run, doc, source = run_with_heredoc("<<EOF", "apt-get update\napt-get install -y curl\n")
    names = [c.name for c in run.commands]
    assert names == ["apt-get", "apt-get"]
    assert source.slice(run.commands[1].span) == "apt-get install -y curl"


def test_python_shebang_body_is_not_parsed_as_shell():
    run, _, _ = run_with_heredoc("<<EOF", "#!/usr/bin/env python3\nimport os\n")
    assert run.commands == ()


def test_body_fed_to_python_is_not_shell_but_the_command_line_is():
    run, _, _ = run_with_heredoc("python3 <<EOF", "import torch\n")
    assert [c.name for c in run.commands] == ["python3"]


def test_body_fed_to_bash_is_a_script():
    run, doc, _ = run_with_heredoc("bash -e <<EOF", "pip install torch\n")
    assert [c.name for c in run.commands] == ["bash", "pip"]
    assert list(heredoc_scripts(run.syntax, run.shell, run.commands)) == [(doc, ("bash",))]
    assert list(heredoc_scripts(run.syntax, run.shell)) == []  # without the line's commands: unknown reader


def test_bash_dash_c_does_not_read_its_stdin():
    run, _, _ = run_with_heredoc("bash -c 'cat' <<EOF", "pip install torch\n")
    assert "pip" not in [c.name for c in run.commands]


def test_offsets_map_through_chomped_tabs_and_crlf():
    for chomp, crlf in [(True, False), (False, True), (True, True)]:
        run, doc, source = run_with_heredoc("<<-EOF" if chomp else "<<EOF", "echo one\npip install x\n",
                                            chomp=chomp, crlf=crlf)
        span_of = heredoc_span_of(doc, source)
        at = doc.content.index("pip")
        assert source.slice(span_of(at, at + len("pip install x"))) == "pip install x"
        assert source.slice(run.commands[-1].span) == "pip install x"


def test_body_on_the_stdin_of_a_wrapped_shell():
    run, _, _ = run_with_heredoc("cat <<A > /a && sudo bash -e <<EOF", "not a command\nA\npip install torch\n")
    names = [c.name for c in run.commands]
    assert names[-1] == "pip" and "not" not in names


def test_shebang_on_a_shell_stdin_is_only_a_comment():
    run, _, _ = run_with_heredoc("bash <<EOF", "#!/usr/bin/env python3\npip install x\n")
    assert [c.name for c in run.commands] == ["bash", "pip"]


def test_body_on_the_stdin_of_a_shell_running_a_script_file_is_data():
    run, _, _ = run_with_heredoc("bash /opt/setup.sh <<EOF", "pip install torch\n")
    assert [c.name for c in run.commands] == ["bash"]


def test_shell_told_to_read_stdin_with_dash_s():
    run, _, _ = run_with_heredoc("bash -s -- --yes <<EOF", "pip install torch\n")
    assert [c.name for c in run.commands] == ["bash", "pip"]
