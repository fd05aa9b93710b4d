"""The generated rule reference and what `dockerlint explain` prints."""
from __future__ import annotations

from dockerlint import docs


def test_rules_readme_is_up_to_date():
    path = docs.reference_path()
    assert path.read_text(encoding="utf-8") == docs.reference_text(), (
        "rules/README.md is stale: run `python -m dockerlint.docs`")


def test_check_mode_reports_a_stale_file(tmp_path, capsys):
    stale = tmp_path / "README.md"
    stale.write_text("old\n")
    assert docs.main(["--check", str(stale)]) == 1
    assert "stale" in capsys.readouterr().err
    assert docs.main([str(stale)]) == 0
    assert docs.main(["--check", str(stale)]) == 0


def test_reference_indexes_and_anchors_every_builtin_rule():
    text = docs.reference_text()
    for r in docs.builtin_rules():
        assert f"| [{r.id}](#{r.id.lower()}) |" in text
        assert f"\n## {r.id}\n" in text


def test_explain_shows_every_section_of_a_rule():
    rule = {r.id: r for r in docs.builtin_rules()}["DL3042"]
    text = docs.render_rule(rule)
    assert text.startswith("# DL3042\n")
    assert "`pip-no-cache-dir` · warning · performance · fixable" in text
    for section in ("## Why", "## Bad", "## Good", "## Fix", "## Notes"):
        assert section in text
    assert "```dockerfile\nRUN pip install torch==2.3.1\n```" in text
