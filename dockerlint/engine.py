"""The lint engine: source -> syntax tree -> model -> selected rules -> filtered, sorted findings.

It knows nothing about any particular rule. A rule's exception never stops
the run: it becomes a DLINT001 (internal-error) finding naming the rule, and
the CLI exits 2 because the result is incomplete. Bad input never raises: a
file BuildKit would reject becomes one DL1000 finding with its position.

Public API (re-exported by ``dockerlint``)::

    lint_text(text, path="Dockerfile", **options) -> list[Finding]
    lint_path(path, **options) -> list[Finding]

``options`` are the config keys in Python spelling: select, extend_select,
ignore, severity ({selector: level}), build_args, context, target,
trusted_registries, required_labels, strict_labels, disable_ignore_pragma,
per_file_ignores; plus ``config`` (a config file path; for lint_path None
means "discover it as the CLI does", False means "none") and ``rules`` (lint
with exactly these Rule objects instead of the installed ones).
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from dockerlint.config import ConfigFinder, Overrides, Settings
from dockerlint.discover import implied_context
from dockerlint.findings import Finding, Severity
from dockerlint.pathglob import PathGlob
from dockerlint.registry import (
    ENGINE_RULES,
    INLINE_PRAGMA,
    INTERNAL_ERROR,
    SYNTAX_ERROR,
    UNUSED_SUPPRESSION,
    SelectorError,
    installed_rules,
    match,
    owner,
    select,
)
from dockerlint.rule import INSTRUCTION_FLAGS, INSTRUCTIONS, Rule, RuleOptions
from dockerlint.syntax.nodes import Span

MAX_FIX_PASSES = 10


def _rule_seconds(default: float = 120.0) -> float:
    try:
        seconds = float(os.environ.get("DOCKERLINT_RULE_SECONDS") or default)
    except ValueError:
        return default
    return seconds if 0 < seconds < 1e6 else default


#: Time one rule may take on one file before it is stopped and reported as DLINT001
#: (a plugin rule that loops forever must not hang a CI job); above ShellCheck's own 60 s, which
#: ends in a warning instead. Where SIGALRM is unavailable
#: (Windows, a thread other than the main one) rules run without the limit. DOCKERLINT_RULE_SECONDS
#: changes it.
RULE_SECONDS = _rule_seconds()


class RuleTimeout(Exception):
    def __init__(self, seconds: float):
        super().__init__(f"took more than {seconds:g} s on this file and was stopped")


class _time_limit:
    """Raise RuleTimeout in the main thread ``seconds`` after the last ``restart()`` (SIGALRM; the
    handler is installed once for all the rules of a file); a no-op elsewhere."""

    __slots__ = ("seconds", "previous", "armed")

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.armed = False

    def __enter__(self):
        import signal
        import threading

        if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
            return self
        if signal.getitimer(signal.ITIMER_REAL)[0]:
            return self  # someone else's timer is running: leave it alone

        def expired(signum, frame):
            raise RuleTimeout(self.seconds)

        self.previous = signal.signal(signal.SIGALRM, expired)
        self.armed = True
        return self

    def restart(self) -> None:
        if self.armed:
            import signal

            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def stop(self) -> None:
        if self.armed:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)

    def __exit__(self, *exc) -> None:
        if self.armed:
            import signal

            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


@dataclass
class FileResult:
    """What linting one file produced."""

    path: str  # as shown in reports
    findings: list[Finding]
    source: str  # the decoded text (for code frames)
    settings: Settings
    internal_errors: int = 0
    fixed: int = 0  # findings removed by --fix/--diff
    applied: list[Finding] = field(default_factory=list)  # the findings whose fixes were applied (--show-fixes)
    original: str | None = None  # the text before fixes, when fixes changed it
    created: dict[str, str] = field(default_factory=dict)  # files --fix creates (a .dockerignore): path -> text


class Linter:
    """Lints files with one rule set; settings may differ per file (nearest config)."""

    def __init__(self, rules: Mapping[str, Rule] | None = None, finder: ConfigFinder | None = None,
                 unsafe_fixes: bool = False):
        self.rules = dict(rules) if rules is not None else installed_rules()
        self.finder = finder or ConfigFinder()
        self.unsafe_fixes = unsafe_fixes  # --unsafe-fixes: also apply fixes their rule marks unsafe
        self._plans: dict[Settings, _Plan] = {}

    # -- entry points -------------------------------------------------------
    def lint_file(self, path: str, *, fix: bool = False) -> FileResult:
        """Lint a file on disk. Raises OSError when it cannot be read (or is not a regular file)."""
        from dockerlint.files import MAX_DOCKERFILE_BYTES, read_bounded

        data = read_bounded(path, MAX_DOCKERFILE_BYTES)
        settings = self.finder.for_file(path)
        return self.lint_data(data, path, settings, context_dir=implied_context(path), fix=fix)

    def lint_data(self, data: bytes | str, path: str, settings: Settings, *,
                  context_dir: str | None = None, fix: bool = False) -> FileResult:
        result = self._lint_once(data, path, settings, context_dir)
        if fix:
            result = self._fix(result, context_dir)
        return result

    # -- one pass -------------------------------------------------------------
    def _lint_once(self, data: bytes | str, path: str, settings: Settings,
                   context_dir: str | None) -> FileResult:
        from dockerlint.syntax import parse
        from dockerlint.syntax.nodes import DockerfileSyntaxError

        plan = self._plan(settings)
        try:
            tree = parse(data, path)
            _check_instructions(tree)
        except DockerfileSyntaxError as exc:
            text = data if isinstance(data, str) else data.decode("utf-8", errors="replace")
            finding = self._stamp(Finding(message=f"syntax error: {exc.message}", span=exc.span),
                                  self.rules[SYNTAX_ERROR], plan, path)
            shown = [finding] if SYNTAX_ERROR in plan.enabled_ids else []
            return FileResult(path, plan.filter_path(shown, path), text, settings)

        findings: list[Finding] = []
        internal = 0
        try:
            df = _build_model(tree, settings, path, settings.context or context_dir)
        except _ModelError as exc:
            rule = self.rules[INTERNAL_ERROR]
            findings.append(self._stamp(Finding(message=f"cannot analyse this file: {exc}",
                                                span=tree.source.span(0, 0)), rule, plan, path))
            return FileResult(path, findings, tree.source.text, settings, internal_errors=1)

        if settings.target and getattr(df, "target", True) is None:
            raise TargetError(f"{path}: target stage {settings.target!r} not found")
        present = {instr.keyword for instr in df.walk()}
        to_run = list(plan.rules)
        check = None
        if not settings.disable_ignore_pragma:
            from dockerlint import suppressions

            check = suppressions.check_options(tree, settings.build_args)
            to_run += [self.rules[rid] for rid in suppressions.experimental_rules(check, self.rules)
                       if rid not in plan.enabled_ids]  # `# check=experimental=`: opt-in checks for this file
        with _time_limit(RULE_SECONDS) as limit:
            internal += self._run_rules(to_run, present, df, tree, plan, path, findings, limit)

        if INLINE_PRAGMA in plan.enabled_ids:
            from dockerlint import suppressions

            findings.extend(
                self._stamp(Finding(message=f"Inline ignore pragma `{p.tool} {'' if p.kind == 'next' else p.kind + ' '}"
                                            f"ignore={','.join(p.selectors)}`: keep exceptions in the config's "
                                            "ignore lists", span=p.span), self.rules[INLINE_PRAGMA], plan, path)
                for p in suppressions.collect(tree) if p.kind != "check")
        if check is not None:
            pragmas = suppressions.collect(tree, settings.build_args)
            _warn_unknown_pragmas(pragmas, self.rules, path)
            if pragmas or UNUSED_SUPPRESSION in plan.enabled_ids:
                findings = suppressions.apply(findings, pragmas, self.rules,
                                              UNUSED_SUPPRESSION in plan.enabled_ids, path, plan.enabled_ids)
                findings = [self._stamp_severity(f, plan) for f in findings]
            if check.error:
                findings = suppressions.escalate_buildkit(findings, self.rules)
        findings = plan.filter_path(findings, path)
        findings.sort(key=lambda f: f.sort_key)
        return FileResult(path, findings, tree.source.text, settings, internal_errors=internal)

    def _run_rules(self, to_run: list[Rule], present, df, tree, plan: _Plan, path: str,
                   findings: list[Finding], limit: _time_limit) -> int:
        """Run each rule on the model, appending its findings; the number of rules that failed."""
        internal = 0
        for rule in to_run:
            if rule.on and rule.on.isdisjoint(present):
                continue  # the file has nothing this rule reads: its module is not even imported
            try:
                limit.restart()
                try:
                    produced = rule.check(df, options=plan.options) if rule.wants_options else rule.check(df)
                    produced = list(produced or ())  # a generator runs here, under the limit
                finally:
                    limit.stop()
                for f in produced:
                    if not isinstance(f, Finding) or not isinstance(f.span, Span):
                        raise TypeError(f"yielded {type(f).__name__} without a Span, not a Finding"
                                        if isinstance(f, Finding) else f"yielded {type(f).__name__}, not Finding")
                    if rule.codes is not None and f.rule_id and rule.owns(f.rule_id):
                        if plan.enabled_ids.allows(f.rule_id.upper()):  # a family's id (SC2086): selected one by one
                            findings.append(self._stamp_code(f, rule, plan, path))
                        continue
                    findings.append(self._stamp(f, rule, plan, path))
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - a plugin's bug (even sys.exit) must not stop the run
                internal += 1
                findings.append(self._stamp(
                    Finding(message=f"rule {rule.id} ({rule.name}) crashed: {type(exc).__name__}: {exc}",
                            span=tree.source.span(0, 0)),
                    self.rules[INTERNAL_ERROR], plan, path))
        return internal

    def _fix(self, result: FileResult, context_dir: str | None) -> FileResult:
        """Apply safe fixes and re-lint until nothing changes.

        A fix must never turn a valid file into one BuildKit rejects: when a
        pass does, each of its fixes is tried alone and only those that keep
        the file valid are applied.
        """
        from dockerlint.fixes import apply_fixes, new_files

        def broken(r: FileResult) -> bool:
            return any(f.rule_id == SYNTAX_ERROR for f in r.findings)

        def relint(text: str) -> FileResult:
            return self._lint_once(text, result.path, result.settings, context_dir)

        original, current, fixed, all_applied = result.source, result, 0, []
        was_broken = broken(result)
        unsafe = self.unsafe_fixes
        for _ in range(MAX_FIX_PASSES):
            new_text, applied = apply_fixes(current.source, current.findings, unsafe=unsafe)
            if not applied or new_text == current.source:
                break
            candidate = relint(new_text)
            if broken(candidate) and not was_broken:
                good = [f for f in applied
                        if not broken(relint(apply_fixes(current.source, [f], unsafe=unsafe)[0]))]
                new_text, applied = apply_fixes(current.source, good, unsafe=unsafe)
                candidate = relint(new_text)
                if not good or broken(candidate):
                    break
            fixed += len(applied)
            all_applied += applied
            current = candidate
        created = new_files(current.findings, unsafe=unsafe)
        done = [f for _, fixed_by in created.values() for f in fixed_by]
        if done:  # gone once the file is written (the report after --fix lints it again from disk)
            current.findings = [f for f in current.findings if not any(f is d for d in done)]
        current.created = {path: text for path, (text, _) in created.items()}
        current.fixed = fixed + len(done)
        current.applied = all_applied + done
        current.original = original if current.source != original else None
        return current

    # -- helpers --------------------------------------------------------------
    def internal_error(self, message: str, path: str, settings: Settings, text: str) -> Finding:
        """A DLINT001 finding at the start of ``path`` (a rule or a worker failed there)."""
        from dockerlint.syntax.nodes import Source

        return self._stamp(Finding(message=message, span=Source(text).span(0, 0)),
                           self.rules[INTERNAL_ERROR], self._plan(settings), path)

    def _plan(self, settings: Settings) -> _Plan:
        plan = self._plans.get(settings)
        if plan is None:
            try:
                plan = self._plans[settings] = _Plan(self.rules, settings)
            except SelectorError as exc:
                raise (SelectorError(f"{settings.origin}: {exc}") if settings.origin else exc) from None
        return plan

    @staticmethod
    def _stamp(f: Finding, rule: Rule, plan: _Plan, path: str) -> Finding:
        return replace(f, rule_id=rule.id, rule_name=rule.name, category=rule.category,
                       severity=plan.severity.get(rule.id, rule.severity), path=f.path or path)

    @staticmethod
    def _stamp_code(f: Finding, rule: Rule, plan: _Plan, path: str) -> Finding:
        """A finding of a rule family keeps its own id and severity (ShellCheck's level) unless the
        configured severities name that id or the family."""
        code = f.rule_id.upper()
        level = plan.severity.get(code, plan.severity.get(rule.id, f.severity))
        return replace(f, rule_id=code, rule_name=f.rule_name or rule.name, category=f.category or rule.category,
                       severity=level, path=f.path or path)

    @staticmethod
    def _stamp_severity(f: Finding, plan: _Plan) -> Finding:
        level = plan.severity.get(f.rule_id)
        return f if level is None or level == f.severity else replace(f, severity=level)


class _Plan:
    """What one Settings means for a rule set: enabled rules, severities, ignores."""

    def __init__(self, rules: Mapping[str, Rule], settings: Settings):
        engine_only = {r.id for r in ENGINE_RULES}
        self.enabled_ids = select(rules, settings.selection)
        self.rules = [r for rid, r in rules.items() if rid not in engine_only and self.enabled_ids.wants(r)]
        self.severity: dict[str, Severity] = {}
        for selector, level in settings.severity:
            for rid in _resolve(selector, rules, strict=_strict(settings)):
                self.severity[rid] = level
        self.options = RuleOptions(settings.trusted_registries, dict(settings.required_labels),
                                   settings.strict_labels)
        self.ignores = [(base, PathGlob(glob), frozenset(i for sel in sels
                                                            for i in _resolve(sel, rules, _strict(settings))))
                        for base, glob, sels in settings.per_file_ignores]
        self._path_cache: dict[str, frozenset[str]] = {}
        self._all = rules

    def filter_path(self, findings: list[Finding], path: str) -> list[Finding]:
        if not self.ignores:
            return findings
        ignored = self._ignored_for(path)
        if not ignored:
            return findings
        return [f for f in findings if f.rule_id not in ignored and owner(f.rule_id, self._all) not in ignored]

    def _ignored_for(self, path: str) -> frozenset[str]:
        if path not in self._path_cache:
            absolute = os.path.abspath(path)
            name = os.path.basename(absolute)
            out: set[str] = set()
            for base, glob, ids in self.ignores:
                rel = os.path.relpath(absolute, base).replace(os.sep, "/")
                if glob.matches(rel) or glob.matches(name):
                    out |= ids
            self._path_cache[path] = frozenset(out)
        return self._path_cache[path]


_WARNED: set[tuple[str, int, str]] = set()  # (path, line, id): --fix lints a file more than once


def _warn_unknown_pragmas(pragmas, rules: Mapping[str, Rule], path: str) -> None:
    """One warning line per id in a ``# hadolint``/``# dockerlint ignore=`` comment that names no rule
    (DLINT002, when selected, reports it as a finding too)."""
    from dockerlint.console import warning
    from dockerlint.registry import unknown

    for p in pragmas:
        if p.kind == "check":  # BuildKit's own names: BuildKit's business
            continue
        for sel in unknown(p.selectors, rules):
            key = (path, p.span.line, sel)
            if key not in _WARNED:
                _WARNED.add(key)
                warning(f"{path}:{p.span.line}: unknown rule {sel!r} in a `{p.tool} ignore=` comment: "
                        "no dockerlint rule has that id; it suppresses nothing")


def _strict(settings: Settings) -> bool:
    return all(layer.strict for layer in settings.selection)


def _resolve(selector: str, rules: Mapping[str, Rule], strict: bool = True) -> list[str]:
    from dockerlint.registry import check_selectors

    if strict:
        check_selectors([selector], rules)
    return match(selector, rules)[0]


def _check_instructions(tree) -> None:
    """Raise DockerfileSyntaxError for an instruction BuildKit's dispatcher would reject.

    The parser accepts any word as an instruction (so does BuildKit's); the
    build then fails on it. A binary file given explicitly ends here too.
    """
    from dockerlint.syntax.nodes import DockerfileSyntaxError

    for ins in tree.instructions:
        if ins.keyword not in INSTRUCTIONS:
            written = tree.source.slice(ins.keyword_span)
            if written.isprintable() and "\ufffd" not in written:
                raise DockerfileSyntaxError(f"unknown instruction: {written}{_suggestion(ins.keyword)}",
                                            ins.keyword_span)
            raise DockerfileSyntaxError("not a Dockerfile (binary data)", ins.keyword_span)
        for node in (ins, ins.inner):
            if node is not None:
                _check_flags(node)


def _check_flags(ins) -> None:
    """BuildKit refuses a flag its instruction does not take: ``COPY --form=x``, ``CMD --port 80``."""
    from dockerlint.syntax.nodes import DockerfileSyntaxError

    allowed = INSTRUCTION_FLAGS.get(ins.keyword, frozenset())
    for flag in ins.flags:
        if flag.name not in allowed:
            name = flag.name if flag.name.isprintable() else repr(flag.name)
            raise DockerfileSyntaxError(f"unknown flag for {ins.keyword}: --{name}{_suggestion(flag.name, allowed)}",
                                        flag.span)


def _suggestion(keyword: str, choices: Iterable[str] = INSTRUCTIONS) -> str:
    """`` (did you mean RUN?)`` for a near miss, as BuildKit suggests; empty otherwise."""
    from difflib import get_close_matches

    close = get_close_matches(keyword, sorted(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


class _ModelError(Exception):
    pass


class TargetError(ValueError):
    """``--target`` names a stage the Dockerfile does not have."""


def _build_model(tree, settings: Settings, path: str, context_dir: str | None):
    from dockerlint import model

    try:
        return model.build(tree, build_args=dict(settings.build_args), target=settings.target,
                           path=path, context_dir=context_dir)
    except Exception as exc:  # noqa: BLE001 - reported as one finding, the run goes on
        raise _ModelError(f"{type(exc).__name__}: {exc}") from exc


# --------------------------------------------------------------------------- public API

_OPTION_NAMES = ("select", "extend_select", "ignore", "severity", "build_args", "context", "target",
                 "trusted_registries", "required_labels", "strict_labels", "disable_ignore_pragma",
                 "per_file_ignores")


def _overrides(options: Mapping[str, Any]) -> Overrides:
    unknown = set(options) - set(_OPTION_NAMES)
    if unknown:
        raise TypeError(f"unknown lint option(s): {', '.join(sorted(unknown))} "
                        f"(allowed: {', '.join(_OPTION_NAMES)}, config, rules)")

    def seq(name: str) -> tuple[str, ...]:
        value = options.get(name) or ()
        return (value,) if isinstance(value, str) else tuple(value)

    def pairs(name: str) -> tuple:
        return tuple((options.get(name) or {}).items())

    return Overrides(
        select=None if options.get("select") is None else seq("select"),
        extend_select=seq("extend_select"), ignore=seq("ignore"),
        severity=tuple((sel, Severity.parse(level) if isinstance(level, str) else Severity(level))
                       for sel, level in pairs("severity")),
        build_args=pairs("build_args"), context=options.get("context"), target=options.get("target"),
        trusted_registries=seq("trusted_registries"), required_labels=pairs("required_labels"),
        strict_labels=options.get("strict_labels"), disable_ignore_pragma=options.get("disable_ignore_pragma"),
        per_file_ignores=tuple((g, (ids,) if isinstance(ids, str) else tuple(ids))
                               for g, ids in pairs("per_file_ignores")),
    )


def _linter(config: str | os.PathLike | bool | None, rules: Iterable[Rule] | None,
            options: Mapping[str, Any], discover: bool) -> Linter:
    overrides = _overrides(options)
    _warn_unknown_options(overrides, rules)
    explicit = None if config is None or isinstance(config, bool) else os.fspath(config)
    finder = ConfigFinder(explicit, overrides, discover=discover and config is not False)
    if rules is not None:
        table = {r.id: r for r in ENGINE_RULES}
        table.update({r.id: r for r in rules})
        return Linter(dict(sorted(table.items())), finder)
    return Linter(None, finder)


def _warn_unknown_options(overrides: Overrides, rules: Iterable[Rule] | None) -> None:
    """A hadolint id the rules lack, given to the API, is skipped (as on the command line) with a
    ``UserWarning``, never silently; any other unknown selector raises SelectorError later."""
    import warnings

    from dockerlint.registry import HADOLINT_ID, unknown

    selectors = [*(overrides.select or ()), *overrides.extend_select, *overrides.ignore,
                 *(sel for sel, _ in overrides.severity), *(s for _, sels in overrides.per_file_ignores for s in sels)]
    if not selectors:
        return
    table = installed_rules() if rules is None else {r.id: r for r in (*ENGINE_RULES, *rules)}
    for sel in unknown(selectors, table):
        if HADOLINT_ID.fullmatch(sel.strip()):
            warnings.warn(f"unknown rule {sel!r}: no dockerlint rule has that id; it is skipped", UserWarning,
                          stacklevel=4)


def lint_text(text: str | bytes, *, path: str = "Dockerfile", config: str | os.PathLike | None = None,
              rules: Iterable[Rule] | None = None, **options: Any) -> list[Finding]:
    """Findings for Dockerfile text, sorted. Uses no config file unless ``config`` names one.

    Raises ConfigError for a bad config or option value, SelectorError for an
    unknown rule selector, PluginError when an installed rule pack is broken.
    """
    linter = _linter(config, rules, options, discover=False)
    settings = linter.finder.for_file(path)
    return linter.lint_data(text, path, settings, context_dir=settings.context).findings


def lint_path(path: str | os.PathLike, *, config: str | os.PathLike | bool | None = None,
              rules: Iterable[Rule] | None = None, **options: Any) -> list[Finding]:
    """Findings for a Dockerfile (or every Dockerfile under a directory), sorted.

    The nearest config file applies, as on the command line, unless ``config``
    names one or is False. Raises OSError when a file cannot be read and
    DiscoveryError for a directory without Dockerfiles.
    """
    from dockerlint.discover import discover

    linter = _linter(config, rules, options, discover=True)
    findings: list[Finding] = []
    for file in discover([os.fspath(path)]):
        findings.extend(linter.lint_file(file).findings)
    findings.sort(key=lambda f: f.sort_key)
    return findings


# --------------------------------------------------------------------------- many files

_WORKER: Linter | None = None


def _init_worker(explicit: str | None, overrides: Overrides, unsafe_fixes: bool) -> None:
    global _WORKER
    _WORKER = Linter(None, ConfigFinder(explicit, overrides), unsafe_fixes=unsafe_fixes)


def _work(item: tuple[str, bool]) -> FileResult | OSError:
    path, fix = item
    try:
        result = _WORKER.lint_file(path, fix=fix)  # type: ignore[union-attr]
    except OSError as exc:
        return exc
    return _sendable(result, _WORKER)  # type: ignore[arg-type]


def _sendable(result: FileResult, linter: Linter) -> FileResult:
    """``result`` as it can travel back from a worker: a finding that cannot be pickled (a plugin's
    lambda in ``extra``) becomes a DLINT001 finding naming its rule; the others are kept."""
    import pickle

    try:
        pickle.dumps(result)
        return result
    except Exception:  # noqa: BLE001 - whatever pickling raises
        pass
    kept: list[Finding] = []
    bad = 0
    for f in result.findings:
        try:
            pickle.dumps(f)
            kept.append(f)
        except Exception as exc:  # noqa: BLE001
            bad += 1
            kept.append(linter.internal_error(
                f"rule {f.rule_id} produced a finding that cannot be sent back from a --jobs worker: "
                f"{type(exc).__name__}: {exc}", result.path, result.settings, result.source))
    kept.sort(key=lambda f: f.sort_key)
    return replace(result, findings=kept, applied=[], internal_errors=result.internal_errors + bad)


def _dead_worker(path: str, linter: Linter, why: str) -> FileResult | OSError:
    """The result of a file whose worker process died (a plugin calling ``os._exit``, a crash)."""
    from dockerlint.files import MAX_DOCKERFILE_BYTES, read_bounded

    try:
        text = read_bounded(path, MAX_DOCKERFILE_BYTES).decode("utf-8", "surrogateescape")
        settings = linter.finder.for_file(path)
    except OSError as exc:
        return exc
    finding = linter.internal_error(f"the worker process linting this file died ({why}); "
                                    "its findings are lost: a rule ended the process (os._exit) or crashed it", path,
                                    settings, text)
    return FileResult(path, [finding], text, settings, internal_errors=1)


def lint_files(paths: list[str], linter: Linter, *, jobs: int = 1, fix: bool = False):
    """Yield (path, FileResult | OSError) in the order of ``paths``, using ``jobs`` processes.

    Worker processes load the installed rules and read the config files
    themselves (with the linter's --config and command-line overrides), so
    the output is the same as in one process. Never more workers than files
    or CPUs: ``--jobs 100000`` must not fork a hundred thousand processes.
    """
    jobs = min(jobs, len(paths), os.cpu_count() or 1)
    if jobs <= 1:
        for p in paths:
            try:
                yield p, linter.lint_file(p, fix=fix)
            except OSError as exc:
                yield p, exc
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    method = _start_method()
    if method == "fork":
        _say_shellcheck_missing(linter)
    ctx = multiprocessing.get_context(method)
    initargs = (linter.finder.explicit, linter.finder.overrides, linter.unsafe_fixes)

    def pool(workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=initargs)

    # A worker that dies (a plugin rule calling os._exit) breaks the whole pool: the files from the
    # first one without a result on are linted again, that one alone in a pool of its own (so a
    # death there is its own, a DLINT001 finding), then the rest in a fresh pool.
    rest = list(paths)
    while rest:
        chunk = max(1, min(32, len(rest) // (jobs * 4) or 1))
        done = 0
        try:
            with pool(min(jobs, len(rest))) as workers:
                for result in workers.map(_work, [(p, fix) for p in rest], chunksize=chunk):
                    yield rest[done], result
                    done += 1
            return
        except BrokenProcessPool:
            pass
        suspect, rest = rest[done], rest[done + 1:]
        try:
            with pool(1) as alone:
                result = alone.submit(_work, (suspect, fix)).result()
        except BrokenProcessPool:
            result = _dead_worker(suspect, linter, "it exited without a result")
        yield suspect, result


def _say_shellcheck_missing(linter: Linter) -> None:
    """Before forking workers: when the SC rules are selected and ShellCheck is missing, say so here,
    once; the forked workers inherit that it was said (each would say it again otherwise)."""
    family = next((r for r in linter.rules.values() if r.codes and r.owns("SC1000")), None)
    try:
        if family is None or not linter._plan(linter.finder.for_file(None)).enabled_ids.wants(family):
            return
    except SelectorError:  # the workers report it, file by file
        return
    from dockerlint import shellcheck

    if shellcheck.binary() is None:
        shellcheck.warn_once(shellcheck.not_installed())


def _start_method() -> str:
    """``fork`` where it is safe (POSIX, one thread): workers start with the rules already
    imported. Otherwise ``forkserver`` or ``spawn``, whose workers import them again."""
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def failing(result: FileResult) -> bool:
    """Whether a file's findings reach its failure threshold."""
    threshold = result.settings.failure_threshold
    return threshold is not None and any(f.severity >= threshold for f in result.findings)


__all__ = ["lint_text", "lint_path", "Linter", "FileResult", "RuleOptions", "TargetError", "lint_files",
           "failing"]
