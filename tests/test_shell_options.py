"""Reading a command line's options: ``Command.options`` / ``arguments`` and the wrappers that use them."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dockerlint.model.options import OptionSpec, read_options
from dockerlint.model.shell import Word, parse_commands

PIP = OptionSpec("re", frozenset({"requirement", "editable", "index-url"}),
                 long_names={"r": "requirement", "e": "editable"})


def one(text: str, **kw):
    return parse_commands(text, **kw)[0]


def test_options_come_with_the_word_holding_their_value():
    text = "pip install -qUr req.txt --index-url=https://x -e ./pkg torch"
    cmd = one(text)
    args = cmd.arguments(PIP)
    assert [(o.option, o.value) for o in args.options] == [
        ("q", None), ("U", None), ("requirement", "req.txt"), ("index-url", "https://x"), ("editable", "./pkg")]
    editable = args.values("editable")[0]
    assert text[editable.value_word.start:editable.value_word.end] == "./pkg"
    assert text[editable.word.start:editable.word.end] == "-e"
    attached = args.values("index-url")[0]
    assert attached.value_word is attached.word  # --index-url=URL: the value is in the option's word
    assert [w.value for w in args.operands] == ["install", "torch"]


def test_reading_from_an_offset():
    cmd = one("python3 -u -m pip install -r req.txt flask")
    assert cmd.argv[3].value == "pip"
    args = cmd.arguments(PIP, start=4)
    assert [w.value for w in args.operands] == ["install", "flask"]
    assert args.has("requirement") and not args.has("u")


def test_end_is_after_the_value():
    cmd = one("python -m pip install")
    [m, *_] = cmd.options(OptionSpec("m", posix=True))
    assert (m.option, m.value, m.end) == ("m", "pip", 3)
    [attached, *_] = one("python -mpip install").options(OptionSpec("m", posix=True))
    assert (attached.value, attached.end) == ("pip", 2)


def test_posix_stops_at_the_first_operand_gnu_does_not():
    cmd = one("tool -a run -b x")
    gnu = cmd.arguments(OptionSpec())
    posix = cmd.arguments(OptionSpec(posix=True))
    assert [o.option for o in gnu.options] == ["a", "b"]
    assert [o.option for o in posix.options] == ["a"]
    assert [w.value for w in posix.operands] == ["run", "-b", "x"]


def test_double_dash_and_unknown_words_are_operands():
    args = one("pip install $FLAGS -- -r x").arguments(PIP)
    assert args.options == ()
    assert [w.value for w in args.operands] == ["install", None, "-r", "x"]


def test_a_dash_word_that_is_no_bundle_is_one_option_with_its_value():
    [opt] = one("curl -Hhttps://x").arguments(OptionSpec()).options
    assert (opt.option, opt.value) == ("H", "https://x")


def test_single_dash_long_options():
    cmd = one("java -jar app.jar -Xmx2g")
    spec = OptionSpec(long_with_value=frozenset({"jar"}), single_dash=frozenset({"jar"}))
    args = cmd.arguments(spec)
    assert args.values("jar")[0].value == "app.jar"


def test_shell_value_letters_anywhere_in_a_bundle_take_the_next_word():
    names = [(c.wrapper, c.name) for c in parse_commands("bash -oe pipefail -c 'pip install x'")]
    assert names == [(None, "bash"), ("bash -c", "pip")]
    plus = [(c.wrapper, c.name) for c in parse_commands("bash +x -c 'pip install x'")]
    assert plus == [(None, "bash"), ("bash -c", "pip")]


def test_wrappers_read_their_options_with_the_same_reader():
    names = [(c.wrapper, c.name) for c in parse_commands("sudo -u app -E env A=1 pip install x")]
    assert names == [(None, "sudo"), ("sudo", "env"), ("env", "pip")]
    assert [c.name for c in parse_commands("command -v pip")] == ["command"]  # -v only looks it up
    su = [(c.wrapper, c.name) for c in parse_commands("su -s /bin/bash app -c 'pip install x'")]
    assert su[-1] == ("su -c", "pip")


_TOKENS = st.sampled_from(["-a", "-ab", "-r", "-qr", "-rX", "--x", "--x=1", "--requirement", "--", "-", "",
                           "word", "+o", "-c=1", None])


@given(st.lists(_TOKENS, max_size=10), st.integers(0, 3), st.booleans(), st.booleans())
def test_every_word_is_read_once(values, start, posix, sh_bundles):
    """Each word from ``start`` on is an option, an option's value or an operand, never
    two of them, except the one ``--`` that ended the options; operands keep their order."""
    words = [Word(v or "", v, i, i + 1) for i, v in enumerate(values)]
    spec = OptionSpec("r", frozenset({"requirement"}), posix=posix, plus=True, sh_bundles=sh_bundles)
    option_words: set[int] = set()
    value_words: list[int] = []
    operands: list[int] = []
    for arg in read_options(words, spec, start):
        if arg.option is None:
            operands.append(arg.index)
            continue
        option_words.add(arg.index)
        if arg.value_word is not None and arg.value_word is not arg.word:
            value_words.append(next(i for i, w in enumerate(words) if w is arg.value_word))
    read = sorted(option_words) + value_words + operands
    assert len(read) == len(set(read))
    left = set(range(start, len(values))) - set(read)
    assert all(values[i] == "--" for i in left) and len(left) <= 1
    assert set(read) <= set(range(start, len(values)))
    assert operands == sorted(operands)
