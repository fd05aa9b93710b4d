"""The rule pack's conventions, its generated files, the scaffold, and what `dockerlint explain` prints."""
from __future__ import annotations

import pytest

from dockerlint import dev, docs
from dockerlint.registry import rules_from_index


def test_every_generated_file_is_up_to_date():
    lines: list[str] = []
    assert dev.generate(check=True, out=lines.append) == 0, "\n".join(lines)


def test_the_index_has_one_row_per_rule_module_and_nothing_else():
    from dockerlint.rules import RULE_INDEX

    modules = {r.id: r.module for r in dev.pack_rules()}
    assert {row["id"]: row["module"] for row in RULE_INDEX} == modules
    for row in RULE_INDEX:  # the module is the family folder plus the id
        assert row["module"].rsplit(".", 1)[1] == dev.module_name(row["id"])


def test_the_registry_builds_rules_from_the_index_without_importing_them():
    from dockerlint.rules import RULE_INDEX

    rules = rules_from_index(RULE_INDEX)
    assert rules and not any(r.loaded for r in rules)
    dl3042 = next(r for r in rules if r.id == "DL3042")
    assert dl3042.on == {"RUN"} and dl3042.fixable and "REPRO-CACHE-PIP" in dl3042.causes
    assert dl3042.summary.startswith("Avoid keeping pip's cache")  # the docstring loads the module
    assert dl3042.loaded


def test_each_buildkit_name_is_declared_by_at_most_one_rule():
    names = [r.buildkit for r in dev.pack_rules() if r.buildkit]
    assert len(names) == len(set(names))


def test_check_mode_names_stale_files_and_generate_rewrites_them(tmp_path, monkeypatch):
    layout = _pack(monkeypatch, tmp_path, "pack_stale", {"base": {"XS001": _rule("XS001")}})
    out: list[str] = []
    assert dev.generate(check=True, out=out.append, layout=layout) == 1
    assert "rules/_index.py is stale: run `python -m dockerlint.dev generate`" in out
    assert dev.generate(out=out.append, layout=layout) == 0
    assert dev.generate(check=True, out=out.append, layout=layout) == 0
    assert (tmp_path / "docs" / "rules" / "XS001.md").read_text().startswith("<!-- Generated")
    orphan = tmp_path / "docs" / "rules" / "GONE1.md"
    orphan.write_text("old\n")
    assert dev.generate(check=True, out=out.append, layout=layout) == 1
    assert orphan.exists()  # --check never changes anything
    dev.generate(out=out.append, layout=layout)
    assert not orphan.exists()


@pytest.mark.parametrize("family, message", [
    ({"XB001": "{XB001}{XB002}"}, "defines exactly one rule, this one defines 2"),
    ({"XB003": "{XB004}"}, "the module of rule XB004 must be named XB004"),
    ({"XB005": "{XB005:JSONArgsRecommended}", "XB006": "{XB006:JSONArgsRecommended}"},
     "XB006 and XB005 both answer to 'jsonargsrecommended'"),
])
def test_pack_conventions_are_enforced(tmp_path, monkeypatch, family, message):
    files = {name: "".join(_rule(*spec.split(":")) for spec in body.strip("{}").split("}{"))
             for name, body in family.items()}
    layout = _pack(monkeypatch, tmp_path, f"pack_bad_{abs(hash(message))}", {"base": files})
    out: list[str] = []
    assert dev.generate(check=True, out=out.append, layout=layout) == 1
    assert any(message in line for line in out), out


@pytest.mark.parametrize("module, imports, message", [
    ("XB010", "from dockerlint.syntax.nodes import Span\n", "rules read the model, not the parser"),
    ("XB011", "import dockerlint.syntax\n", "rules read the model, not the parser"),
    ("_helper", "from dockerlint.syntax import parse\n", "rules read the model, not the parser"),
    ("XB012", "from {pack}.other._private import x\n", "is the other family's private helper"),
])
def test_rules_import_the_model_not_the_parser_nor_another_familys_helpers(tmp_path, monkeypatch, module, imports,
                                                                          message):
    package = f"pack_imports_{module.lower()}"
    body = imports.format(pack=package) + (_rule(module) if not module.startswith("_") else "")
    layout = _pack(monkeypatch, tmp_path, package, {"base": {module: body}})
    out: list[str] = []
    assert dev.generate(check=True, out=out.append, layout=layout) == 1
    assert any(message in line and f"{module}.py:3:" in line for line in out), out  # after _pack's 2-line head


def test_a_family_may_import_its_own_helpers_and_the_packs_shared_ones(tmp_path, monkeypatch):
    package = "pack_imports_ok"
    body = f"from {package}.base._mine import x\nfrom {package}._common import y\n" + _rule("XB013")
    layout = _pack(monkeypatch, tmp_path, package, {"base": {"XB013": body}})
    (tmp_path / "rules" / "base" / "_mine.py").write_text("x = 1\n")
    (tmp_path / "rules" / "_common.py").write_text("y = 2\n")
    out: list[str] = []
    dev.generate(out=out.append, layout=layout)
    assert dev.generate(check=True, out=out.append, layout=layout) == 0, out


