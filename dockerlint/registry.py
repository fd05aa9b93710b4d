"""Rule loading and selection.

Rules come only from the entry-point group ``dockerlint.rules`` (the built-in
pack registers itself there exactly like a third-party plugin). An entry point
names a module. A module with a ``RULE_INDEX`` (rows of rule metadata, as the
built-in pack generates in ``rules/_index.py``) gives lazy rules: nothing of
the rule modules is imported until the engine runs a rule. A module without
one is imported whole: every ``Rule`` at its top level, and in each submodule
listed in its ``RULE_MODULES``. Nothing is cached on disk: the set of
installed plugins is read afresh in every process.

Selection turns user selectors (``DL3008``, ``DL30``, ``apt-pin``,
``security``, ``ALL``) into a set of rule ids, and rejects selectors that
match nothing so a typo never silently disables a check.
"""
from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import ModuleType
from typing import Any, NamedTuple

from dockerlint.findings import Severity
from dockerlint.rule import CATEGORIES, Rule, rule

ENTRY_POINT_GROUP = "dockerlint.rules"
BUILTIN_PACK = "dockerlint.rules"  # the module the built-in pack's entry point names
NOT_INSTALLED = ("the built-in rules are not registered: dockerlint is not installed in this Python "
                 "(run `pip install -e .` in the checkout, then `dockerlint`)")


# Documented selections that include the opt-in rules (README, "Profiles").
PROFILES = {
    "profile:default": lambda r: r.default_enabled,
    "profile:security": lambda r: r.category == "security",
    "profile:strict": lambda r: True,
}


class PluginError(Exception):
    """A rule package cannot be loaded (import error, duplicate id, bad object)."""


class SelectorError(ValueError):
    """A rule selector matches no rule."""


# Rules the engine itself reports. Their checks yield nothing: the engine
# creates their findings (from a crashed rule, or from suppressions).
@rule(id="DL1000", name="syntax-error", severity=Severity.ERROR, category="syntax")
def _syntax_error(df) -> Iterator:
    """The Dockerfile does not parse, so BuildKit would refuse to build it.

    Why: nothing else can be checked until the file is valid; the message says
    what BuildKit would reject and where.

    Bad:
        FROM python:3.12
        ENV PATH
    Good:
        FROM python:3.12
        ENV PATH=/opt/venv/bin:$PATH
    """
    return iter(())


@rule(id="DLINT001", name="internal-error", severity=Severity.ERROR, category="correctness")
def _internal_error(df) -> Iterator:
    """A rule crashed on this file; the other rules still ran.

    Why: a crashing rule is a bug in dockerlint or in a plugin. The finding
    names the rule and the exception so it can be reported; the run exits
    with status 2 because the result is incomplete.
    """
    return iter(())


@rule(
    id="DLINT002", name="unused-suppression", severity=Severity.INFO,
    category="maintainability", default_enabled=False,
)
def _unused_suppression(df) -> Iterator:
    """An inline suppression comment suppresses nothing.

    Why: stale `# dockerlint ignore=` comments hide nothing today but will
    hide a real problem tomorrow. Off by default; select DLINT002 to enable.

    Bad:
        # dockerlint ignore=DL3007
        FROM python:3.12.7-slim
    Good:
        FROM python:3.12.7-slim
    """
    return iter(())


@rule(
    id="DL1001", name="inline-ignore-pragma", severity=Severity.INFO, category="maintainability",
    default_enabled=False,
)
def _inline_pragma(df) -> Iterator:
    """Please refrain from using inline ignore pragmas (`# hadolint ignore=…`, `# dockerlint ignore=…`).

    Why: a team that wants every exception in one reviewed place (the config's
    `ignore` and `per-file-ignores`) forbids comments that silence checks
    wherever they are written. Off by default, as in hadolint; select DL1001.

    Bad:
        # hadolint ignore=DL3008
        RUN apt-get install -y curl
    Good:
        RUN apt-get install -y curl=7.88.1-10+deb12u8

    Note: every form is reported (next-instruction, `stage` and `global`
    pragmas, in both spellings); BuildKit's `# check=` directive is not a
    pragma. `--disable-ignore-pragma` makes the pragmas ineffective instead.
    """
    return iter(())


