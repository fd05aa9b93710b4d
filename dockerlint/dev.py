"""Tools for dockerlint's own developers: one generator, and a scaffold for new rules.

    python -m dockerlint.dev generate [--check]   write (or check) every generated file
    python -m dockerlint.dev new-rule ID FAMILY [--name NAME] [--on RUN,COPY] [--category C]

``generate`` reads the rule modules themselves (never the index it writes)
and produces: the index ``rules/_index.py``, the reference ``rules/README.md``,
one page per rule ``docs/rules/<ID>.md``, the JSON report schema and the
causes page of ``dockerlint verify``. ``--check`` changes nothing and exits 1
naming every stale file (the test suite runs it). Not imported on the lint path.
"""
from __future__ import annotations

import argparse
import ast
import functools
import importlib
import keyword
import os
import pkgutil
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from dockerlint.rule import CATEGORIES, INSTRUCTIONS, Rule


class Layout(NamedTuple):
    """Where a rule pack and its generated files live (the checkout's, or a test's copy)."""

    repo: Path
    package: str = "dockerlint.rules"  # the import name of the pack folder
    pack_folder: str = "rules"
    builtin: bool = True  # the checkout itself: also the engine rules, report schema, causes page

    @property
    def pack_dir(self) -> Path:
        return self.repo / self.pack_folder

    @property
    def pages_dir(self) -> Path:
        return self.repo / "docs" / "rules"

    @property
    def cases_dir(self) -> Path:
        return self.repo / "fixtures" / "rules"


CHECKOUT = Layout(Path(__file__).resolve().parent.parent)
FAMILIES = ("base", "packages", "shell", "labels", "buildkit", "security", "context", "ml", "repro")
_RULE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


class PackError(Exception):
    """The rule pack breaks a convention the index relies on."""


def module_name(rule_id: str) -> str:
    """A rule's module name: its id, with ``-`` spelled ``_`` (``REPRO-X`` -> ``REPRO_X``)."""
    return rule_id.replace("-", "_")


def pack_rules(layout: Layout = CHECKOUT) -> list[Rule]:
    """Every rule of the pack, imported from its own module, checked against the conventions:
    one rule per module, the module named by the id, ids and BuildKit names unique."""
    found: list[Rule] = []
    package = layout.package
    for family in sorted(p for p in layout.pack_dir.iterdir()
                         if p.is_dir() and (p / "__init__.py").exists() and not p.name.startswith(("_", "."))):
        for info in sorted(pkgutil.iter_modules([str(family)]), key=lambda m: m.name):
            check_imports(family / f"{info.name}.py", family.name, package)
            if info.name.startswith("_"):
                continue  # a family's private helpers, not a rule
            name = f"{package}.{family.name}.{info.name}"
            module = importlib.import_module(name)
            rules = [v for v in vars(module).values() if isinstance(v, Rule) and v.module == name]
            if len(rules) != 1:
                raise PackError(f"{name}: a rule module defines exactly one rule, this one defines {len(rules)}")
            if module_name(rules[0].id) != info.name:
                raise PackError(f"{name}: the module of rule {rules[0].id} must be named {module_name(rules[0].id)}")
            found.append(rules[0])
    _check_unique(found)
    return sorted(found, key=lambda r: r.id)


def check_imports(path: Path, family: str, package: str) -> None:
    """Rules read the model, never the parser, and share knowledge through the model, never through
    another family's private helpers (``rules/ml/_env.py`` is the ML family's own)."""
    if not path.exists():
        return  # a package folder or a compiled module: nothing to read
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        for name in names:
            if name == "dockerlint.syntax" or name.startswith("dockerlint.syntax."):
                raise PackError(f"{path}:{node.lineno}: rules read the model, not the parser "
                                f"(`{name}`): use dockerlint.model, or grow it")
            parts = name[len(package) + 1:].split(".") if name.startswith(package + ".") else []
            if len(parts) > 1 and parts[0] != family and any(p.startswith("_") for p in parts[1:]):
                raise PackError(f"{path}:{node.lineno}: `{name}` is the {parts[0]} family's private "
                                "helper; move what both families need into the model")


