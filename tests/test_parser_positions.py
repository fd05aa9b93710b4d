"""What the tree says beyond BuildKit's dump: positions, comments, directives, warnings, limits."""
from __future__ import annotations

import json

import pytest

from dockerlint.syntax import DockerfileSyntaxError, parse
from dockerlint.syntax.dump import buildkit_dump, json_dump


def slice_of(tree, span) -> str:
    return tree.source.text[span.start:span.end]


def test_spans_of_keyword_flags_and_args():
    text = "FROM python:3.12 AS build\nRUN --mount=type=cache,target=/root/.cache --network=none pip install x\n"
    tree = parse(text)
    frm, run = tree.instructions
    assert slice_of(tree, frm.keyword_span) == "FROM"
    assert [slice_of(tree, a.span) for a in frm.args] == ["python:3.12", "AS", "build"]
    assert (run.keyword_span.line, run.keyword_span.column, run.keyword_span.end_column) == (2, 1, 4)
    assert [slice_of(tree, f.span) for f in run.flags] == [
        "--mount=type=cache,target=/root/.cache", "--network=none"]
    mount = run.flag("mount")
    assert (mount.name, mount.value, slice_of(tree, mount.value_span)) == (
        "mount", "type=cache,target=/root/.cache", "type=cache,target=/root/.cache")
    assert run.rest == "pip install x"
    assert slice_of(tree, run.args[0].span) == "pip install x"
    assert run.span.line == 2 and run.span.column == 1


def test_rest_offsets_map_through_continuations():
    text = "FROM a\nRUN apt-get update && \\\n    apt-get install -y \\\n      curl\n"
    tree = parse(text)
    run = tree.instructions[1]
    assert run.rest == "apt-get update &&     apt-get install -y       curl"
    assert len(run.rest_offsets) == len(run.rest)
    assert all(tree.source.text[o] == c for o, c in zip(run.rest_offsets, run.rest))
    start = run.rest.index("curl")
    span = run.span_of(start, start + 4)
    assert (span.line, span.column, span.end_column) == (4, 7, 11)
    assert (run.span.line, run.span.end_line) == (2, 4)


def test_env_label_triples_and_spans():
    tree = parse('FROM a\nENV A=1 B="two words"\nLABEL maintainer me@example.com\n')
    env, label = tree.instructions[1:]
    assert [a.value for a in env.args] == ["A", "1", "=", "B", '"two words"', "="]
    assert [slice_of(tree, a.span) for a in env.args] == ["A", "1", "=", "B", '"two words"', "="]
    assert [a.value for a in label.args] == ["maintainer", "me@example.com", ""]
    sep = label.args[2].span
    assert sep.start == sep.end == label.args[0].span.end


def test_json_form_args_cover_the_literals():
    tree = parse('FROM a\nCMD [ "python", "-m", "app" ]\n')
    cmd = tree.instructions[1]
    assert cmd.json_form
    assert [a.value for a in cmd.args] == ["python", "-m", "app"]
    assert [slice_of(tree, a.span) for a in cmd.args] == ['"python"', '"-m"', '"app"']


def test_heredoc_positions_and_contents():
    text = "FROM a\nRUN <<-EOF bash\n\techo $HOME\n\tEOF\nCOPY <<'A' 3<<B /dst\nx\nA\ny\nB\n"
    tree = parse(text)
    run, copy = tree.instructions[1:]
    (h,) = run.heredocs
    assert (h.name, h.chomp, h.expand, h.content, h.raw_content) == (
        "EOF", True, True, "echo $HOME\n", "\techo $HOME\n")
    assert slice_of(tree, h.marker_span) == "<<-EOF"
    assert slice_of(tree, h.span) == "\techo $HOME\n\tEOF"
    assert tree.source.text[h.content_start:].startswith("\techo")
    assert (run.span.line, run.span.end_line) == (2, 4)
    a, b = copy.heredocs
    assert (a.name, a.expand, a.file_descriptor, b.name, b.file_descriptor) == ("A", False, None, "B", 3)
    assert [slice_of(tree, x.marker_span) for x in (a, b)] == ["<<'A'", "3<<B"]
    assert (copy.span.line, copy.span.end_line) == (5, 9)


def test_onbuild_inner_instruction():
    tree = parse("FROM a\nONBUILD COPY --from=build /out /app\n")
    onbuild = tree.instructions[1]
    inner = onbuild.inner
    assert (onbuild.keyword, inner.keyword) == ("ONBUILD", "COPY")
    assert slice_of(tree, inner.keyword_span) == "COPY"
    assert [slice_of(tree, f.span) for f in inner.flags] == ["--from=build"]
    assert [a.value for a in inner.args] == ["/out", "/app"]
    assert onbuild.rest == "COPY --from=build /out /app"


