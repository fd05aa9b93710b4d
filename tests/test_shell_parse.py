"""Simple commands found in RUN bodies: real idioms, offsets, wrappers, bad input."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dockerlint.model.shell import parse_commands, parse_script

IDIOMS = yaml.safe_load((Path(__file__).parent.parent / "fixtures" / "shell" / "idioms.yaml").read_text())


def render(cmd) -> str:
    words = " ".join("?" if w.value is None else w.value for w in cmd.argv)
    return f"{cmd.wrapper}: {words}" if cmd.wrapper else words


@pytest.mark.parametrize("case", IDIOMS, ids=[c["name"] for c in IDIOMS])
def test_idioms(case):
    script = parse_script(case["script"], dialect=case.get("dialect", "sh"))
    assert [render(c) for c in script.commands] == case["commands"]
    assert script.issues == ()


@pytest.mark.parametrize("case", IDIOMS, ids=[c["name"] for c in IDIOMS])
def test_offsets_slice_back_to_the_raw_words(case):
    text = case["script"]
    for cmd in parse_commands(text, dialect=case.get("dialect", "sh")):
        for word in cmd.argv + cmd.assignments:
            assert text[word.start:word.end] == word.raw
        parts = [(w.start, w.end) for w in cmd.argv + cmd.assignments] + [(r.start, r.end) for r in cmd.redirects]
        if cmd.wrapper is None:
            assert (cmd.start, cmd.end) == (min(s for s, _ in parts), max(e for _, e in parts))
        else:  # unwrapped: from the wrapped command's name to the wrapper's end
            assert cmd.start == cmd.argv[0].start and cmd.end >= cmd.argv[-1].end


def test_words_inside_sh_c_point_into_the_quoted_string():
    text = """bash -c "pip install \\"torch==2.3\\" && echo ok\""""
    inner = [c for c in parse_commands(text) if c.wrapper == "bash -c"]
    pip = inner[0]
    assert [w.value for w in pip.argv] == ["pip", "install", "torch==2.3"]
    assert pip.argv[2].raw == '\\"torch==2.3\\"'
    assert text[pip.argv[2].start:pip.argv[2].end] == '\\"torch==2.3\\"'
    assert text[inner[1].start:inner[1].end] == "echo ok"


def test_redirections_are_not_arguments():
    [cmd] = parse_commands("python train.py --epochs 3 > /log 2>&1 </dev/null")
    assert cmd.args == ("train.py", "--epochs", "3")
    assert [(r.op, r.fd, r.target.value) for r in cmd.redirects] == [
        (">", None, "/log"), (">&", 2, "1"), ("<", None, "/dev/null")]


def test_assignment_prefixes_are_not_arguments():
    [cmd] = parse_commands("PIP_NO_CACHE_DIR=1 CC='gcc -O2' pip install x")
    assert cmd.name == "pip"
    assert [w.value for w in cmd.assignments] == ["PIP_NO_CACHE_DIR=1", "CC=gcc -O2"]
    assert parse_commands("FOO=1") == ()


def test_next_operator_of_each_command():
    cmds = parse_commands("curl -sL x | tar xz && make; make install & wait\nls")
    assert [(c.name, c.next_op) for c in cmds] == [
        ("curl", "|"), ("tar", "&&"), ("make", ";"), ("make", "&"), ("wait", "\n"), ("ls", None)]


def test_resolver_gives_values_and_unknown_variables_stay_unknown():
    env = {"PY": "3.11", "PKGS": "numpy  pandas", "EMPTY": ""}
    [cmd] = parse_commands('$EMPTY pip install "python==$PY" $PKGS ${TORCH} ${MISSING:-x}', resolve=env.get)
    assert cmd.name == "pip"  # an empty unquoted variable disappears
    assert [w.value for w in cmd.argv[2:]] == ["python==3.11", "numpy", "pandas", None, None]
    assert cmd.argv[3].raw == cmd.argv[4].raw == "$PKGS"  # field splitting keeps the source word
    assert cmd.argv[5].unresolved == ("TORCH",)


