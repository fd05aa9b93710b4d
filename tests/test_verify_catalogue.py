"""The cause catalogue: stable ids, its generated page, and a lint path free of the diff code."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dockerlint.verify import catalogue
from dockerlint.verify.catalogue import CATALOGUE, prevented_by, render_markdown

CAUSES_MD = Path(catalogue.__file__).with_name("CAUSES.md")


def test_ids_follow_the_scheme_and_every_cause_is_documented():
    for cause_id, kind in CATALOGUE.items():
        assert cause_id.startswith("REPRO-") and cause_id == cause_id.upper()
        assert kind.fix and kind.summary and kind.signature
    doc = CAUSES_MD.read_text()
    for cause_id in CATALOGUE:
        assert f"`{cause_id}`" in doc


@pytest.mark.parametrize("module", ["dockerlint.verify.catalogue", "dockerlint.verify.causes"])
def test_causes_md_is_what_the_generator_prints(module):
    """Both spellings of the generator print the checked-in page (regenerate when this fails)."""
    printed = subprocess.run([sys.executable, "-m", module], capture_output=True, text=True,
                             check=True).stdout
    assert printed == CAUSES_MD.read_text() == render_markdown(), (
        "regenerate: python -m dockerlint.verify.catalogue > dockerlint/verify/CAUSES.md")


def test_importing_the_catalogue_leaves_the_diff_code_unloaded():
    """What a static REPRO rule pulls in when it imports a cause id."""
    code = ("import sys, json, dockerlint.verify.catalogue; "
            "print(json.dumps(sorted(sys.modules)))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                       text=True, check=True).stdout)
    verify_modules = [m for m in loaded if m.startswith("dockerlint.verify.")]
    assert verify_modules == ["dockerlint.verify.catalogue"]
    for heavy in ("docker", "rich", "pydantic", "dockerlint.engine", "dockerlint.report"):
        assert heavy not in loaded


def test_a_lint_rule_finds_the_causes_it_prevents():
    assert prevented_by("DL3009") == ("REPRO-APT-CACHE",)
    assert "REPRO-PACKAGE-DRIFT" in prevented_by("DL3008")
    assert prevented_by("DL9999") == ()
    for kind in CATALOGUE.values():
        for rule_id in kind.static:
            assert kind.id in prevented_by(rule_id)