def test_new_rule_scaffolds_a_module_a_case_file_and_its_index_row(tmp_path, monkeypatch):
    layout = _pack(monkeypatch, tmp_path, "pack_new", {})
    out: list[str] = []
    assert dev.new_rule("XN001", "ml", name="my-rule", on=("RUN",), layout=layout, out=out.append) == 0
    module = tmp_path / "rules" / "ml" / "XN001.py"
    cases = tmp_path / "fixtures" / "rules" / "XN001.yaml"
    assert module.is_file() and cases.is_file()
    index: dict = {}
    exec((tmp_path / "rules" / "_index.py").read_text(), index)
    (row,) = index["RULE_INDEX"]
    assert (row["id"], row["name"], row["on"], row["module"]) == ("XN001", "my-rule", ["RUN"], "pack_new.ml.XN001")
    (rule,) = rules_from_index(index["RULE_INDEX"])
    assert list(rule.check(None)) == []  # the template checks nothing until it is written
    assert "rule: XN001" in cases.read_text()
    assert dev.new_rule("XN001", "ml", layout=layout, out=out.append) == 2
    assert out[-1] == "dockerlint.dev: rules/ml/XN001.py exists already"
    assert dev.new_rule("XN002", "nofamily", layout=layout, out=out.append) == 2


def test_reference_links_every_builtin_rule_to_its_page():
    text = docs.reference_text()
    for r in docs.builtin_rules():
        assert f"| [{r.id}](../docs/rules/{r.id}.md) |" in text
        assert (dev.CHECKOUT.pages_dir / f"{r.id}.md").is_file()


def test_explain_shows_every_section_of_a_rule():
    rule = {r.id: r for r in docs.builtin_rules()}["DL3042"]
    text = docs.render_rule(rule)
    assert text.startswith("# DL3042\n")
    assert "`pip-no-cache-dir` · warning · performance · fixable" in text
    assert "Covers: hadolint `DL3042` · prevents verify causes `REPRO-CACHE-PIP`" in text
    for section in ("## Why", "## Bad", "## Good", "## Fix", "## Notes"):
        assert section in text
    assert "```dockerfile\nRUN pip install torch==2.3.1\n```" in text


def test_a_docstring_splits_into_every_documented_section():
    from dockerlint.rule import parse_doc

    doc = parse_doc("""Say it.

    Why: because.
    Bad:
        RUN a
    Good:
        RUN b
    Fix: adds -y.
    Fix safety: safe: -y only answers the prompt.
    Options: `strict-labels`.
    References:
    - https://example.org/x
    Note: nothing else.
    """)
    assert doc == doc._replace(summary="Say it.", why="Because.", bad="RUN a", good="RUN b", fix="Adds -y.",
                               fix_safety="Safe: -y only answers the prompt.", options="`strict-labels`.",
                               references="- https://example.org/x", note="Nothing else.")


def _rule(rule_id: str, buildkit: str = "") -> str:
    extra = f", buildkit={buildkit!r}" if buildkit else ""
    return (f"\n@rule(id={rule_id!r}, name={rule_id.lower()!r}, severity=Severity.INFO, category='style'{extra})\n"
            f"def check_{rule_id.lower()}(df):\n    '''Say {rule_id}.'''\n    return iter(())\n")


def _pack(monkeypatch, tmp_path, package: str, families: dict[str, dict[str, str]]) -> dev.Layout:
    """A rule pack importable as ``package``, laid out as the checkout's ``rules/``."""
    pack = tmp_path / "rules"
    (pack / "__init__.py").parent.mkdir(parents=True)
    (pack / "__init__.py").write_text("")
    for family, modules in families.items():
        (pack / family).mkdir()
        (pack / family / "__init__.py").write_text("")
        for name, body in modules.items():
            head = "from dockerlint.findings import Severity\nfrom dockerlint.rule import rule\n"
            (pack / family / f"{name}.py").write_text(head + body)
    link = tmp_path / "importable"
    link.mkdir()
    (link / package).symlink_to(pack, target_is_directory=True)
    monkeypatch.syspath_prepend(str(link))
    return dev.Layout(tmp_path, package=package, builtin=False)


def test_every_help_uri_names_a_page_in_the_repository():
    """SARIF's helpUri (and the other formats' links) for every rule and every verify cause exists."""
    from pathlib import Path

    from dockerlint.registry import installed_rules
    from dockerlint.report._common import DOCS_URL, rule_help_uri
    from dockerlint.verify.catalogue import cause_ids

    repo = Path(__file__).resolve().parent.parent
    ids = [*installed_rules(), *cause_ids()]
    missing = [i for i in ids if not (repo / "docs" / rule_help_uri(i).removeprefix(DOCS_URL + "/")).is_file()]
    assert ids and not missing
