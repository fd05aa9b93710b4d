"""Applying fixes: conflicts, idempotence, the fix loop, and that a fixed file still means the same."""
from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import given, settings, strategies as st

from dockerlint.engine import Linter
from dockerlint.config import Settings
from dockerlint.findings import Edit, Finding, Fix
from dockerlint.fixes import apply_fixes, unified_diff
from dockerlint.registry import ENGINE_RULES
from dockerlint.syntax import parse
from dockerlint.syntax.nodes import Source

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures" / "plugin" / "src"))
from dockerlint_example_plugin import keyword_case  # noqa: E402
from dockerlint_example_plugin.no_add import no_add  # noqa: E402

SPAN = Source("x").span(0, 0)


def finding(*edits, safe=True, rid="X1"):
    return Finding(message="m", span=SPAN, rule_id=rid, fix=Fix("f", tuple(Edit(*e) for e in edits), safe=safe))


def test_non_overlapping_fixes_all_apply_and_overlapping_ones_wait():
    text = "abcdefgh"
    out, fixed = apply_fixes(text, [finding((0, 2, "AB")), finding((1, 3, "xx")), finding((4, 4, "_"))])
    assert out == "ABcd_efgh"
    assert len(fixed) == 2


def test_unsafe_fixes_and_out_of_range_edits_are_not_applied():
    out, fixed = apply_fixes("abc", [finding((0, 1, "A"), safe=False), finding((2, 9, "?"))])
    assert (out, fixed) == ("abc", [])


def test_identical_fix_from_two_findings_applies_once():
    out, fixed = apply_fixes("abc", [finding((0, 1, "A"), rid="X1"), finding((0, 1, "A"), rid="X2")])
    assert out == "Abc" and len(fixed) == 2


def test_two_insertions_at_one_point_conflict():
    out, fixed = apply_fixes("abc", [finding((1, 1, "1")), finding((1, 1, "2"))])
    assert out == "a1bc" and len(fixed) == 1


def test_unified_diff_names_the_file_and_marks_a_missing_final_newline():
    diff = unified_diff("from a\nrun x", "FROM a\nRUN x", "Dockerfile")
    assert diff.startswith("--- Dockerfile\n+++ Dockerfile\n")
    assert "-from a\n" in diff and "+RUN x\n" in diff and "\\ No newline at end of file" in diff
    assert unified_diff("same", "same", "x") == ""


def _linter():
    rules = {r.id: r for r in [*ENGINE_RULES, keyword_case, no_add]}
    return Linter(dict(sorted(rules.items())))


def test_fix_loop_fixes_everything_fixable_and_keeps_the_rest():
    text = "from alpine:3.20\nadd a /a\nRun echo hi \\\n    there\n"
    result = _linter().lint_data(text, "Dockerfile", Settings(), fix=True)
    assert result.source == "FROM alpine:3.20\nADD a /a\nRUN echo hi \\\n    there\n"
    assert result.original == text
    assert result.fixed == 3
    assert [(f.rule_id, f.span.line) for f in result.findings] == [("EX002", 2)]


instructions = st.sampled_from([("from", "alpine:3.20"), ("run", "echo hi"), ("run", "x \\\n  y"),
                                ("copy", "a b"), ("env", "a=1"), ("label", "a=1 b=2"), ("cmd", '["x"]'),
                                ("workdir", "/app"), ("onbuild", "run echo")])
casings = st.sampled_from([str.lower, str.upper, str.title])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(instructions, casings, st.sampled_from(["", "# note\n", "\n"])), min_size=1, max_size=8))
def test_fixed_file_reparses_to_the_same_instructions_except_the_edited_keywords(parts):
    text = "".join(f"{pre}{case(kw)} {body}\n" for (kw, body), case, pre in parts)
    before = parse(text)
    result = _linter().lint_data(text, "Dockerfile", Settings(), fix=True)
    after = parse(result.source)
    assert len(after.instructions) == len(before.instructions)
    for old, new in zip(before.instructions, after.instructions):
        assert new.keyword == old.keyword
        assert new.args == old.args  # same length keywords: even the spans are unchanged
        assert new.rest == old.rest
        assert result.source[new.keyword_span.start:new.keyword_span.end] == old.keyword
    assert not any(f.rule_id == "EX001" for f in result.findings)
