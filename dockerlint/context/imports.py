"""The Python imports of a project's code, read with ``ast`` (never executed).

ML004 asks: which third-party modules does the copied code import at start-up?
So this module leaves out what cannot fail for a missing install: the standard
library (``sys.stdlib_module_names``), relative imports, ``__future__``,
imports inside functions (often an optional feature, loaded only when called),
imports guarded by ``try/except ImportError``, ``if TYPE_CHECKING:`` blocks and
platform or version checks (``if sys.platform == "win32":``). Notebooks
(``.ipynb``) are read cell by cell; IPython magics and shell lines are skipped.
A file that does not parse yields nothing (we never guess).
"""
from __future__ import annotations

import ast
import json
import sys
from collections.abc import Iterable, Iterator
from typing import NamedTuple

# Removed from the standard library in 3.12/3.13, still stdlib for older images.
_OLD_STDLIB = frozenset({
    "distutils", "imp", "asynchat", "asyncore", "smtpd", "aifc", "audioop", "cgi", "cgitb", "chunk",
    "crypt", "imghdr", "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd",
    "sunau", "telnetlib", "uu", "xdrlib", "lib2to3", "tomllib", "_bootlocale", "formatter", "parser",
    "symbol", "binhex", "macpath",
})
STDLIB = frozenset(sys.stdlib_module_names) | _OLD_STDLIB
_OPTIONAL_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_CONDITIONAL_NAMES = frozenset({"platform", "version_info", "os.name", "sys.platform", "sys.version_info",
                                "TYPE_CHECKING", "find_spec", "util"})


class Import(NamedTuple):
    """One ``import x.y`` / ``from x.y import z`` that must succeed for the file to load."""

    module: str  # the dotted module name as written (``sklearn.ensemble``)
    line: int  # 1-based, in the file (for notebooks: the line of the JSON file)
    column: int  # 1-based
    names: tuple[str, ...] = ()  # what ``from module import ...`` takes (``bigquery`` of google.cloud)
    level: int = 0  # dots of a relative import (``from .features import x``: 1)

    @property
    def top(self) -> str:
        return self.module.split(".", 1)[0]


def python_imports(text: str, *, relative: bool = False) -> list[Import]:
    """The unconditional non-stdlib imports of Python source ``text`` (absolute ones; with
    ``relative``, also ``from . import x``, to follow the project's own modules)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return [imp for imp in _walk(tree.body) if (imp.level and relative) or (not imp.level and imp.top not in STDLIB)]


def notebook_imports(text: str) -> list[Import]:
    """The imports of a Jupyter notebook's code cells, positioned on the notebook file's lines."""
    try:
        notebook = json.loads(text)
    except (ValueError, RecursionError):
        return []
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return []
    found: list[Import] = []
    search_from = 0
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source")
        lines = source if isinstance(source, list) else [source] if isinstance(source, str) else []
        lines = [x if isinstance(x, str) else "" for x in lines]
        code = "".join(_mask_magic(x) for x in lines)
        cell_lines = code.splitlines()
        for imp in python_imports(code):
            written = lines[imp.line - 1] if imp.line - 1 < len(lines) else cell_lines[imp.line - 1]
            line, search_from = _json_line(text, written, search_from)
            found.append(imp._replace(line=line))
    return found


def _mask_magic(line: str) -> str:
    """IPython ``%magic`` / ``!shell`` lines become blank lines (keeping line numbers)."""
    stripped = line.lstrip()
    if stripped.startswith(("%", "!", "?")) or stripped.endswith("?\n"):
        return "\n" if line.endswith("\n") else ""
    return line


def _json_line(text: str, source_line: str, start: int) -> tuple[int, int]:
    """The 1-based line of ``text`` where the JSON encoding of ``source_line`` appears."""
    needle = json.dumps(source_line.rstrip("\n"))[1:-1]
    at = text.find(needle, start) if needle else -1
    if at < 0:
        at = text.find(needle) if needle else -1
    if at < 0:
        return 1, start
    return text.count("\n", 0, at) + 1, at + len(needle)


def _walk(body: Iterable[ast.stmt]) -> Iterator[Import]:
    for node in body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, node.lineno, node.col_offset + 1)
        elif isinstance(node, ast.ImportFrom):
            if node.module != "__future__" and (node.module or node.level):
                yield Import(node.module or "", node.lineno, node.col_offset + 1, tuple(a.name for a in node.names),
                             node.level)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            handlers = node.handlers  # type: ignore[attr-defined]
            if not any(_catches_import_error(h) for h in handlers):
                yield from _walk(node.body)  # type: ignore[attr-defined]
            for h in handlers:
                yield from _walk(h.body)
            yield from _walk(node.orelse)  # type: ignore[attr-defined]
            yield from _walk(node.finalbody)  # type: ignore[attr-defined]
        elif isinstance(node, ast.If):
            if _is_conditional(node.test):
                continue
            yield from _walk(node.body)
            yield from _walk(node.orelse)
        elif isinstance(node, (ast.ClassDef, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)):
            yield from _walk(node.body)
            if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
                yield from _walk(node.orelse)


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(_name(t) in _OPTIONAL_ERRORS for t in types)


def _is_conditional(test: ast.expr) -> bool:
    """A test on the platform, the Python version or TYPE_CHECKING: the import may never run."""
    for node in ast.walk(test):
        name = _dotted(node)
        if name is not None and (name in _CONDITIONAL_NAMES or name.split(".")[-1] in _CONDITIONAL_NAMES):
            return True
    return False


def _name(node: ast.expr) -> str | None:
    dotted = _dotted(node)
    return dotted.split(".")[-1] if dotted else None


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    return None


def local_modules(paths: Iterable[str]) -> frozenset[str]:
    """Top-level names the project itself provides: every ``.py`` file's stem and every
    directory that holds Python code, at any depth (``src/`` layouts, ``app/models``)."""
    names: set[str] = set()
    for path in paths:
        parts = path.split("/")
        if not parts[-1].endswith((".py", ".pyi", ".so", ".pyd", ".ipynb")):
            continue
        names.add(parts[-1].split(".", 1)[0])
        names.update(p for p in parts[:-1] if p.isidentifier())
    return frozenset(names)
