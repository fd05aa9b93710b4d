"""The public rule API: the ``@rule`` decorator and the ``Rule`` it makes.

A rule is a generator over the model (``dockerlint.model.Dockerfile``) that
yields ``Finding``s. Its docstring is its documentation::

    Summary sentence (the default message).

    Why: one paragraph on what goes wrong.

    Bad:
        FROM python:latest
    Good:
        FROM python:3.12.7-slim-bookworm
    Fix: what --fix writes.           Fix safety: why the fix is safe (or not).
    Options: the settings it reads.   References: links to the peers' docs.
    Note: everything else (deliberate differences from hadolint, edge cases).

A ``Rule`` carries its metadata eagerly and its check lazily: the registry
builds ``Rule`` objects from the generated index (``rules/_index.py``) without
importing a single rule module, and the first call imports the module that
defines it. The docstring is parsed on first use of ``doc`` (only ``explain``,
``rules``, SARIF and the docs read it).
"""
from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from dockerlint.findings import Finding, Severity

CATEGORIES = (
    "syntax", "reproducibility", "performance", "security", "maintainability",
    "correctness", "ml", "style",
)

# Every instruction BuildKit's dispatcher knows; ``on=`` names some of them.
INSTRUCTIONS = frozenset({
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
})

# The flags BuildKit's instruction parsers accept (``instructions/parse.go``); any
# other flag fails the build with "unknown flag". Instructions not listed take none.
INSTRUCTION_FLAGS = {
    "FROM": frozenset({"platform"}),
    "RUN": frozenset({"mount", "network", "security", "device"}),
    "COPY": frozenset({"from", "chown", "chmod", "link", "parents", "exclude"}),
    "ADD": frozenset({"chown", "chmod", "link", "checksum", "keep-git-dir", "exclude", "unpack"}),
    "HEALTHCHECK": frozenset({"interval", "timeout", "start-period", "start-interval", "retries"}),
}

# Peer tools whose check ids a rule may declare it covers.
PEERS = ("hadolint", "buildkit", "trivy", "checkov")

_SECTION = re.compile(r"^(Why|Bad|Good|Fix safety|Fix|Options|References|Note):[ \t]*", re.MULTILINE)
_PROSE = ("Why", "Fix", "Fix safety", "Options", "Note")  # Bad/Good are code, References a list
_HADOLINT_ID = re.compile(r"DL\d{4}")


class RuleDoc(NamedTuple):
    summary: str
    why: str = ""
    bad: str = ""
    good: str = ""
    fix: str = ""
    fix_safety: str = ""
    options: str = ""
    references: str = ""
    note: str = ""


def parse_doc(docstring: str | None) -> RuleDoc:
    """Split a rule docstring into its summary and sections."""
    text = inspect.cleandoc(docstring or "")
    parts = _SECTION.split(text)
    summary = " ".join(parts[0].split())
    sections: dict[str, str] = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        text = inspect.cleandoc(body).strip("\n")
        if name in _PROSE:  # "Why: nothing else…" reads as a sentence wherever it is shown alone
            text = text[:1].upper() + text[1:]
        sections[name.lower().replace(" ", "_")] = text
    return RuleDoc(summary=summary, **sections)


class RuleOptions(NamedTuple):
    """Settings a rule may ask for by declaring a keyword parameter ``options``."""

    trusted_registries: tuple[str, ...] = ()
    required_labels: Mapping[str, str] = MappingProxyType({})
    strict_labels: bool = False


class RuleLoadError(Exception):
    """The module an index row names does not define that rule."""


Check = Callable[..., Iterable[Finding]]


