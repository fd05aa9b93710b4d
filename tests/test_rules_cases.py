"""Every built-in rule against its case file, ``fixtures/rules/<ID>.yaml``,
through the public ``dockerlint.lint_text``, exactly as a user would run it.

A case lists the findings expected (rule id, line and column of the span start,
optionally a message substring, optionally the file the finding is in for
rules that report on context files); the findings produced must be exactly
those. ``fixed`` is the text after one pass of the safe fixes. Other keys:
``build_args``, ``target``, ``options`` (lint options in config spelling:
``trusted-registries``, ``required-labels``, ``strict-labels``, ``severity``…),
``context`` (files of the build context: path -> text, or ``{size: N}`` for a
sparse file of N bytes, or ``{dir: true}``), ``path`` (the Dockerfile's name in
the context, default ``Dockerfile``). Unknown keys are errors, so a typo never
silently drops a condition. The examples in each rule's docstring are checked
too: "Bad" must trigger the rule, "Good" must not.
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


FILE_KEYS = {"rule", "cases"}
CASE_KEYS = {"name", "dockerfile", "expect", "fixed", "build_args", "target", "options", "context", "path"}
EXPECT_KEYS = {"rule", "line", "column", "message", "file"}


def _load(directory: Path = CASES) -> list:
    params = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) <= FILE_KEYS, f"{path.name}: unknown keys {sorted(set(data) - FILE_KEYS)}"
        assert data["rule"] == path.stem, f"{path.name} declares rule {data['rule']}"
        for case in data["cases"]:
            unknown = set(case) - CASE_KEYS
            assert not unknown, f"{path.name}: case {case.get('name')!r} has unknown keys {sorted(unknown)}"
            for e in case.get("expect") or ():
                assert set(e) <= EXPECT_KEYS, f"{path.name}: {case['name']!r}: unknown keys {sorted(set(e) - EXPECT_KEYS)}"
            params.append(pytest.param(data["rule"], case, id=f"{path.stem}: {case['name']}"))
    return params


def write_context(root: Path, files: dict) -> None:
    """Lay out a case's build context: text files, sparse files of a size, directories."""
    for rel, content in (files or {}).items():
        target = root / rel
        assert root.resolve() in target.resolve().parents, f"context path {rel!r} leaves the context"
        if isinstance(content, dict) and content.get("dir"):
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            with open(target, "wb") as fh:
                fh.truncate(int(content["size"]))
        else:
            target.write_text(content, encoding="utf-8")


def _lint(rule_id: str, text: str, case: dict, tmp_path: Path) -> list:
    options = {k: case[k] for k in ("build_args", "target") if k in case}
    options.update({k.replace("-", "_"): v for k, v in (case.get("options") or {}).items()})
    if "context" not in case:
        return lint_text(text, select=[rule_id], **options)
    write_context(tmp_path, case["context"])
    dockerfile = tmp_path / case.get("path", "Dockerfile")
    dockerfile.parent.mkdir(parents=True, exist_ok=True)
    dockerfile.write_text(text, encoding="utf-8")
    return lint_text(text, path=str(dockerfile), context=str(tmp_path), select=[rule_id], **options)


@pytest.mark.parametrize("rule_id,case", _load())
def test_case(rule_id, case, tmp_path):
    text = case["dockerfile"]
    findings = _lint(rule_id, text, case, tmp_path)
    expected = case.get("expect") or []

    def where(f) -> str:
        return "" if f.path in ("Dockerfile", str(tmp_path / case.get("path", "Dockerfile"))) else \
            f.path.removeprefix(str(tmp_path) + "/")

    got = sorted((f.rule_id, where(f), f.span.line, f.span.column) for f in findings)
    want = sorted((e.get("rule", rule_id), e.get("file", ""), e["line"], e["column"]) for e in expected)
    assert got == want, "\n".join(f"{f.rule_id} {f.span.line}:{f.span.column} {f.message}" for f in findings)
    for e in expected:
        if "message" in e:
            messages = [f.message for f in findings if (f.span.line, f.span.column) == (e["line"], e["column"])]
            assert any(e["message"] in m for m in messages), (e["message"], messages)
    if "fixed" in case:
        fixed, _ = apply_fixes(text, findings)
        assert fixed == case["fixed"]


def test_the_runner_rejects_unknown_keys(tmp_path):
    (tmp_path / "XX001.yaml").write_text("rule: XX001\ncases:\n  - name: a\n    dockerfile: FROM a\n    expct: []\n")
    with pytest.raises(AssertionError, match=r"unknown keys \['expct'\]"):
        _load(tmp_path)


def test_context_files_are_laid_out_as_written(tmp_path):
    write_context(tmp_path, {"data/train.csv": {"size": 50_000_000}, "src/app.py": "import x\n",
                             "empty": {"dir": True}})
    assert (tmp_path / "data" / "train.csv").stat().st_size == 50_000_000
    assert (tmp_path / "src" / "app.py").read_text() == "import x\n"
    assert (tmp_path / "empty").is_dir()
    with pytest.raises(AssertionError, match="leaves the context"):
        write_context(tmp_path, {"../outside": "x"})


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


def _example_options(rule_id: str) -> dict:
    """The options of the rule's first firing case that has some: a rule that checks nothing
    without options (an allow-list, a label schema) shows its examples under them."""
    for param in _load():
        rid, case = param.values
        if rid == rule_id and case.get("options") and case.get("expect"):
            return {k.replace("-", "_"): v for k, v in case["options"].items()}
    return {}


def _example_context(rule_id: str) -> dict | None:
    """The build context of the rule's first firing case, for rules that read one (CopyIgnoredFile)."""
    for param in _load():
        rid, case = param.values
        if rid == rule_id and case.get("expect"):
            return case.get("context")
    return None


@pytest.mark.parametrize("rule_id", sorted(r for r in PACK_RULES if r != "DL1000"))
def test_docstring_examples(rule_id, tmp_path):
    doc = PACK_RULES[rule_id].doc
    assert doc.bad and doc.good, f"{rule_id} needs Bad and Good examples"
    options = _example_options(rule_id) if PACK_RULES[rule_id].wants_options else {}
    context = _example_context(rule_id)
    if context is not None:
        write_context(tmp_path, context)
        options.update(path=str(tmp_path / "Dockerfile"), context=str(tmp_path))
    assert any(f.rule_id == rule_id or PACK_RULES[rule_id].owns(f.rule_id)  # SC: the family's ids (SC2164)
               for f in lint_text(_as_dockerfile(doc.bad), select=[rule_id], **options))
    assert not lint_text(_as_dockerfile(doc.good), select=[rule_id], **options)
