"""Command helpers (options, positional args, spans) and shell recognition."""
from __future__ import annotations

import pytest

from dockerlint.model.shell import Command, is_posix_shell, parse_commands, shell_dialect
from dockerlint.syntax.nodes import Source


def one(text: str, **kw) -> Command:
    return parse_commands(text, **kw)[0]


@pytest.mark.parametrize("text, names, expected", [
    ("apt-get install -y curl", ("y",), True),
    ("apt-get install -qy curl", ("y",), True),  # bundled short flags
    ("apt-get install --yes curl", ("y", "yes"), True),
    ("apt-get install --assume-yes curl", ("yes",), False),
    ("apt-get install curl", ("y", "yes", "assume-yes"), False),
    ("pip install --no-cache-dir x", ("no-cache-dir",), True),
    ("pip install --no-cache-dir=1 x", ("no-cache-dir",), True),
    ("pip install -- --no-cache-dir", ("no-cache-dir",), False),  # after --: an operand
    ("apt-get -o Dpkg::Options::=--force-confold install", ("f",), False),
    ("java -jar app.jar", ("-jar",), True),  # spelled with its dash: exact
    ("java -jar app.jar", ("jar",), False),
    ("apt-get install -y $FLAGS", ("q",), False),  # an unknown value is no option
])
def test_has_option(text, names, expected):
    assert one(text).has_option(*names) is expected


def test_option_value_forms():
    cmd = one("pip install -i https://a --index-url=https://b -chttps://c -c ./constraints.txt x")
    assert cmd.option_value("index-url") == "https://b"
    assert cmd.option_values("i") == ("https://a",)
    assert cmd.option_values("c") == ("https://c", "./constraints.txt")
    assert cmd.option_value("c") == "./constraints.txt"  # the last one wins
    assert cmd.option_value("extra-index-url") is None


def test_option_value_of_a_bundle_takes_the_next_word():
    assert one("tar -xzf archive.tgz -C /opt").option_value("f") == "archive.tgz"
    assert one("curl -fsSLo /tmp/x https://e").option_value("o") == "/tmp/x"


def test_option_value_that_is_not_resolvable_is_none():
    assert one("pip install --index-url $URL torch").option_value("index-url") is None


def test_positional_skips_options_and_their_values():
    cmd = one("pip install -U -r requirements.txt --index-url https://x torch==2.3 -- -weird")
    values = [w.value for w in cmd.positional(takes_value=("r", "index-url"))]
    assert values == ["install", "torch==2.3", "-weird"]
    assert [w.value for w in cmd.positional()] == ["install", "requirements.txt", "https://x", "torch==2.3", "-weird"]


def test_args_and_program():
    cmd = one("/usr/local/bin/pip3 install 'numpy<2'")
    assert cmd.name == "/usr/local/bin/pip3"
    assert cmd.program == "pip3"
    assert cmd.args == ("install", "numpy<2")


def test_name_is_none_when_not_literal():
    assert one("$PIP install x").name is None
    assert one("$PIP install x", resolve={"PIP": "pip3"}.get).name == "pip3"


def test_with_spans_maps_every_offset():
    source = Source("RUN pip install torch 2>/dev/null\n")
    base = 4  # the body starts after "RUN "
    cmd = one(source.text[base:].rstrip("\n")).with_spans(lambda s, e: source.span(base + s, base + e))
    assert cmd.span.line == 1 and cmd.span.column == 5
    assert source.slice(cmd.argv[2].span) == "torch"
    assert source.slice(cmd.redirects[0].target.span) == "/dev/null"
    assert source.slice(cmd.span) == "pip install torch 2>/dev/null"


@pytest.mark.parametrize("shell, dialect", [
    ((), "sh"),
    (("/bin/sh", "-c"), "sh"),
    (("/bin/bash", "-o", "pipefail", "-c"), "bash"),
    (("dash", "-c"), "sh"),
    (("/sbin/ash", "-c"), "sh"),
    (("zsh", "-c"), "bash"),
    (("/bin/busybox", "sh", "-c"), "sh"),
    (("/usr/bin/env", "bash", "-c"), "bash"),
    (("powershell", "-Command"), None),
    (("pwsh", "-c"), None),
    (("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "-Command"), None),
    (("cmd", "/S", "/C"), None),
    (("cmd.exe", "/c"), None),
    (("fish", "-c"), None),
])
def test_shell_recognition(shell, dialect):
    assert shell_dialect(shell) == dialect
    assert is_posix_shell(shell) is (dialect is not None)
