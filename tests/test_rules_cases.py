"""Every built-in rule against its case file, ``fixtures/rules/<ID>.yaml``,
through the public ``dockerlint.lint_text``, exactly as a user would run it.

A case lists the findings expected (rule id, line and column of the span start,
optionally a message substring); the findings produced must be exactly those.
``fixed`` is the text after one pass of the safe fixes. The examples in each
rule's docstring are checked too: "Bad" must trigger the rule, "Good" must not.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dockerlint import lint_text
from dockerlint.docs import builtin_rules
from dockerlint.fixes import apply_fixes

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
PACK_RULES = {r.id: r for r in builtin_rules() if r.module.startswith("dockerlint.rules.")}


def _load() -> list:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["rule"] == path.stem, f"{path.name} declares rule {data['rule']}"
        for case in data["cases"]:
            params.append(pytest.param(data["rule"], case, id=f"{path.stem}: {case['name']}"))
    return params


def _lint(rule_id: str, text: str, case: dict) -> list:
    options = {k: case[k] for k in ("build_args", "target") if k in case}
    return lint_text(text, select=[rule_id], **options)


@pytest.mark.parametrize("rule_id,case", _load())
def test_case(rule_id, case):
    text = case["dockerfile"]
    findings = _lint(rule_id, text, case)
    expected = case.get("expect") or []
    got = sorted((f.rule_id, f.span.line, f.span.column) for f in findings)
    want = sorted((e.get("rule", rule_id), e["line"], e["column"]) for e in expected)
    assert got == want, "\n".join(f"{f.rule_id} {f.span.line}:{f.span.column} {f.message}" for f in findings)
    for e in expected:
        if "message" in e:
            messages = [f.message for f in findings if (f.span.line, f.span.column) == (e["line"], e["column"])]
            assert any(e["message"] in m for m in messages), (e["message"], messages)
    if "fixed" in case:
        fixed, _ = apply_fixes(text, findings)
        assert fixed == case["fixed"]


def test_every_pack_rule_has_positive_and_negative_cases():
    counts = {}
    for param in _load():
        rule_id, case = param.values
        pos, neg = counts.get(rule_id, (0, 0))
        counts[rule_id] = (pos + bool(case.get("expect")), neg + (not case.get("expect")))
    for rule_id in PACK_RULES:
        pos, neg = counts.get(rule_id, (0, 0))
        assert pos >= 1 and neg >= 1, f"{rule_id}: {pos} positive, {neg} negative cases"


def _as_dockerfile(example: str) -> str:
    """Docs show fragments without FROM; lint them under a neutral base image."""
    text = example.strip() + "\n"
    return text if text.lstrip().upper().startswith(("FROM", "ARG")) else "FROM debian:12.7\n" + text


@pytest.mark.parametrize("rule_id", sorted(r for r in PACK_RULES if r != "DL1000"))
def test_docstring_examples(rule_id):
    doc = PACK_RULES[rule_id].doc
    assert doc.bad and doc.good, f"{rule_id} needs Bad and Good examples"
    assert any(f.rule_id == rule_id for f in lint_text(_as_dockerfile(doc.bad), select=[rule_id]))
    assert not lint_text(_as_dockerfile(doc.good), select=[rule_id])
