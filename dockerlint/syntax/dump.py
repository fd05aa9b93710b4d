"""Print a SyntaxTree: BuildKit's ``Node.Dump()`` text, or a JSON-ready dict.

``buildkit_dump`` reproduces the ``result`` files of BuildKit's parser tests
byte for byte, which is how the parser is checked against BuildKit.
``json_dump`` shows every node with its values and exact positions.
"""
from __future__ import annotations

from .gotext import GO_SPACE, go_lower, go_quote
from .nodes import Instruction, Span, SyntaxTree
from .parser import _SPLIT, KNOWN


def _keyword(ins: Instruction) -> str:
    """The keyword as written, taken from the joined line (it may straddle a continuation)."""
    return _SPLIT.split(ins.original.strip(GO_SPACE), 1)[0]


def _dump(ins: Instruction) -> str:
    """One instruction's sexp; ONBUILD's inner instruction nested (built innermost first)."""
    chain = []
    while ins is not None:
        chain.append(ins)
        ins = ins.inner
    text = None
    for node in reversed(chain):
        lower = go_lower(_keyword(node))
        parts = [lower]
        if node.flags:
            parts.append(" [" + " ".join(go_quote(f.text) for f in node.flags) + "]")
        if text is not None:
            parts.append(" (" + text + ")")
        elif lower not in KNOWN:
            parts.append(' ""')  # BuildKit keeps unknown instructions with one empty argument
        else:
            parts.extend(" " + go_quote(a.value) for a in node.args)
        text = "".join(parts).strip(GO_SPACE)
    return text


def buildkit_dump(tree: SyntaxTree) -> str:
    """What BuildKit's parser tests print for this file (``result.AST.Dump() + "\\n"``)."""
    return "".join(f"({_dump(ins)})\n" for ins in tree.instructions).strip(GO_SPACE) + "\n"


def _span(span: Span | None) -> dict | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "line": span.line, "column": span.column,
            "end_line": span.end_line, "end_column": span.end_column}


MAX_NESTING = 100  # ONBUILD in ONBUILD ...: BuildKit refuses even two; JSON encoders recurse


def _instruction(ins: Instruction) -> dict:
    chain = []
    while ins is not None and len(chain) < MAX_NESTING:
        chain.append(ins)
        ins = ins.inner
    inner = None
    for node in reversed(chain):  # innermost first
        inner = _one_instruction(node, inner)
    if ins is not None:
        inner_most = inner
        while inner_most["inner"] is not None:
            inner_most = inner_most["inner"]
        inner_most["inner_truncated"] = True  # deeper ONBUILD levels are left out
    return inner


def _one_instruction(ins: Instruction, inner: dict | None) -> dict:
    return {
        "kind": "instruction",
        "keyword": ins.keyword,
        "keyword_span": _span(ins.keyword_span),
        "span": _span(ins.span),
        "flags": [{"kind": "flag", "name": f.name, "value": f.value, "span": _span(f.span),
                   "value_span": _span(f.value_span)} for f in ins.flags],
        "args": [{"kind": "arg", "value": a.value, "span": _span(a.span)} for a in ins.args],
        "json_form": ins.json_form,
        "heredocs": [{
            "kind": "heredoc", "name": h.name, "content": h.content, "raw_content": h.raw_content,
            "expand": h.expand, "chomp": h.chomp, "file_descriptor": h.file_descriptor,
            "span": _span(h.span), "marker_span": _span(h.marker_span),
        } for h in ins.heredocs],
        "original": ins.original,
        "rest": ins.rest,
        "comments": [_comment(c) for c in ins.comments],
        "inner": inner,
    }


def _comment(c) -> dict:
    return {"kind": "comment", "text": c.text, "span": _span(c.span)}


def json_dump(tree: SyntaxTree) -> dict:
    """Every node of the tree with its kind, values and positions (JSON-serialisable)."""
    return {
        "kind": "dockerfile",
        "path": tree.source.path,
        "escape": tree.escape,
        "had_bom": tree.source.had_bom,
        "directives": [{"kind": "directive", "name": d.name, "value": d.value, "span": _span(d.span),
                        "value_span": _span(d.value_span)} for d in tree.directives],
        "instructions": [_instruction(i) for i in tree.instructions],
        "comments": [_comment(c) for c in tree.comments],
        "trailing_comments": [_comment(c) for c in tree.trailing_comments],
        "warnings": [{"kind": "warning", "message": w.message, "span": _span(w.span)}
                     for w in tree.warnings],
    }