ENGINE_RULES: tuple[Rule, ...] = (_syntax_error, _internal_error, _unused_suppression, _inline_pragma)
SYNTAX_ERROR, INTERNAL_ERROR, UNUSED_SUPPRESSION, INLINE_PRAGMA = (r.id for r in ENGINE_RULES)
# Selecting only this checks nothing: it reports crashes of the other rules.
ENGINE_ONLY = frozenset({INTERNAL_ERROR})


def rules_from_index(rows: Iterable[Mapping[str, Any]]) -> list[Rule]:
    """Lazy ``Rule`` objects from index rows (``Rule.metadata()`` dictionaries)."""
    out = []
    for row in rows:
        fields = dict(row)
        fields["severity"] = Severity.parse(fields["severity"])
        out.append(Rule(**fields))
    return out


def rules_in_module(module: ModuleType, _seen: set[str] | None = None) -> list[Rule]:
    """The rules a pack module provides: from its ``RULE_INDEX`` when it has one (nothing is
    imported), else the ``Rule`` objects of the module and of the submodules in RULE_MODULES."""
    index = getattr(module, "RULE_INDEX", None)
    if index is not None and _seen is None:
        try:
            return rules_from_index(index)
        except (KeyError, TypeError, ValueError) as exc:
            raise PluginError(f"the rule index of {module.__name__} is malformed: {exc}") from exc
    seen = set() if _seen is None else _seen
    seen.add(module.__name__)
    found = [v for v in vars(module).values() if isinstance(v, Rule)]
    for name in getattr(module, "RULE_MODULES", ()):
        target = name if "." in name and not name.startswith(".") else f"{module.__name__}.{name.lstrip('.')}"
        if target in seen:
            continue
        try:
            sub = importlib.import_module(target)
        except Exception as exc:
            raise PluginError(f"rule module {target!r} (listed by {module.__name__}) "
                              f"failed to import: {type(exc).__name__}: {exc}") from exc
        found.extend(rules_in_module(sub, seen))
    return found


class EntryPoint(NamedTuple):
    name: str
    value: str  # "module" or "module:attribute"
    distribution: str

    def load(self):
        module, _, attr = self.value.partition(":")
        obj = importlib.import_module(module.strip())
        for part in filter(None, attr.strip().split(".")):
            obj = getattr(obj, part)
        return obj


def entry_points() -> list[EntryPoint]:
    """The ``dockerlint.rules`` entry points of every installed distribution.

    Why not ``importlib.metadata.entry_points()``: importing it and scanning
    every distribution costs 30-60 ms, a third of a one-file run (the case a
    pre-commit hook pays on every commit). This reads the same files
    (``*.dist-info``/``*.egg-info`` ``entry_points.txt`` on ``sys.path``, the
    first distribution of a name wins) and opens only the directories; zipped
    path entries fall back to importlib.metadata.
    """
    if any(entry and os.path.isfile(entry) for entry in sys.path):
        from importlib.metadata import entry_points as slow

        return [EntryPoint(ep.name, ep.value, getattr(ep.dist, "name", "") or "")
                for ep in slow(group=ENTRY_POINT_GROUP)]
    found: list[EntryPoint] = []
    seen: set[str] = set()
    for entry in sys.path:
        directory = entry or "."
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            dist = re.sub(r"[-_.]+", "_", name.rsplit(".", 1)[0].split("-")[0]).lower()
            if dist in seen:
                continue
            seen.add(dist)
            try:
                with open(os.path.join(directory, name, "entry_points.txt"), encoding="utf-8") as fh:
                    text = fh.read()
            except OSError:
                continue
            if f"[{ENTRY_POINT_GROUP}]" in text:
                found.extend(EntryPoint(k, v, dist) for k, v in _section(text, ENTRY_POINT_GROUP))
    return found


def _section(text: str, group: str) -> list[tuple[str, str]]:
    """``name = value`` pairs of one ``[group]`` of an entry_points.txt (INI format)."""
    pairs, inside = [], False
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            inside = line == f"[{group}]"
        elif inside and "=" in line:
            key, _, value = line.partition("=")
            pairs.append((key.strip(), value.strip()))
    return pairs


