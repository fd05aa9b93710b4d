"""Manifest facts the ML rules read: extras, a requirements file's indexes, dynamic pyproject dependencies."""
from __future__ import annotations

from dockerlint.context.manifests import parse_manifest


def test_requirements_extras_and_indexes() -> None:
    text = "--extra-index-url https://download.pytorch.org/whl/cu121\ntensorflow[and-cuda]==2.16.1\nnumpy\n"
    manifest = parse_manifest("requirements.txt", text)
    assert manifest is not None
    assert manifest.indexes == ("https://download.pytorch.org/whl/cu121",)
    assert [(e.name, e.extras, e.line) for e in manifest.entries] == [
        ("tensorflow", ("and-cuda",), 2), ("numpy", (), 3)]


def test_pyproject_dynamic_dependencies() -> None:
    dynamic = parse_manifest("pyproject.toml", '[project]\nname = "x"\ndynamic = ["dependencies"]\n')
    static = parse_manifest("pyproject.toml", '[project]\nname = "x"\ndependencies = ["fastapi[all]>=0.110"]\n')
    no_table = parse_manifest("pyproject.toml", '[build-system]\nrequires = ["setuptools"]\n')
    assert dynamic is not None and static is not None and no_table is not None
    assert (dynamic.dynamic, static.dynamic, no_table.dynamic) == (True, False, True)
    assert [(e.name, e.extras) for e in static.entries] == [("fastapi", ("all",))]