def test_directives_comments_and_prev_comments():
    text = ("# syntax=docker/dockerfile:1.7\n# check=skip=all\n# escape=`\n\n# build stage\n"
            "# (second line)\nFROM a\n#\n# reset above\nRUN b\n# trailing\n")
    tree = parse(text)
    assert [(d.name, d.value) for d in tree.directives] == [
        ("syntax", "docker/dockerfile:1.7"), ("check", "skip=all"), ("escape", "`")]
    assert tree.escape == "`"
    assert [slice_of(tree, d.value_span) for d in tree.directives] == ["docker/dockerfile:1.7", "skip=all", "`"]
    assert [d.span.line for d in tree.directives] == [1, 2, 3]
    frm, run = tree.instructions
    assert [c.text for c in frm.comments] == ["build stage", "(second line)"]
    assert [c.text for c in run.comments] == ["reset above"]
    assert [c.text for c in tree.trailing_comments] == ["trailing"]
    assert [c.span.line for c in tree.comments] == [5, 6, 8, 9, 11]


def test_directive_after_instruction_or_blank_line_is_a_comment():
    tree = parse("FROM a\n# escape=`\nRUN a `\n")
    assert tree.directives == () and tree.escape == "\\"
    assert tree.instructions[1].rest == "a `"
    tree = parse("# syntax=x\n\n# escape=`\nFROM a\n")
    assert [d.name for d in tree.directives] == ["syntax"]


def test_syntax_and_check_directives_behind_a_shebang():
    tree = parse("#!/usr/bin/env dockerfile-frontend\n# syntax=docker/dockerfile:1\n# check=skip=all\n"
                 "# escape=`\nFROM a\nRUN b `\n")
    assert [(d.name, d.value, d.span.line) for d in tree.directives] == [
        ("syntax", "docker/dockerfile:1", 2), ("check", "skip=all", 3)]
    assert tree.escape == "\\"  # the parser itself stops looking at the shebang line
    assert tree.instructions[1].rest == "b `"


def test_empty_continuation_line_warns_at_that_line():
    tree = parse("FROM a\nRUN a \\\n\n  b\n")
    (w,) = tree.warnings
    assert w.message == "Empty continuation line found in: RUN a   b"
    assert w.span.line == 3
    assert parse("FROM a\nRUN a \\\n  # note\n  b\n").warnings == ()


def test_unknown_instruction_keeps_its_keyword_and_flags():
    tree = parse("FROM a\nfrobnicate --fast now\n")
    ins = tree.instructions[1]
    assert (ins.keyword, ins.args, [f.text for f in ins.flags]) == ("FROBNICATE", (), ["--fast"])


@pytest.mark.parametrize("text, message, line", [
    ("FROM a\nENV PATH\n", "ENV must have two arguments", 2),
    ("FROM a\nCMD [1]\n", "when using JSON array syntax, arrays must be comprised of strings only", 2),
    ("FROM a\nRUN <<EOF\nbody\n", "unterminated heredoc", 2),
    ("# only\n", "file with no instructions", 1),
    ("", "file with no instructions", 1),
])
def test_errors_have_message_and_position(text, message, line):
    with pytest.raises(DockerfileSyntaxError) as err:
        parse(text)
    assert (err.value.message, err.value.span.line) == (message, line)
    assert str(err.value) == f"{line}:{err.value.span.column}: {message}"


LIMIT = 65535  # BuildKit: "dockerfile line greater than max allowed size of 65535"


@pytest.mark.parametrize("size, newline, ok", [
    (LIMIT, True, True), (LIMIT + 1, True, False), (LIMIT, False, True), (LIMIT + 1, False, False),
])
def test_64k_line_limit(size, newline, ok):
    line = b"RUN " + b"x" * (size - 4)
    data = b"FROM a\n" + line + (b"\n" if newline else b"")
    if ok:
        assert len(parse(data).instructions[1].rest) == size - 4
    else:
        with pytest.raises(DockerfileSyntaxError) as err:
            parse(data)
        assert err.value.message == "dockerfile line greater than max allowed size of 65535"
        assert err.value.span.line == 2


def test_64k_limit_counts_bytes_and_the_bom():
    multibyte = b"RUN " + "é".encode() * 32766  # 65536 bytes, 32770 characters
    with pytest.raises(DockerfileSyntaxError):
        parse(b"FROM a\n" + multibyte + b"\n")
    first = b"FROM " + b"a" * (LIMIT - 5) + b"\n"  # exactly at the limit...
    assert parse(first).instructions
    with pytest.raises(DockerfileSyntaxError):  # ...and over it with a BOM in front
        parse(b"\xef\xbb\xbf" + first)


def test_long_line_inside_heredoc_is_an_unterminated_heredoc():
    data = b"FROM a\nRUN <<EOF\n" + b"x" * 70000 + b"\nEOF\n"
    with pytest.raises(DockerfileSyntaxError) as err:
        parse(data)
    assert err.value.message == "unterminated heredoc"