def test_parameter_defaults_with_a_known_variable():
    env = {"SET": "v", "EMPTY": ""}
    [cmd] = parse_commands('echo ${SET:-d} ${EMPTY:-d} "${EMPTY-d}" ${SET:+alt} ${EMPTY:+alt}x', resolve=env.get)
    assert cmd.args == ("v", "d", "", "alt", "x")


def test_without_resolver_every_expansion_is_unknown():
    cmd, cat = parse_commands('pip install "torch==$TORCH_VERSION" $(cat req.txt)', resolve=None)
    assert cat.args == ("req.txt",)
    assert cmd.args == ("install", None, None)
    assert cmd.argv[2].unresolved == ("TORCH_VERSION",)
    assert cmd.argv[3].substituted


def test_quote_removal():
    [cmd] = parse_commands("""echo 'a b' "c\\"d" e\\ f "$"'$x' ''""")
    assert cmd.args == ("a b", 'c"d', "e f", "$$x", "")


def test_ansi_c_strings_only_in_bash():
    [bash] = parse_commands("printf $'a\\tb'", dialect="bash")
    assert bash.args == ("a\tb",)
    [sh] = parse_commands("printf $'a\\tb'", dialect="sh")
    assert sh.args == ("$a\\tb",)


def test_ampersand_redirect_is_bash_only():
    [bash] = parse_commands("make &> /log", dialect="bash")
    assert bash.redirects[0].op == "&>" and bash.next_op is None
    [sh] = parse_commands("make &> /log", dialect="sh")
    assert sh.next_op == "&"  # dash runs `make` in the background


@pytest.mark.parametrize("text, message", [
    ("echo 'unterminated", "unterminated single quote"),
    ('echo "unterminated', "unterminated double quote"),
    ("echo $(date", "unterminated $("),
    ("if true; then echo", "if without fi"),
    ("for x in a; do echo", "loop without done"),
    ("echo `date", "unterminated backquote"),
    ("done", "unexpected 'done'"),
    ("echo )", "unexpected ')'"),
    ("cat <<EOF\nbody", "heredoc 'EOF' is not terminated"),
])
def test_broken_scripts_keep_their_commands_and_say_what_is_wrong(text, message):
    script = parse_script(text)
    assert message in [i.message for i in script.issues]
    assert script.understood is False
    names = [c.name for c in script.commands]
    if "echo" in text:
        assert "echo" in names


def test_commands_after_a_broken_part_are_still_found():
    script = parse_script("echo ) ; apt-get install -y vim")
    assert [c.name for c in script.commands] == ["echo", "apt-get"]


def test_heredoc_body_lines_are_not_commands():
    script = parse_script("cat <<-'EOF' > /x\n\trm -rf /\n\tEOF\necho after")
    assert [c.name for c in script.commands] == ["cat", "echo"]
    assert script.understood


def test_line_continuations_inside_a_script():
    text = "apt-get install -y \\\n  curl \\\n  git"
    [cmd] = parse_commands(text)
    assert cmd.args == ("install", "-y", "curl", "git")


def test_arithmetic_is_not_a_command():
    script = parse_script("(( i = 1 + 2 )); echo $((i * 2))", dialect="bash")
    assert [c.name for c in script.commands] == ["echo"]
    assert script.understood


def test_nesting_beyond_the_limit_is_reported_not_raised():
    text = "echo " + "$(" * 500 + "x" + ")" * 500
    script = parse_script(text)
    assert script.commands[0].name == "echo"
    assert not script.understood


def test_unwrapped_command_shares_the_wrappers_redirections():
    sudo, tee = parse_commands("sudo tee /etc/apt/sources.list > /dev/null")
    assert tee.wrapper == "sudo" and tee.name == "tee"
    assert [(r.op, r.target.value) for r in tee.redirects] == [(">", "/dev/null")]
    inner = [c for c in parse_commands("sh -c 'cat' > /log") if c.wrapper == "sh -c"]
    assert inner[0].redirects == ()  # a command of an sh -c script has only its own