def _entry_points() -> list[EntryPoint]:
    return sorted(entry_points(), key=lambda ep: (ep.name != "builtin", ep.name))


def load_rules(extra: Iterable[Rule] = ()) -> dict[str, Rule]:
    """All installed rules by id, sorted by id; ``extra`` rules are added last.

    Raises PluginError naming the entry point when a plugin cannot be loaded
    or defines an id twice.
    """
    rules: dict[str, Rule] = {}
    origin: dict[str, str] = {}

    def add(r: Rule, where: str) -> None:
        if r.id in rules and rules[r.id] is not r:
            if where == "dockerlint" or origin[r.id] == "dockerlint":
                # A pack may document an engine rule (DL1000) itself: keep the pack's docs.
                if where != "dockerlint":
                    rules[r.id], origin[r.id] = r, where
                return
            raise PluginError(f"rule id {r.id} is defined twice: by {origin[r.id]} and by {where}")
        rules[r.id], origin[r.id] = r, where

    for r in ENGINE_RULES:
        add(r, "dockerlint")
    points = _entry_points()
    if not any(ep.value.strip() == BUILTIN_PACK for ep in points):
        raise PluginError(NOT_INSTALLED)
    for ep in points:
        where = f"plugin {ep.name!r} ({ep.value})"
        try:
            module = ep.load()
        except ModuleNotFoundError as exc:
            if ep.value.strip() == BUILTIN_PACK and exc.name == BUILTIN_PACK:  # run from a checkout
                raise PluginError(NOT_INSTALLED) from exc
            raise PluginError(f"{where} failed to load: {type(exc).__name__}: {exc}") from exc
        except Exception as exc:
            raise PluginError(f"{where} failed to load: {type(exc).__name__}: {exc}") from exc
        if not isinstance(module, ModuleType):
            raise PluginError(f"{where} must name a module, not {type(module).__name__}")
        for r in rules_in_module(module):
            add(r, where)
    for r in extra:
        add(r, "the caller")
    return dict(sorted(rules.items()))


_CACHE: dict[str, Rule] | None = None


def installed_rules() -> dict[str, Rule]:
    """``load_rules()`` once per process."""
    global _CACHE
    if _CACHE is None:
        _CACHE = load_rules()
    return _CACHE


