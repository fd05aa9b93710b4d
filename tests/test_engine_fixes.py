"""Applying fixes: conflicts, idempotence, the fix loop, and that a fixed file still means the same."""
from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.config import Settings
from dockerlint.engine import Linter
from dockerlint.findings import Edit, Finding, Fix, Severity
from dockerlint.fixes import apply_fixes, unified_diff
from dockerlint.registry import ENGINE_RULES
from dockerlint.rule import rule
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


@rule(id="TST600", name="breaks-the-file", severity=Severity.WARNING, category="style", fixable=True)
def breaks_the_file(df):
    """Offer a 'fix' that leaves ENV without a value (BuildKit rejects that)."""
    for ins in df.tree.instructions:
        if ins.keyword == "ENV":
            span = ins.span
            yield Finding(message="bad fix", span=span,
                          fix=Fix("break it", (Edit(span.start, span.end, "ENV PATH"),)))


def test_a_fix_that_would_make_the_file_invalid_is_never_applied():
    rules = {r.id: r for r in [*ENGINE_RULES, keyword_case, breaks_the_file]}
    linter = Linter(dict(sorted(rules.items())))
    text = "from alpine:3.20\nENV A=1\n"
    result = linter.lint_data(text, "Dockerfile", Settings(), fix=True)
    assert result.source == "FROM alpine:3.20\nENV A=1\n"  # the good fix is kept, the breaking one is not
    assert result.original == text and result.fixed == 1
    assert [f.rule_id for f in result.findings] == ["TST600"]


edit_strategy = st.tuples(st.integers(0, 30), st.integers(0, 6), st.text("xyz", max_size=4))


@settings(max_examples=200, deadline=None)
@given(st.text("abcdef\n", min_size=0, max_size=30), st.lists(st.lists(edit_strategy, min_size=1, max_size=3),
                                                            max_size=6))
def test_accepted_fixes_never_overlap_and_apply_like_one_by_one_edits(text, fixes):
    findings = [Finding(message="m", span=SPAN, rule_id=f"R{i}",
                        fix=Fix("f", tuple(Edit(s, s + n, r) for s, n, r in edits)))
                for i, edits in enumerate(fixes)]
    out, fixed = apply_fixes(text, findings)
    edits = sorted({e for f in fixed for e in f.fix.edits}, key=lambda e: (e.start, e.end))
    for a, b in zip(edits, edits[1:]):
        assert a.end <= b.start and not (a.start == a.end == b.start == b.end)
    expected = text
    for e in reversed(edits):
        expected = expected[:e.start] + e.replacement + expected[e.end:]
    assert out == expected
    assert all(0 <= e.start <= e.end <= len(text) for e in edits)
    assert apply_fixes(text, [])[0] == text


def test_apply_fixes_agrees_with_pairwise_checks_on_random_edits():
    """The bisected overlap check accepts exactly what checking every pair accepted (hypothesis)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from dockerlint.findings import Edit, Finding, Fix
    from dockerlint.fixes import _overlap, apply_fixes
    from dockerlint.syntax.nodes import Span

    text = "0123456789" * 3

    def edit(draw_start, length, rep):
        return Edit(draw_start, min(len(text), draw_start + length), rep)

    edits_st = st.builds(edit, st.integers(0, len(text)), st.integers(0, 4), st.sampled_from(["", "x", "yy"]))

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.lists(edits_st, min_size=1, max_size=3), max_size=12))
    def check(fixes):
        findings = [Finding(message=str(i), span=Span(0, 0, 1, 1, 1, 1), rule_id="X1",
                            fix=Fix(description="d", edits=tuple(es), safe=True)) for i, es in enumerate(fixes)]
        out, fixed = apply_fixes(text, findings)
        # the reference: the quadratic loop this replaced
        candidates = sorted(findings, key=lambda f: (min(e.start for e in f.fix.edits), f.rule_id))
        accepted, seen, expected = [], set(), []
        for f in candidates:
            es = tuple(sorted(f.fix.edits, key=lambda e: (e.start, e.end)))
            if es in seen:
                expected.append(f)
                continue
            pairwise = any(_overlap(a, b) for i, a in enumerate(es) for b in es[i + 1:])
            if pairwise or any(_overlap(a, b) for a in es for b in accepted):
                continue
            accepted.extend(es)
            seen.add(es)
            expected.append(f)
        ref = text
        for e in sorted(accepted, key=lambda e: (e.start, e.end), reverse=True):
            ref = ref[:e.start] + e.replacement + ref[e.end:]
        assert fixed == expected and out == ref

    check()


def test_twenty_thousand_fixes_are_applied_in_linear_time(monkeypatch):
    from dockerlint import fixes
    from dockerlint.findings import Edit, Finding, Fix
    from dockerlint.syntax.nodes import Span

    n = 20000
    text = "RUN apt-get install p\n" * n
    findings = [Finding(message="m", span=Span(0, 0, 1, 1, 1, 1), rule_id="X1",
                        fix=Fix(description="d", edits=(Edit(i * 22 + 19, i * 22 + 19, " -y"),), safe=True))
                for i in range(n)]
    calls = []
    real = fixes._overlap
    monkeypatch.setattr(fixes, "_overlap", lambda a, b: calls.append(1) or real(a, b))
    out, fixed = fixes.apply_fixes(text, findings)
    assert len(fixed) == n and out == "RUN apt-get install -y p\n" * n
    assert len(calls) < 4 * n  # each fix was checked against every accepted edit: n * n / 2 checks