def test_invalid_utf8_and_nul_survive_and_dump_as_go_does():
    data = b"FROM a\nRUN echo \xff\x00\xe2\x82 done\nLABEL k=\xff\n"
    tree = parse(data)
    assert tree.source.text.encode("utf-8", "surrogateescape") == data
    assert buildkit_dump(tree) == (
        '(from "a")\n(run "echo \\xff\\x00\\xe2\\x82 done")\n(label "k" "\ufffd" "=")\n')
    json_dump(tree)


def test_bom_and_crlf_positions():
    tree = parse(b"\xef\xbb\xbfFROM a\r\nRUN b\r\n")
    assert tree.source.had_bom
    frm, run = tree.instructions
    assert (frm.keyword_span.line, frm.keyword_span.column) == (1, 1)
    assert slice_of(tree, run.span) == "RUN b"


def test_str_and_bytes_give_the_same_tree():
    text = "FROM a\nRUN echo héllo \\\n  wörld\n"
    assert buildkit_dump(parse(text)) == buildkit_dump(parse(text.encode()))


def test_json_dump_lists_every_node():
    tree = parse("# escape=\\\nFROM a\nRUN --mount=type=bind <<EOF\nx\nEOF\n")
    data = json_dump(tree)
    assert data["directives"][0]["name"] == "escape"
    run = data["instructions"][1]
    assert run["flags"][0]["name"] == "mount"
    assert run["heredocs"][0]["span"]["line"] == 4
    assert run["span"]["end_line"] == 5


def test_megabyte_inputs():
    with pytest.raises(DockerfileSyntaxError) as err:
        parse(b"FROM a\nRUN " + b"x" * 1_000_000)
    assert err.value.message == "dockerfile line greater than max allowed size of 65535"
    big = b"FROM a\n" + b"RUN echo " + b" \\\n  ".join([b"word"] * 100_000) + b"\n"
    run = parse(big).instructions[1]
    assert run.rest.split() == ["echo"] + ["word"] * 100_000
    noise = bytes(range(256)) * 4096  # a megabyte of every byte value
    try:
        parse(noise)
    except DockerfileSyntaxError as e:
        assert e.span.line >= 1


@pytest.mark.parametrize("rest, words", [  # BuildKit's TestParseWords, seen through ARG
    ("foo", ["foo"]), ("foo bar", ["foo", "bar"]), ("foo\\ bar", ["foo\\ bar"]), ("foo=bar", ["foo=bar"]),
    ("foo bar 'abc xyz'", ["foo", "bar", "'abc xyz'"]), ('foo bar "abc xyz"', ["foo", "bar", '"abc xyz"']),
    ("àöû", ["àöû"]), ('föo bàr "âbc xÿz"', ["föo", "bàr", '"âbc xÿz"']),
])
def test_arg_words_split_like_buildkit(rest, words):
    assert [a.value for a in parse(f"ARG {rest}\n").instructions[0].args] == words


def test_warnings_like_buildkit_empty_continuation_test():
    text = ("\nFROM alpine:3.6\n\nRUN something \\\n\n    following \\\n\n    more\n\nRUN another \\\n\n"
            "    thing\nRUN non-indented \\\n# this is a comment\n   after-comment\n\nRUN indented \\\n"
            "    # this is an indented comment\n    comment\n\t")
    tree = parse(text)
    assert [w.message for w in tree.warnings] == [
        "Empty continuation line found in: RUN something     following     more",
        "Empty continuation line found in: RUN another     thing",
    ]
    assert [w.span.line for w in tree.warnings] == [5, 11]


def test_scanner_error_like_buildkit_test():
    text = "\n\t\tFROM image\n\t\tLABEL test=" + "a" * 65536 + "\n"
    with pytest.raises(DockerfileSyntaxError) as err:
        parse(text)
    assert err.value.message == "dockerfile line greater than max allowed size of 65535"


def test_deep_nesting_does_not_overflow():
    chain = "ONBUILD \\\n" * 3000 + "RUN x\n"
    tree = parse("FROM a\n" + chain)
    ins, depth = tree.instructions[1], 0
    while ins.inner is not None:
        ins, depth = ins.inner, depth + 1
    assert (depth, ins.keyword, ins.rest) == (3000, "RUN", "x")
    assert buildkit_dump(tree).endswith('(run "x")' + ")" * 3000 + "\n")
    deepest = json_dump(tree)["instructions"][1]
    for _ in range(99):
        deepest = deepest["inner"]
    assert deepest["inner"] is None and deepest["inner_truncated"]
    json.dumps(json_dump(tree))
    nested = "${a:-" * 3000 + "}" * 3000
    assert parse(f"FROM a\nRUN echo {nested} <<EOF\n").instructions[1].heredocs == ()
