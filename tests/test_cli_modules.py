"""The entry point, the click commands and the lint run import one way: no cycle, none hidden in a function."""
from __future__ import annotations

import ast
from pathlib import Path

import dockerlint

PACKAGE = Path(dockerlint.__file__).parent
MODULES = ("cli", "commands", "run", "console")


def _imports(module: str) -> set[str]:
    """Every dockerlint module ``module`` imports, at top level or inside a function."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "dockerlint":
                found.update(f"dockerlint.{a.name}" for a in node.names)
            elif node.module.startswith("dockerlint."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("dockerlint."))
    return {name.split(".")[1] for name in found} & set(MODULES)


def test_the_lint_run_and_the_commands_never_import_the_entry_point():
    graph = {m: _imports(m) for m in MODULES}
    assert "cli" not in graph["commands"] | graph["run"] | graph["console"]
    assert "commands" not in graph["run"] | graph["console"]
    assert graph["console"] == set()
    assert graph["run"] == {"console"}
    assert {"run", "console"} <= graph["commands"]


def test_the_lint_run_is_importable_on_its_own_and_shared():
    from dockerlint import cli, commands, run

    assert cli.lint is run.lint
    assert commands.lint is run.lint
