"""Every Python example of docs/model.md runs as written (the rule authors' reference)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = (Path(__file__).resolve().parent.parent / "docs" / "model.md").read_text()
EXAMPLES = re.findall(r"```python\n(.*?)```", DOC, re.DOTALL)


def test_the_reference_has_examples():
    assert len(EXAMPLES) >= 7


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_example_runs(index):
    exec(compile(EXAMPLES[index], f"docs/model.md example {index + 1}", "exec"), {})
