"""Property tests: generated Dockerfiles parse and every span slices back to its source.

``dockerfiles()`` builds a Dockerfile from parts (instructions, flags, words,
continuations, comment and blank lines, heredocs, the escape directive) and
remembers where each part was written, so the test can check the tree against
the text it came from. Arbitrary bytes must never raise anything but
DockerfileSyntaxError.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerlint.syntax import DockerfileSyntaxError, parse
from dockerlint.syntax.dump import buildkit_dump, json_dump

WORD = st.from_regex(r"[A-Za-z0-9_./:@+%][A-Za-z0-9_./:@+%=-]{0,10}", fullmatch=True)
KEY = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
FLAG_NAME = st.from_regex(r"[a-z][a-z-]{0,7}", fullmatch=True)
FLAG_VALUE = st.from_regex(r"[A-Za-z0-9=,/._:-]{0,12}", fullmatch=True)
BODY_LINE = st.sampled_from(["echo hi", "  indented", "\tTAB", "# not a comment", "", "x \\", "EOF"])

KINDS = {  # keyword -> how BuildKit splits its arguments
    "RUN": "shell", "CMD": "shell", "ENTRYPOINT": "shell", "COPY": "list", "ADD": "list",
    "FROM": "list", "EXPOSE": "list", "VOLUME": "list", "ENV": "pairs", "LABEL": "pairs",
    "ARG": "words", "WORKDIR": "string", "USER": "string",
}


@dataclass
class Expected:
    keyword: tuple[int, str]
    kind: str
    flags: list[tuple[int, str]] = field(default_factory=list)
    words: list[tuple[int, str]] = field(default_factory=list)
    json: bool = False
    heredocs: list[tuple[str, str, str]] = field(default_factory=list)  # name, body, terminator line
    onbuild: bool = False


@dataclass
class Generated:
    text: str
    escape: str
    instructions: list[Expected]
    comment_lines: int
    directives: list[tuple[str, str]]


class _Writer:
    def __init__(self):
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> int:
        at = self.size
        self.parts.append(text)
        self.size += len(text)
        return at


@st.composite
def dockerfiles(draw, newer_syntax: bool = True) -> Generated:
    """``newer_syntax``: also the ``check`` directive and ``<<  EOF`` (BuildKit after 2023)."""
    esc = draw(st.sampled_from(["\\", "`"]))
    out = _Writer()
    comments = 0
    names = ["syntax", "check", "escape"] if newer_syntax else ["syntax", "escape"]
    directives = draw(st.lists(st.sampled_from(names), unique=True).map(
        lambda found: [d for d in found if d != "escape"] + (["escape"] if esc == "`" else [])))
    values = {"syntax": "docker/dockerfile:1", "check": "skip=all;error=true", "escape": esc}
    for name in directives:
        out.write(f"# {name}={values[name]}\n")
    expected: list[Expected] = []
    count = draw(st.integers(1, 5))
    for n in range(count):
        for line in draw(st.lists(st.sampled_from(["\n", "# note\n", "   \n", "#\n"]), max_size=2)):
            comments += line.startswith("#")
            out.write(line)
        keyword = draw(st.sampled_from(sorted(KINDS)))
        kind = KINDS[keyword]
        onbuild = keyword not in ("FROM",) and draw(st.booleans()) and draw(st.booleans())
        if onbuild:
            out.write(draw(st.sampled_from(["ONBUILD ", "onbuild  "])))
        written = draw(st.sampled_from([keyword, keyword.lower(), keyword.title()]))
        exp = Expected(keyword=(out.write(written), written), kind=kind, onbuild=onbuild)
        tokens: list[tuple[str, str]] = []  # (role, text)
        if keyword in ("RUN", "COPY", "ADD", "FROM"):
            for name, value in draw(st.lists(st.tuples(FLAG_NAME, FLAG_VALUE), max_size=2)):
                tokens.append(("flag", f"--{name}={value}"))
        use_json = kind == "shell" and draw(st.booleans()) and draw(st.booleans())
        if use_json:
            exp.json = True
            out.write(" [")
            for k, word in enumerate(draw(st.lists(WORD, min_size=1, max_size=3))):
                exp.words.append((out.write(("" if k == 0 else ", ") + json.dumps(word)) + (0 if k == 0 else 2),
                                  json.dumps(word)))
            out.write("]")
        else:
            if kind == "pairs":
                words = [f"{k}={v}" for k, v in draw(st.lists(st.tuples(KEY, WORD), min_size=1, max_size=3))]
            else:
                words = draw(st.lists(WORD, min_size=1, max_size=4))
            tokens += [("word", w) for w in words]
            if keyword in ("RUN", "COPY", "ADD") and draw(st.booleans()):
                markers = ["<<EOF{}", "<<-EOF{}", "<<'EOF{}'", '<<"EOF{}"', "3<<EOF{}"]
                if newer_syntax and kind == "shell":
                    markers.append("<<  EOF{}")
                for k in range(draw(st.integers(1, 2))):
                    marker = draw(st.sampled_from(markers)).format(k)
                    body = draw(st.lists(BODY_LINE, max_size=3))
                    terminator = ("\t" if "-" in marker and draw(st.booleans()) else "") + f"EOF{k}"
                    tokens.insert(len(tokens) - (kind == "list"), ("word", marker))
                    exp.heredocs.append((f"EOF{k}", "".join(line + "\n" for line in body), terminator))
            for role, text in tokens:
                sep = draw(st.sampled_from([" ", "  ", "\t", "cont", "cont-comment", "cont-blank"]))
                if sep.startswith("cont"):
                    out.write(f" {esc}\n")
                    if sep == "cont-comment":
                        comments += 1
                        out.write("  # inside\n")
                    elif sep == "cont-blank":
                        out.write("\n")
                    sep = draw(st.sampled_from(["", "  ", "\t"]))
                out.write(sep or "")
                if not sep and role == "flag":
                    out.write(" ")  # a flag must not be glued to the keyword
                (exp.flags if role == "flag" else exp.words).append((out.write(text), text))
        last = n == count - 1 and not exp.heredocs
        if not (last and draw(st.booleans())):
            out.write("\n")
        for name, body, terminator in exp.heredocs:
            out.write(body + terminator + "\n")
        expected.append(exp)
    return Generated("".join(out.parts), esc, expected, comments, [(d, values[d]) for d in directives])


def _slice(tree, span) -> str:
    return tree.source.text[span.start:span.end]


def check_tree(gen: Generated) -> None:
    tree = parse(gen.text.encode())
    assert tree.escape == gen.escape
    assert [(d.name, _slice(tree, d.value_span)) for d in tree.directives] == gen.directives
    assert len(tree.instructions) == len(gen.instructions)
    assert len(tree.comments) == gen.comment_lines
    for ins, exp in zip(tree.instructions, gen.instructions):
        if exp.onbuild:
            assert ins.keyword == "ONBUILD"
            ins = ins.inner
        kw_at, kw = exp.keyword
        assert (ins.keyword_span.start, _slice(tree, ins.keyword_span)) == (kw_at, kw)
        assert ins.keyword == kw.upper()
        assert [(f.span.start, _slice(tree, f.span)) for f in ins.flags] == exp.flags
        assert [f.text for f in ins.flags] == [text for _, text in exp.flags]
        words = [w for _, w in exp.words]
        spans = [(a.span.start, _slice(tree, a.span)) for a in ins.args]
        if exp.json:
            assert ins.json_form and [a.value for a in ins.args] == [json.loads(w) for w in words]
            assert spans == exp.words
        elif exp.kind in ("list", "words"):
            assert [a.value for a in ins.args] == words and spans == exp.words
        elif exp.kind == "pairs":
            keys_values = [part for w in words for part in (*w.split("=", 1), "=")]
            assert [a.value for a in ins.args] == keys_values
            assert [s for s, a in zip(spans, ins.args) if a.value != "="] == [
                (at + off, part) for at, w in exp.words
                for off, part in ((0, w.split("=", 1)[0]), (len(w.split("=", 1)[0]) + 1, w.split("=", 1)[1]))]
        else:  # shell or string: one argument, the rest of the line
            assert ins.rest.split() == " ".join(words).split()
            for at, word in exp.words:
                j = ins.rest_offsets.index(at)
                assert ins.rest[j:j + len(word)] == word
                assert _slice(tree, ins.span_of(j, j + len(word))) == word
        assert [(h.name, h.raw_content, _slice(tree, h.span)) for h in ins.heredocs] == [
            (name, body, body + term) for name, body, term in exp.heredocs]
        assert all(tree.source.text[o] == c for o, c in zip(ins.rest_offsets, ins.rest))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfiles())
def test_generated_dockerfiles_parse_and_spans_slice_back(gen: Generated):
    check_tree(gen)
    tree = parse(gen.text)
    buildkit_dump(tree)
    json.dumps(json_dump(tree))


FRAGMENTS = st.sampled_from([
    "FROM a", "RUN ", "run", "ENV ", "LABEL ", "ARG ", "ONBUILD ", "COPY ", "HEALTHCHECK ", "CMD ",
    "SHELL ", "x", "a=b", "\"", "'", "`", "\\", "\n", "\r\n", "\r", "\t", " ", "#", "# escape=`\n",
    "# syntax=x\n", "# check=skip=all\n", "<<EOF", "<<-EOF", "EOF", "3<<", "[", "]", "\"a\",", "1",
    "--flag=", "--", "${", "}", ":-", "$x", "\x00", "\xa0", "\u2028", "é", "\ufeff", "{", "null",
])


def check_invariants(data: bytes | str) -> None:
    try:
        tree = parse(data)
    except DockerfileSyntaxError as e:
        assert e.message and e.span.line >= 1 and e.span.column >= 1
        return
    text = tree.source.text
    assert all(text[d.value_span.start:d.value_span.end] == d.value for d in tree.directives)
    buildkit_dump(tree)
    json.dumps(json_dump(tree))
    lines = [i.span.line for i in tree.instructions]
    assert lines == sorted(lines)
    for ins in tree.instructions:
        for node in (ins, ins.inner) if ins.inner else (ins,):
            assert 0 <= node.span.start <= node.span.end <= len(text)
            assert node.span.line <= node.span.end_line
            assert len(node.rest_offsets) == len(node.rest)
            for o, c in zip(node.rest_offsets, node.rest):
                # equal, except bytes of a character that BuildKit's byte-wise flag loop cut in two
                assert text[o] == c or ("\udc80" <= c <= "\udcff" and not text[o].isascii())
            for part in (*node.flags, *node.args):
                assert 0 <= part.span.start <= part.span.end <= len(text)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_only_raise_syntax_errors(data: bytes):
    check_invariants(data)
    check_invariants(b"FROM a\n" + data)


@settings(max_examples=400, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_dockerfile_like_noise_only_raises_syntax_errors(text: str):
    check_invariants(text)
    check_invariants(text.encode("utf-8", "surrogatepass"))