def _check_unique(rules: Iterable[Rule]) -> None:
    seen: dict[str, str] = {}
    for r in rules:
        for name in {n.casefold() for n in r.names}:
            if name in seen and seen[name] != r.id:
                raise PackError(f"{r.id} and {seen[name]} both answer to {name!r} (id, name, alias or BuildKit name)")
            seen[name] = r.id


def index_text(rules: Iterable[Rule]) -> str:
    """``rules/_index.py``: one row per rule, exactly ``Rule.metadata()``."""
    lines = ['"""The built-in rules\' index, generated by `python -m dockerlint.dev generate`. Do not edit.',
             "",
             "One row per rule, read by the registry without importing any rule module.",
             '"""', "", "RULE_INDEX = ("]
    for r in rules:
        lines.append(f"    {r.metadata()!r},")
    lines.append(")")
    return "\n".join(lines) + "\n"


def generated_files(layout: Layout = CHECKOUT) -> dict[Path, Callable[[], str]]:
    """Every generated file and the function that produces its text."""
    from dockerlint import docs
    from dockerlint.registry import ENGINE_RULES

    rules = pack_rules(layout)
    documented = sorted([*(ENGINE_RULES if layout.builtin else ()), *rules], key=lambda r: r.id)
    files: dict[Path, Callable[[], str]] = {
        layout.pack_dir / "_index.py": lambda: index_text(rules),
        layout.pack_dir / "README.md": lambda: docs.reference_text(documented),
    }
    if layout.builtin:
        from dockerlint.report.schema import dumps_schema
        from dockerlint.verify.catalogue import render_markdown as causes_page

        files[layout.repo / "dockerlint" / "report" / "json_schema.json"] = dumps_schema
        files[layout.repo / "dockerlint" / "verify" / "CAUSES.md"] = causes_page
        files.update(cause_pages(layout, documented))
    for r in documented:
        files[layout.pages_dir / f"{r.id}.md"] = functools.partial(docs.rule_page, r)
    return files


def cause_pages(layout: Layout, rules) -> dict[Path, Callable[[], str]]:
    """``docs/causes/<ID>.md`` for every ``dockerlint verify`` cause, naming the rules that prevent it."""
    from dockerlint.verify.catalogue import cause_ids, render_cause_page

    pages: dict[Path, Callable[[], str]] = {}
    for cause in cause_ids():
        preventing = tuple(r.id for r in rules if cause in r.causes)
        pages[layout.repo / "docs" / "causes" / f"{cause}.md"] = functools.partial(
            render_cause_page, cause, preventing)
    return pages


def generate(check: bool = False, out: Callable[[str], None] = print, layout: Layout = CHECKOUT) -> int:
    """Write every generated file (or, with ``check``, say which are stale): 0 ok, 1 stale."""
    try:
        files = generated_files(layout)
    except PackError as exc:
        out(f"dockerlint.dev: {exc}")
        return 1
    stale = []
    for path, produce in files.items():
        text = produce()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    pages = layout.pages_dir
    orphans = sorted(p for p in pages.glob("*.md") if p not in files) if pages.is_dir() else []
    for page in orphans:  # the page of a rule that no longer exists
        stale.append(page)
        if not check:
            page.unlink()
    for path in stale:
        rel = os.path.relpath(path, layout.repo)
        out(f"{rel} is stale: run `python -m dockerlint.dev generate`" if check else f"wrote {rel}")
    return 1 if check and stale else 0


