"""Inline suppressions: comments in a Dockerfile that silence findings.

Understood forms (``hadolint`` may replace ``dockerlint`` so existing files
keep working; text after the ids is a free-form reason)::

    # dockerlint ignore=DL3008,DL3015 pinned by the snapshot mirror
    RUN apt-get install -y curl            <- the next instruction only

    # dockerlint stage ignore=DL3002       <- the next stage (its FROM up to the next FROM)
    # dockerlint global ignore=DL3059      <- the whole file, wherever it is written

    # check=skip=JSONArgsRecommended       <- BuildKit's parser directive: BuildKit check
                                              names, as rules declare them (``buildkit=``);
                                              ``all`` = every BuildKit check we have
    # check=error=true                     <- findings of BuildKit checks become errors

Ids may also be rule names or aliases. A suppression that silences nothing
is reported as DLINT002 (unused-suppression) when that rule is selected;
unknown ids in ``# hadolint`` comments are left alone (ShellCheck's SC codes,
say, mean something to hadolint).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import NamedTuple

from dockerlint.findings import Finding, Severity
from dockerlint.registry import UNUSED_SUPPRESSION, match
from dockerlint.rule import Rule
from dockerlint.syntax.nodes import Span, SyntaxTree

_PRAGMA = re.compile(
    r"^\s*#\s*(?P<tool>dockerlint|hadolint)\s+(?:(?P<scope>global|stage)\s+)?ignore\s*=\s*"
    r"(?P<ids>[\w\-.]+(?:\s*,\s*[\w\-.]+)*)(?P<reason>.*)$",
    re.IGNORECASE,
)


class Suppression(NamedTuple):
    kind: str  # "next", "stage", "global" or "check"
    selectors: tuple[str, ...]
    span: Span  # the comment (or directive)
    first_line: int  # lines of findings it covers (inclusive)
    last_line: int
    reason: str = ""
    tool: str = "dockerlint"  # "hadolint" for hadolint's spelling: its unknown ids may be hadolint-only


def is_buildkit_check(r: Rule) -> bool:
    """Whether the rule implements one of BuildKit's build checks (it declares ``buildkit=``)."""
    return r.buildkit is not None


def collect(tree: SyntaxTree) -> list[Suppression]:
    """Every suppression written in the file, in source order."""
    source = tree.source
    instructions = tree.instructions
    inside: set[int] = set()  # continuation/heredoc lines: a '#' there is not a comment
    for ins in instructions:
        inside.update(range(ins.span.line + 1, ins.span.end_line + 1))
    starts = [ins.span.line for ins in instructions]
    from_lines = [ins.span.line for ins in instructions if ins.keyword == "FROM"]
    last_line = source.line_count

    found: list[Suppression] = []
    for number, text in enumerate(source.text.split("\n"), 1):  # Source counts lines by \n only
        if "ignore" not in text.lower() or number in inside:
            continue
        m = _PRAGMA.match(text)
        if not m:
            continue
        selectors = tuple(s.strip() for s in m["ids"].split(","))
        scope = (m["scope"] or "").lower()
        span = source.line_span(number)
        reason = m["reason"].strip().lstrip("#").strip()
        tool = m["tool"].lower()
        if scope == "global":
            found.append(Suppression("global", selectors, span, 1, last_line, reason, tool))
            continue
        bound = from_lines if scope == "stage" else starts
        k = bisect.bisect_right(bound, number)
        if k == len(bound):  # nothing follows: covers nothing, reported when unused
            found.append(Suppression(scope or "next", selectors, span, 0, -1, reason, tool))
        elif scope == "stage":
            end = from_lines[k + 1] - 1 if k + 1 < len(from_lines) else last_line
            found.append(Suppression("stage", selectors, span, from_lines[k], end, reason, tool))
        else:
            ins = instructions[k]
            found.append(Suppression("next", selectors, span, ins.span.line, ins.span.end_line, reason, tool))

    skip = _check_directive(tree).get("skip", "")
    names = tuple(v.strip() for v in skip.split(",") if v.strip())
    if names:
        found.append(Suppression("check", names, tree.directive("check").span, 1, last_line))
    return found


def buildkit_errors(tree: SyntaxTree) -> bool:
    """Whether the file says ``# check=error=true``."""
    return _check_directive(tree).get("error", "").lower() == "true"


def _check_directive(tree: SyntaxTree) -> dict[str, str]:
    """``# check=skip=A,B;error=true`` as {"skip": "A,B", "error": "true"}."""
    check = tree.directive("check")
    if check is None:
        return {}
    options = {}
    for part in check.value.split(";"):
        key, _, value = part.partition("=")
        options[key.strip().lower()] = value.strip()
    return options


def apply(
    findings: Iterable[Finding],
    suppressions: list[Suppression],
    rules: Mapping[str, Rule],
    report_unused: bool,
    path: str = "",
    enabled: frozenset[str] | None = None,
) -> list[Finding]:
    """Drop suppressed findings; add DLINT002 findings for unused suppressions.

    A suppression of rules that are not selected in this run is not called
    unused: it may well be needed when they are.
    """
    targets = [[_targets(sel, s.kind, rules) for sel in s.selectors] for s in suppressions]
    used = [[False] * len(s.selectors) for s in suppressions]
    kept: list[Finding] = []
    for f in findings:
        hit = False
        for i, s in enumerate(suppressions):
            if not (s.first_line <= f.span.line <= s.last_line):
                continue
            for j, ids in enumerate(targets[i]):
                if f.rule_id in ids:
                    used[i][j] = hit = True
        if not hit:
            kept.append(f)
    if report_unused:
        unused_rule = rules[UNUSED_SUPPRESSION]
        for i, s in enumerate(suppressions):
            for j, sel in enumerate(s.selectors):
                if used[i][j] or s.kind == "check":
                    continue
                known = targets[i][j]
                if known and enabled is not None and not known & enabled:
                    continue
                if not known and s.tool == "hadolint":  # e.g. ShellCheck's SC codes: hadolint's business
                    continue
                why = "no such rule" if not known else f"nothing to suppress {_where(s.kind)}"
                kept.append(Finding(
                    message=f"unused suppression of {sel}: {why}", span=s.span,
                    rule_id=unused_rule.id, rule_name=unused_rule.name,
                    severity=unused_rule.severity, category=unused_rule.category, path=path,
                ))
    return kept


def escalate_buildkit(findings: Iterable[Finding], rules: Mapping[str, Rule]) -> list[Finding]:
    """``check=error=true``: findings of BuildKit checks become errors, as the build would fail."""
    return [replace(f, severity=Severity.ERROR)
            if f.rule_id in rules and is_buildkit_check(rules[f.rule_id]) else f
            for f in findings]


def _targets(selector: str, kind: str, rules: Mapping[str, Rule]) -> frozenset[str]:
    if kind == "check" and selector.casefold() == "all":
        return frozenset(rid for rid, r in rules.items() if is_buildkit_check(r))
    return frozenset(match(selector, rules)[0])


def _where(kind: str) -> str:
    return {"next": "on the next instruction", "stage": "in the next stage",
            "global": "in this file"}[kind]