class Selection(NamedTuple):
    """One layer of rule selection, as written in a config file or on the CLI.

    ``select`` (when not None) replaces the rules chosen so far,
    ``extend_select`` adds, ``ignore`` removes. Layers apply in order (config
    file first, then the command line), the way ruff layers them.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = True  # False (hadolint configs): selectors for rules we lack are skipped


def match(selector: str, rules: Mapping[str, Rule]) -> tuple[list[str], bool]:
    """Rule ids a selector names, and whether it named them exactly.

    A selector is ``ALL``, a rule id, an alias, a rule name (case-insensitive),
    one id of a rule family (``SC2086``, see ``Rule.codes``; it is returned
    itself, though it is not a key of ``rules``), a category, an id prefix or a
    profile. Exact names and profiles may enable
    rules that are off by default; broad selectors (prefix, category, ALL)
    never do. Profiles: ``profile:default`` (the rules on by default: the
    high-confidence set), ``profile:security`` (every security rule),
    ``profile:strict`` (every rule: digests, .pyc timestamps, ...).
    """
    sel = selector.strip()
    folded = sel.casefold()
    if folded == "all":
        return list(rules), False
    if folded in PROFILES:
        return [rid for rid, r in rules.items() if PROFILES[folded](r)], True
    exact = [rid for rid, r in rules.items() if folded in (n.casefold() for n in r.names)]
    if exact:
        return exact, True
    if any(r.codes and r.owns(sel) for r in rules.values()):  # SC2086: one id of a rule family
        return [sel.upper()], True
    if folded in CATEGORIES or any(r.category == folded for r in rules.values()):
        return [rid for rid, r in rules.items() if r.category == folded], False
    return [rid for rid in rules if rid.casefold().startswith(folded)], False


# A hadolint rule id (or a ShellCheck one): one dockerlint lacks (a retired DL3005, a newer hadolint's)
# is skipped with a warning (``unknown()``), never an error, so a hadolint user's config keeps working.
HADOLINT_ID = re.compile(r"(?:DL|SC)\d{4}", re.IGNORECASE)


def unknown(selectors: Iterable[str], rules: Mapping[str, Rule]) -> list[str]:
    """The selectors that name no rule (in order, once each): the ones a warning names."""
    out: list[str] = []
    for sel in selectors:
        if sel.strip().casefold() in CATEGORIES or sel in out:
            continue
        if not sel.strip() or not match(sel, rules)[0]:
            out.append(sel)
    return out


def check_selectors(selectors: Iterable[str], rules: Mapping[str, Rule], where: str = "") -> None:
    """Raise SelectorError for the first selector that matches no rule (hadolint ids excepted:
    those are skipped, and the command line warns about them)."""
    for sel in selectors:
        if sel.strip().casefold() in CATEGORIES or HADOLINT_ID.fullmatch(sel.strip()):
            continue
        if not sel.strip() or not match(sel, rules)[0]:
            suffix = f" in {where}" if where else ""
            raise SelectorError(f"unknown rule {sel!r}{suffix} (not a rule id, prefix, name or "
                                f"category; {suggest(sel, rules) or 'see `dockerlint rules`'})")


def suggest(selector: str, rules: Mapping[str, Rule]) -> str:
    """``did you mean DL3007?`` for a near miss of a rule id or name; empty when nothing is close."""
    from difflib import get_close_matches

    names = {**{rid.casefold(): rid for rid in rules}, **{r.name.casefold(): r.name for r in rules.values()}}
    close = get_close_matches(selector.strip().casefold(), list(names), n=1, cutoff=0.8)
    return f"did you mean {names[close[0]]}?" if close else ""


class Enabled(frozenset):
    """The enabled rule ids, and the ids of rule families (``SC2086``) turned on or off one by one.

    ``rid in enabled`` asks about a rule; ``enabled.allows(rule_id)`` about a
    finding's id: a family id is reported when selected by itself, or when its
    family is enabled and that id is not ignored.
    """

    off: frozenset[str] = frozenset()  # family ids ignored one by one
    family_rules: tuple[Rule, ...] = ()  # the rules with ``codes``

    def allows(self, rule_id: str) -> bool:
        if rule_id in self:
            return True
        if rule_id in self.off:
            return False
        return any(r.id in self and r.owns(rule_id) for r in self.family_rules)

    def wants(self, r: Rule) -> bool:
        """Whether rule ``r`` must run: it is enabled, or (a family) one of its ids is."""
        return r.id in self or (r.codes is not None and any(r.owns(i) for i in self if i not in self.off))


def owner(rule_id: str, rules: Mapping[str, Rule]) -> str:
    """The rule a finding's id belongs to: itself, or the family rule whose codes it is."""
    if rule_id in rules:
        return rule_id
    return next((rid for rid, r in rules.items() if r.codes and r.owns(rule_id)), rule_id)


def select(rules: Mapping[str, Rule], layers: Sequence[Selection]) -> Enabled:
    """The enabled rule ids after applying every layer to the default set."""

    def expand(selectors: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for sel in selectors:
            ids, exact = match(sel, rules)
            out.update(i for i in ids if exact or rules[i].default_enabled)
        return out

    enabled = {rid for rid, r in rules.items() if r.default_enabled}
    off: set[str] = set()
    for layer in layers:
        if layer.strict:
            check_selectors([*(layer.select or ()), *layer.extend_select, *layer.ignore], rules)
        if layer.select is not None:
            enabled = expand(layer.select)
            off = set()
        added = expand(layer.extend_select)
        enabled |= added
        off -= added
        for sel in layer.ignore:
            ids = set(match(sel, rules)[0])
            enabled -= ids
            off |= {i for i in ids if i not in rules}
    if layers and not {i for i in enabled if i in rules} - ENGINE_ONLY and not any(i not in rules for i in enabled):
        chosen = ", ".join(s for layer in layers for s in (*(layer.select or ()), *layer.extend_select))
        raise SelectorError(f"the selection ({chosen or 'nothing'}) enables no rule: nothing would be checked "
                            "(see `dockerlint rules`)")
    out = Enabled(enabled)
    out.off = frozenset(off)
    out.family_rules = tuple(r for r in rules.values() if r.codes)
    return out
