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
    # check=experimental=CopyIgnoredFile   <- runs BuildKit's experimental (opt-in) checks
                                              for this file (``all``: every one); a check
                                              named here is never skipped

As in BuildKit, parts are separated by ``;``, the directive's value ends at
its first space, and a ``BUILDKIT_DOCKERFILE_CHECK`` build argument (same
syntax) replaces the directive entirely.

Ids may also be rule names or aliases. A suppression that silences nothing
is reported as DLINT002 (unused-suppression) when that rule is selected;
unknown ids in ``# hadolint`` comments are left alone (they may mean something
to hadolint). ShellCheck's ids (``SC2086``) are ids of the ShellCheck rule
family: a comment naming one suppresses it, one naming ``SC`` all of them.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import NamedTuple

from dockerlint.findings import Finding, Severity
from dockerlint.registry import UNUSED_SUPPRESSION, Enabled, match, owner
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
    keep: tuple[str, ...] = ()  # "check": BuildKit names ``experimental=`` keeps despite ``skip=all``


class CheckOptions(NamedTuple):
    """BuildKit's lint options (``# check=`` or ``BUILDKIT_DOCKERFILE_CHECK``)."""

    skip: tuple[str, ...] = ()  # names; "all" stands for every BuildKit check
    error: bool = False
    experimental: tuple[str, ...] = ()  # names; "all" stands for every experimental check
    span: Span | None = None  # the directive, None when the build argument gave them

    @property
    def experimental_all(self) -> bool:
        return any(name.casefold() == "all" for name in self.experimental)


_TRUE = frozenset({"1", "t", "true"})
_FALSE = frozenset({"0", "f", "false"})


def check_options(tree: SyntaxTree, build_args: Iterable[tuple[str, str]] | Mapping[str, str] = ()) -> CheckOptions:
    """The BuildKit lint options in force: the build argument wins over the directive.

    Malformed parts (an unknown key, ``error=maybe``) are ignored here; they
    are BuildKit's own errors, not the linter's.
    """
    args = dict(build_args.items() if isinstance(build_args, Mapping) else build_args)
    span = None
    text = args.get("BUILDKIT_DOCKERFILE_CHECK")
    if text is None:
        directive = tree.directive("check")
        if directive is None:
            return CheckOptions()
        text, span = directive.value, directive.span
    words = text.split(None, 1)
    text = words[0] if words else ""
    skip: list[str] = []
    experimental: list[str] = []
    error = False
    for part in text.split(";"):
        key, _, value = part.partition("=")
        key = key.strip().lower()
        names = [v.strip() for v in value.split(",") if v.strip()]
        if key == "skip":
            skip.extend(names)
        elif key == "experimental":
            experimental.extend(names)
        elif key == "error":
            error = value.strip().lower() in _TRUE
    return CheckOptions(tuple(skip), error, tuple(experimental), span)


def is_buildkit_check(r: Rule) -> bool:
    """Whether the rule implements one of BuildKit's build checks (it declares ``buildkit=``)."""
    return r.buildkit is not None


def collect(tree: SyntaxTree, build_args: Iterable[tuple[str, str]] | Mapping[str, str] = ()) -> list[Suppression]:
    """Every suppression written in the file, in source order (``check=skip`` last)."""
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

    check = check_options(tree, build_args)
    if check.skip:
        span = check.span if check.span is not None else source.span(0, 0)
        found.append(Suppression("check", check.skip, span, 1, last_line, keep=check.experimental))
    return found


def buildkit_errors(tree: SyntaxTree, build_args: Iterable[tuple[str, str]] | Mapping[str, str] = ()) -> bool:
    """Whether ``check=error=true`` is in force (directive or build argument)."""
    return check_options(tree, build_args).error


def experimental_rules(check: CheckOptions, rules: Mapping[str, Rule]) -> list[str]:
    """Ids of the opt-in BuildKit checks ``experimental=`` turns on for the file."""
    if not check.experimental:
        return []
    opt_in = {rid: r for rid, r in rules.items() if is_buildkit_check(r) and not r.default_enabled}
    if check.experimental_all:
        return sorted(opt_in)
    wanted = set(check.experimental)
    return sorted(rid for rid, r in opt_in.items() if wanted & set(r.names))


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
    targets = [[_targets(sel, s.kind, rules) - _kept(s, rules) for sel in s.selectors] for s in suppressions]
    used = [[False] * len(s.selectors) for s in suppressions]
    kept: list[Finding] = []
    for f in findings:
        hit = False
        for i, s in enumerate(suppressions):
            if f.path and path and f.path != path:  # in another file (a .py the image runs): not its lines
                if s.kind != "global":
                    continue
            elif not (s.first_line <= f.span.line <= s.last_line):
                continue
            for j, ids in enumerate(targets[i]):
                if f.rule_id in ids or (f.rule_id not in rules and owner(f.rule_id, rules) in ids):
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
                if known and enabled is not None and not any(
                        (enabled.allows(k) if isinstance(enabled, Enabled) else k in enabled) for k in known):
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


def _kept(s: Suppression, rules: Mapping[str, Rule]) -> frozenset[str]:
    """Rules ``experimental=`` names: BuildKit never skips them."""
    if not s.keep:
        return frozenset()
    if any(name.casefold() == "all" for name in s.keep):
        return frozenset(rid for rid, r in rules.items() if is_buildkit_check(r) and not r.default_enabled)
    return frozenset(rid for name in s.keep for rid in match(name, rules)[0])


def _where(kind: str) -> str:
    return {"next": "on the next instruction", "stage": "in the next stage",
            "global": "in this file"}[kind]
