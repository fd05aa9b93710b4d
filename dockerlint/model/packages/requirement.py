"""One PEP 508 requirement string, read the way ``packaging`` reads it, for the install view and the manifests.

``packaging`` is the reference, but importing it costs more than linting a small
file (its tokenizer, markers and tags modules). Most requirement strings are a
plain name, extras and simple version clauses (``torch``, ``numpy==1.26.4``,
``uvicorn[standard]>=0.30,<1``); those are read here by one regular expression
whose language is a subset of PEP 508 with the same results packaging gives
(the property tests compare the two). Anything else (markers, URLs, local
versions, pre-releases, parentheses, ``===``) goes to ``packaging``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple


class Requirement(NamedTuple):
    """What a requirement asks for; ``specifier`` is packaging's ``str(SpecifierSet)`` (sorted, comma-joined)."""

    name: str  # as written
    extras: tuple[str, ...]  # sorted, as written
    specifiers: tuple[tuple[str, str], ...]  # (operator, version) in specifier order
    specifier: str
    marker: str | None
    url: str | None


def canonical_name(name: str) -> str:
    """PEP 503 normalised project name (what ``packaging.utils.canonicalize_name`` returns)."""
    return _SEPARATORS.sub("-", name).lower()


@lru_cache(maxsize=4096)
def parse_requirement(text: str) -> Requirement | None:
    """``text`` as one PEP 508 requirement; None when packaging would reject it."""
    simple = _SIMPLE.fullmatch(text)
    if simple is not None:
        clauses = tuple(_clause(part) for part in simple.group("specs").split(",")) if simple.group("specs") else ()
        # Two clauses of one operator may be equal to packaging (==1.0 and ==1.00): it decides those.
        if all(_valid_clause(op, version) for op, version in clauses) \
                and len({op for op, _ in clauses}) == len(clauses):
            extras = simple.group("extras")
            return Requirement(
                name=simple.group("name"),
                extras=tuple(sorted({e.strip() for e in extras.split(",")})) if extras else (),
                specifiers=clauses,
                specifier=",".join(sorted({op + version for op, version in clauses})),
                marker=None, url=None)
    return _with_packaging(text)


def _clause(text: str) -> tuple[str, str]:
    found = _CLAUSE.fullmatch(text)
    assert found is not None  # _SIMPLE matched these clauses already
    return found.group(1), found.group(2)


def _valid_clause(op: str, version: str) -> bool:
    if version.endswith(".*"):
        return op in ("==", "!=")
    return op != "~=" or "." in version


def _with_packaging(text: str) -> Requirement | None:
    from packaging.requirements import InvalidRequirement
    from packaging.requirements import Requirement as Parsed

    try:
        req = Parsed(text)
    except InvalidRequirement:
        return None
    return Requirement(
        name=req.name, extras=tuple(sorted(req.extras)),
        specifiers=tuple((s.operator, s.version) for s in req.specifier),
        specifier=str(req.specifier),
        marker=str(req.marker) if req.marker is not None else None,
        url=req.url or None)


_SEPARATORS = re.compile(r"[-_.]+")
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_CLAUSE_TEXT = r"[ \t]*(~=|==|!=|<=|>=|<|>)[ \t]*([0-9]+(?:\.[0-9]+)*(?:\.\*)?)[ \t]*"
_CLAUSE = re.compile(_CLAUSE_TEXT)
_SIMPLE = re.compile(
    rf"[ \t]*(?P<name>{_NAME})[ \t]*"
    rf"(?:\[[ \t]*(?P<extras>{_NAME}(?:[ \t]*,[ \t]*{_NAME})*)[ \t]*\])?"
    rf"(?P<specs>{_CLAUSE_TEXT}(?:,{_CLAUSE_TEXT})*)?[ \t]*")
