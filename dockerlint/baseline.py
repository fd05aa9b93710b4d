"""``--add-ignore``: a baseline for legacy repositories, written into the Dockerfiles themselves.

Above each instruction that has findings goes one comment,
``# dockerlint ignore=DL3008,DL3013 added by dockerlint --add-ignore``, with
the instruction's indentation and the file's own line ending. A comment is
inserted only where a line starts an instruction, so never inside a heredoc
or a continuation; a finding outside every instruction becomes one
``# dockerlint global ignore=…`` line above the first instruction (below the
parser directives, which must stay first). Run again, nothing changes: the
findings are suppressed. Syntax errors, crashed rules and unused-suppression
findings are not baselined (a suppression cannot silence them).
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable

from dockerlint.findings import Finding

REASON = "added by dockerlint --add-ignore"
NOT_BASELINED = frozenset({"DL1000", "DLINT001", "DLINT002"})  # syntax, internal error, unused suppression


def add_ignores(text: str, findings: Iterable[Finding]) -> tuple[str, int]:
    """``text`` with suppression comments for ``findings``, and how many comments were added."""
    from dockerlint.syntax import parse
    from dockerlint.syntax.nodes import DockerfileSyntaxError

    wanted = [f for f in findings if f.rule_id and f.rule_id not in NOT_BASELINED]
    if not wanted or ("\r" in text and "\n" not in text):  # old Mac line ends: lines are not what BuildKit sees
        return text, 0
    try:
        tree = parse(text)
    except DockerfileSyntaxError:
        return text, 0
    instructions = tree.instructions
    if not instructions:
        return text, 0
    starts = [ins.span.line for ins in instructions]
    by_line: dict[int, list[str]] = {}  # instruction start line -> rule ids
    global_ids: list[str] = []
    for f in wanted:
        k = bisect.bisect_right(starts, f.span.line) - 1
        if f.span.line >= 1 and k >= 0 and f.span.line <= instructions[k].span.end_line:
            ids = by_line.setdefault(starts[k], [])
        else:
            ids = global_ids
        if f.rule_id not in ids:
            ids.append(f.rule_id)

    source = tree.source
    newline = _newline(text)
    inserts: list[tuple[int, str]] = []
    for line, ids in by_line.items():
        inserts.append((source.line_span(line).start, _comment(text, source.line_span(line).start, ids, "",
                                                                newline)))
    if global_ids:
        first = source.line_span(starts[0]).start
        inserts.append((first, _comment(text, first, global_ids, "global ", newline)))
    out = text
    for offset, comment in sorted(inserts, key=lambda item: item[0], reverse=True):
        out = out[:offset] + comment + out[offset:]
    return out, len(inserts)


def _comment(text: str, line_start: int, ids: list[str], scope: str, newline: str) -> str:
    indent = text[line_start:len(text) - len(text[line_start:].lstrip(" \t"))]
    return f"{indent}# dockerlint {scope}ignore={','.join(sorted(ids))} {REASON}{newline}"


def _newline(text: str) -> str:
    """The file's line ending: the first one it uses (CRLF, LF or CR), LF for a one-line file."""
    for i, char in enumerate(text):
        if char == "\r":
            return "\r\n" if text[i + 1:i + 2] == "\n" else "\r"
        if char == "\n":
            return "\n"
    return "\n"