RULE_TEMPLATE = '''"""{id}: {title}"""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="{id}", name="{name}", severity=Severity.WARNING, category="{category}", on=({on}))
def {function}(df: Dockerfile) -> Iterator[Finding]:
    """{title}

    Why: what goes wrong, in the user's words.

    Bad:
        FROM debian:12.7
    Good:
        FROM debian:12.7

    Note: what the rule deliberately does not report, and why.
    """
    return iter(())
'''

CASES_TEMPLATE = '''# {id} {name}: cases run by tests/test_rules_cases.py.
# Keys of a case: name, dockerfile, expect, fixed, build_args, target, options, context, path.
rule: {id}
cases:
  - name: fires on the bad example
    dockerfile: |
      FROM debian:12.7
    expect:
      - {{line: 1, column: 1}}

  - name: silent on the good example
    dockerfile: |
      FROM debian:12.7
    expect: []
'''


def new_rule(rule_id: str, family: str, name: str | None = None, on: tuple[str, ...] = (),
             category: str = "correctness", out: Callable[[str], None] = print, layout: Layout = CHECKOUT) -> int:
    """Write a rule module and its case file, then regenerate the index and pages."""
    if not _RULE_ID.fullmatch(rule_id) or keyword.iskeyword(module_name(rule_id)):
        out(f"dockerlint.dev: {rule_id!r} is not a usable rule id (letters, digits, - and _)")
        return 2
    if family not in FAMILIES:
        out(f"dockerlint.dev: unknown family {family!r} (one of {', '.join(FAMILIES)})")
        return 2
    if category not in CATEGORIES:
        out(f"dockerlint.dev: unknown category {category!r} (one of {', '.join(CATEGORIES)})")
        return 2
    bad = [k for k in on if k not in INSTRUCTIONS]
    if bad:
        out(f"dockerlint.dev: unknown instruction {bad[0]!r} in --on")
        return 2
    name = name or rule_id.lower()
    module = layout.pack_dir / family / f"{module_name(rule_id)}.py"
    cases = layout.cases_dir / f"{rule_id}.yaml"
    for path in (module, cases):
        if path.exists():
            out(f"dockerlint.dev: {os.path.relpath(path, layout.repo)} exists already")
            return 2
    (layout.pack_dir / family).mkdir(parents=True, exist_ok=True)
    cases.parent.mkdir(parents=True, exist_ok=True)
    init = layout.pack_dir / family / "__init__.py"
    if not init.exists():
        init.write_text(f'"""The {family} family of the built-in rules."""\n', encoding="utf-8")
    on_text = ", ".join(repr(k) for k in on) + ("," if len(on) == 1 else "")
    function = re.sub(r"\W", "_", name).lower()
    title = "TODO: one sentence that says what to write instead."
    module.write_text(RULE_TEMPLATE.format(id=rule_id, name=name, category=category, on=on_text,
                                           function=function, title=title), encoding="utf-8")
    cases.write_text(CASES_TEMPLATE.format(id=rule_id, name=name), encoding="utf-8")
    out(f"wrote {os.path.relpath(module, layout.repo)} and {os.path.relpath(cases, layout.repo)}")
    importlib.invalidate_caches()
    return generate(out=out, layout=layout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dockerlint.dev")
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write every generated file")
    gen.add_argument("--check", action="store_true", help="change nothing; exit 1 when a file is stale")
    new = sub.add_parser("new-rule", help="scaffold a rule module and its case file")
    new.add_argument("id")
    new.add_argument("family", choices=FAMILIES)
    new.add_argument("--name", help="kebab-case name (default: the id in lower case)")
    new.add_argument("--on", default="", help="instructions the rule reads, comma-separated (RUN,COPY)")
    new.add_argument("--category", default="correctness", choices=CATEGORIES)
    args = parser.parse_args(argv)
    if args.command == "generate":
        return generate(check=args.check)
    on = tuple(k.strip().upper() for k in args.on.split(",") if k.strip())
    return new_rule(args.id, args.family, args.name, on, args.category)


if __name__ == "__main__":
    sys.exit(main())
