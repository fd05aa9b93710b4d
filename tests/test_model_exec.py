"""Commands of exec-form RUN and CMD: the argv, what it wraps, and the script of ``sh -c``."""
from __future__ import annotations

from model_helpers import model


def instr_of(text: str, keyword: str = "RUN"):
    df = model(text)
    return next(i for i in df.instructions if i.keyword == keyword), df.source


def test_sh_dash_c_script_is_parsed_with_exact_spans():
    run, source = instr_of('FROM debian:12\nRUN ["sh", "-c", "apt-get update && apt-get install -y curl"]\n')
    assert [(c.wrapper, c.name) for c in run.commands] == [(None, "sh"), ("sh -c", "apt-get"), ("sh -c", "apt-get")]
    install = run.commands[-1]
    assert source.slice(install.span) == "apt-get install -y curl"
    assert source.slice(install.argv[-1].span) == "curl"
    assert install.has_option("y")


def test_escapes_in_the_literal_give_each_word_the_whole_literal():
    text = 'FROM python:3.12\nRUN ["bash", "-c", "pip install \\"torch==2.3\\" numpy"]\n'
    run, source = instr_of(text)
    pip = next(c for c in run.commands if c.name == "pip")
    assert [w.value for w in pip.argv] == ["pip", "install", "torch==2.3", "numpy"]
    literal = '"pip install \\"torch==2.3\\" numpy"'
    assert {source.slice(w.span) for w in pip.argv} == {literal}
    assert source.slice(pip.span) == literal


def test_wrappers_in_exec_form_are_unwrapped():
    run, _ = instr_of('FROM debian:12\nRUN ["sudo", "-E", "apt-get", "install", "-y", "git"]\n')
    assert [(c.wrapper, c.name) for c in run.commands] == [(None, "sudo"), ("sudo", "apt-get")]


def test_exec_form_argv_is_not_expanded_but_the_sh_c_script_is():
    run, _ = instr_of('FROM python:3.12\nENV PKG=torch\nRUN ["pip", "install", "$PKG"]\n'
                      'RUN ["sh", "-c", "pip install $PKG"]\n')
    df = run.dockerfile
    first, second = [i for i in df.instructions if i.keyword == "RUN"]
    assert first.commands[0].argv[-1].value == "$PKG"  # no shell: the text is the argument
    assert second.commands[-1].argv[-1].value == "torch"


def test_exec_form_does_not_depend_on_the_shell():
    run, _ = instr_of('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\n'
                      'RUN ["cmd", "/S", "/C", "dir"]\n')
    assert [c.name for c in run.commands] == ["cmd"]


def test_exec_form_across_continuation_lines():
    run, source = instr_of('FROM python:3.12\nRUN ["pip", "install", \\\n    "flask"]\n')
    assert [source.slice(w.span) for w in run.commands[0].argv] == ['"pip"', '"install"', '"flask"']
    assert run.commands[0].argv[-1].span.line == 3


def test_empty_exec_form_has_no_command():
    run, _ = instr_of("FROM python:3.12\nRUN []\n")
    assert run.commands == ()


def test_cmd_exec_form_has_no_commands():
    """An exec-form CMD may be only the arguments of an ENTRYPOINT (the base image's, say)."""
    cmd, _ = instr_of('FROM python:3.12\nCMD ["-f", "/dev/null"]\n', "CMD")
    assert cmd.cmd.commands == () and cmd.commands == ()
