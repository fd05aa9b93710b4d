"""dockerlint: a Dockerfile linter and reproducibility checker for ML containers.

The public API is imported lazily so that ``import dockerlint`` stays cheap.
"""
from __future__ import annotations

__version__ = "0.1.0"

_LAZY = {
    "lint_text": "dockerlint.engine",
    "lint_path": "dockerlint.engine",
    "rule": "dockerlint.rule",
    "Rule": "dockerlint.rule",
    "Finding": "dockerlint.findings",
    "Fix": "dockerlint.findings",
    "Edit": "dockerlint.findings",
    "Severity": "dockerlint.findings",
    "parse": "dockerlint.syntax",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dockerlint' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
