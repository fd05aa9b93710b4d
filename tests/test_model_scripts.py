"""Heredoc scripts of RUN: which bodies are shell scripts, and their offsets."""
from __future__ import annotations

import pytest

from dockerlint.model import build
from dockerlint.model.scripts import heredoc_scripts, heredoc_span_of, shebang_shell
from dockerlint.syntax.nodes import Arg, Heredoc, Instruction, Source, SyntaxTree


def run_with_heredoc(rest: str, body: str, chomp: bool = False, crlf: bool = False):
    """A FROM + ``RUN <rest>`` followed by one here-document ``body`` ending in EOF."""
    nl = "\r\n" if crlf else "\n"
    head = "FROM debian:12" + nl
    run_line = "RUN " + rest
    written = body.replace("\n", nl)
    if chomp:
        written = "".join("\t" + line for line in written.splitlines(keepends=True))
    text = head + run_line + nl + written + "EOF" + nl
    source = Source(text)
    from_instr = Instruction("FROM", source.span(0, 4), (), (Arg("debian:12", source.span(5, 14)),), False, (),
                             source.span(0, 14), "FROM debian:12", "debian:12", tuple(range(5, 14)), (), None,
                             source)
    run_start = len(head)
    rest_start = run_start + 4
    marker_at = rest.index("<<")
    marker_end = rest.find(" ", marker_at)
    marker_end = len(rest) if marker_end == -1 else marker_end
    content_start = run_start + len(run_line) + len(nl)
    doc = Heredoc("EOF", body, True, chomp, None, source.span(content_start, len(text)),
                  source.span(rest_start + marker_at, rest_start + marker_end), content_start)
    run = Instruction("RUN", source.span(run_start, run_start + 3), (), (), False, (doc,),
                      source.span(run_start, len(text)), run_line, rest,
                      tuple(range(rest_start, rest_start + len(rest))), (), None, source)
    df = build(SyntaxTree(source, (), (from_instr, run), "\\"))
    return df.instructions[1], doc, source


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
    run, _, _ = run_with_heredoc("cat <<A > /a && sudo bash -e <<EOF", "pip install torch\n")
    # only EOF has a body in this helper; A has none and is not a script
    assert [c.name for c in run.commands][-1] == "pip"


def test_shebang_on_a_shell_stdin_is_only_a_comment():
    run, _, _ = run_with_heredoc("bash <<EOF", "#!/usr/bin/env python3\npip install x\n")
    assert [c.name for c in run.commands] == ["bash", "pip"]