class Rule:
    """One rule: what the index knows of it, and its check, imported on first use.

    ``on`` lists the instructions the rule reads; the engine skips the rule
    (without importing it) for a file that has none of them. An empty ``on``
    means the rule reads the whole file or its build context.
    """

    __slots__ = ("_check", "_codes", "_doc", "_docstring", "_wants_options", "aliases", "buildkit", "category",
                 "causes", "codes", "default_enabled", "fixable", "id", "module", "name", "on", "peers",
                 "severity")

    def __init__(self, *, id: str, name: str, severity: Severity, category: str, module: str,
                 check: Check | None = None, docstring: str | None = None, aliases: Iterable[str] = (),
                 fixable: bool = False, default_enabled: bool = True, on: Iterable[str] = (),
                 buildkit: str | None = None, causes: Iterable[str] = (),
                 peers: Mapping[str, Iterable[str]] | None = None, doc: RuleDoc | None = None,
                 codes: str | None = None):
        self.id = id
        self.name = name
        self.severity = severity
        self.category = category
        self.module = module
        self.aliases = tuple(aliases)
        self.fixable = fixable
        self.default_enabled = default_enabled
        self.on = frozenset(on)
        self.buildkit = buildkit
        self.causes = tuple(causes)
        self.peers: Mapping[str, tuple[str, ...]] = MappingProxyType(
            {tool: tuple(ids) for tool, ids in (peers or {}).items() if ids})
        self._check = check
        self._docstring = docstring
        self._doc: RuleDoc | None = doc  # given: documentation that is not a docstring (verify causes)
        self._wants_options: bool | None = None
        self.codes = codes  # a rule family: the pattern of the ids its findings carry (``SC\\d{4}``)
        self._codes = re.compile(codes, re.IGNORECASE) if codes else None

    def __repr__(self) -> str:
        return f"<Rule {self.id} {self.name}>"

    @property
    def loaded(self) -> bool:
        return self._check is not None

    @property
    def check(self) -> Check:
        """The check function (its module is imported the first time it is asked for)."""
        if self._check is None:
            self._load()
        assert self._check is not None
        return self._check

    @property
    def doc(self) -> RuleDoc:
        if self._doc is None:
            if self._docstring is None and self._check is None:
                self._load()
            self._doc = parse_doc(self._docstring)
        return self._doc

    @property
    def summary(self) -> str:
        return self.doc.summary

    @property
    def wants_options(self) -> bool:
        """Whether the check takes the run's ``RuleOptions`` (a keyword parameter ``options``)."""
        if self._wants_options is None:
            try:
                self._wants_options = "options" in inspect.signature(self.check).parameters
            except (TypeError, ValueError):
                self._wants_options = False
        return self._wants_options

    def owns(self, code: str) -> bool:
        """Whether ``code`` is one of the ids this rule family reports (``SC2086`` for ShellCheck)."""
        return self._codes is not None and self._codes.fullmatch(code) is not None

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a selector, suppression or ``# check=skip=`` may use for this rule."""
        extra = (self.buildkit,) if self.buildkit and self.buildkit not in self.aliases else ()
        return (self.id, self.name, *self.aliases, *extra)

    def metadata(self) -> dict[str, Any]:
        """What the index stores of the rule (``dockerlint rules --format json`` prints it)."""
        return {"id": self.id, "name": self.name, "severity": str(self.severity), "category": self.category,
                "module": self.module, "on": sorted(self.on), "aliases": list(self.aliases),
                "fixable": self.fixable, "default_enabled": self.default_enabled,
                "buildkit": self.buildkit, "causes": list(self.causes),
                "peers": {tool: list(ids) for tool, ids in self.peers.items()},
                **({"codes": self.codes} if self.codes else {})}

    def __call__(self, df: Any, **kwargs: Any) -> Iterable[Finding]:
        return self.check(df, **kwargs)

    def _load(self) -> None:
        module = importlib.import_module(self.module)
        for value in vars(module).values():
            if isinstance(value, Rule) and value.id == self.id and value._check is not None:
                self._check, self._docstring = value._check, value._docstring
                return
        raise RuleLoadError(f"module {self.module} does not define rule {self.id} (regenerate the index: "
                            "python -m dockerlint.dev generate)")


def rule(
    *,
    id: str,
    name: str,
    severity: Severity,
    category: str,
    on: Iterable[str] = (),
    aliases: Iterable[str] = (),
    fixable: bool = False,
    default_enabled: bool = True,
    buildkit: str | None = None,
    causes: Iterable[str] = (),
    hadolint: Iterable[str] | None = None,
    trivy: Iterable[str] = (),
    checkov: Iterable[str] = (),
    codes: str | None = None,
) -> Callable[[Check], Rule]:
    """Turn a check function into a ``Rule``.

    ``on``: the instructions the check reads (``("RUN",)``); leave empty only
    for rules that read the build context or the whole file. ``buildkit``:
    the BuildKit build-check name the rule implements (it works as an alias
    and in ``# check=skip=``). ``causes``: the ``dockerlint verify`` cause ids
    the rule prevents. ``hadolint``/``trivy``/``checkov``: the peer checks it
    covers (a ``DLxxxx`` id is its own hadolint peer unless said otherwise).
    ``codes``: for a rule family (ShellCheck), the pattern of the ids its
    findings carry; each such id works in selections, severities and
    suppressions like a rule id of its own.
    """
    if category not in CATEGORIES:
        raise ValueError(f"rule {id}: unknown category {category!r}")
    unknown = set(on) - INSTRUCTIONS
    if unknown:
        raise ValueError(f"rule {id}: on= names unknown instructions {sorted(unknown)}")
    if hadolint is None:
        hadolint = (id,) if _HADOLINT_ID.fullmatch(id) else ()
    peers = {"hadolint": tuple(hadolint), "buildkit": (buildkit,) if buildkit else (),
             "trivy": tuple(trivy), "checkov": tuple(checkov)}

    def wrap(check: Check) -> Rule:
        return Rule(
            id=id, name=name, severity=severity, category=category, module=check.__module__,
            check=check, docstring=check.__doc__, aliases=aliases, fixable=fixable,
            default_enabled=default_enabled, on=on, buildkit=buildkit, causes=causes, peers=peers,
            codes=codes,
        )

    return wrap
