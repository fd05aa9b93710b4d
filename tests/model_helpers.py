"""Helpers for the model tests: turn Dockerfile text into a model.

``model(text)`` uses the real parser (``dockerlint.syntax.parse``) when it is
present; until then ``simple_tree`` builds syntax nodes for one-line
instructions (no continuations, no heredocs) so scoping can be tested alone.
"""
from __future__ import annotations

import json
import re

from dockerlint.model import build
from dockerlint.syntax.nodes import Arg, Flag, Instruction, Source, SyntaxTree

_FLAG = re.compile(r"--([a-zA-Z][a-zA-Z0-9-]*)(?:=(\S*))?")
_WORD = re.compile(r"(?:\"[^\"]*\"|'[^']*'|\S)+")


def _parser():
    try:
        from dockerlint.syntax import parse
    except ImportError:
        return None
    return parse


def model(text: str, **kwargs):
    parse = _parser()
    tree = parse(text) if parse is not None else simple_tree(text)
    return build(tree, **kwargs)


def simple_tree(text: str) -> SyntaxTree:
    source = Source(text)
    instructions = []
    offset = 0
    escape = "\\"
    for line in text.splitlines(keepends=True):
        start = offset
        offset += len(line)
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped.startswith("#"):
            directive = re.match(r"#\s*escape\s*=\s*(\S)", stripped)
            if directive and not instructions:
                escape = directive.group(1)
            continue
        if not stripped:
            continue
        instructions.append(_instruction(source, start, body))
    return SyntaxTree(source, (), tuple(instructions), escape)


def _instruction(source: Source, start: int, body: str, keyword_offset: int = 0) -> Instruction:
    lead = len(body) - len(body.lstrip())
    pos = start + lead
    text = body[lead:]
    kw_match = _WORD.match(text)
    keyword = kw_match.group(0)
    kw_span = source.span(pos, pos + len(keyword))
    i = len(keyword)
    flags = []
    while True:
        m = re.compile(r"\s+").match(text, i)
        j = m.end() if m else i
        f = _FLAG.match(text, j)
        if not f or keyword.upper() in ("ENV", "LABEL", "ARG"):
            i = j
            break
        value = f.group(2)
        value_span = source.span(pos + f.start(2), pos + f.end(2)) if value is not None else None
        flags.append(Flag(f.group(1), value, source.span(pos + f.start(), pos + f.end()), value_span))
        i = f.end()
    rest = text[i:]
    rest_start = pos + i
    rest_offsets = tuple(range(rest_start, rest_start + len(rest)))
    upper = keyword.upper()
    args: list[Arg] = []
    json_form = False
    inner = None
    if upper == "ONBUILD":
        inner = _instruction(source, rest_start, rest)
    elif upper in ("RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME") and rest.startswith("["):
        try:
            values = json.loads(rest)
            json_form = True
            at = 0
            for value in values:
                lit = json.dumps(value)
                k = rest.find(lit, at)
                args.append(Arg(value, source.span(rest_start + k, rest_start + k + len(lit))))
                at = k + len(lit)
        except ValueError:
            json_form = False
    if not json_form and upper in ("RUN", "CMD", "ENTRYPOINT", "WORKDIR"):
        if rest:
            args.append(Arg(rest, source.span(rest_start, rest_start + len(rest))))
    elif not json_form and upper in ("ENV", "LABEL"):
        words = list(_WORD.finditer(rest))
        if words and "=" not in words[0].group(0):
            key = words[0]
            value_start = words[1].start() if len(words) > 1 else len(rest)
            args += [Arg(key.group(0), source.span(rest_start + key.start(), rest_start + key.end())),
                     Arg(rest[value_start:], source.span(rest_start + value_start, rest_start + len(rest))),
                     Arg("", source.span(rest_start + key.end(), rest_start + key.end()))]
        else:
            for w in words:
                k, _, v = w.group(0).partition("=")
                ks = rest_start + w.start()
                args += [Arg(k, source.span(ks, ks + len(k))),
                         Arg(v, source.span(ks + len(k) + 1, rest_start + w.end())),
                         Arg("=", source.span(ks + len(k), ks + len(k)))]
    elif not json_form and upper != "ONBUILD":
        for w in _WORD.finditer(rest):
            args.append(Arg(w.group(0), source.span(rest_start + w.start(), rest_start + w.end())))
    span = source.span(start, start + len(body))
    return Instruction(upper, kw_span, tuple(flags), tuple(args), json_form, (), span, body.strip(),
                       rest, rest_offsets, (), inner, source)
