"""The lint run behind ``dockerlint check``: discover, lint, fix, report, and the exit status.

Used by the entry point (``dockerlint FILE…`` without click) and by the click
``check`` command alike, so neither imports the other for it.
"""
from __future__ import annotations

import os
from typing import NamedTuple

from dockerlint import __version__
from dockerlint.config import Overrides
from dockerlint.console import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    color_for,
    error,
    fail,
    note,
    read_stdin,
    stdout,
    warning,
)
from dockerlint.discover import discover, implied_context
from dockerlint.report._common import plural

OUTPUT_FORMAT_VARIABLE = "DOCKERLINT_OUTPUT_FORMAT"


class RunOptions(NamedTuple):
    """How ``dockerlint check`` runs, beyond the settings a config file can hold (``Overrides``)."""

    config: str | None = None
    jobs: int = 1
    formats: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    fix: bool = False
    diff: bool = False
    unsafe_fixes: bool = False  # --fix/--diff also apply the fixes rules mark unsafe
    show_fixes: bool = False  # list what --fix changed (or --diff would), per file and rule
    add_ignore: bool = False  # write a suppression comment above every finding (a baseline), then stop
    force_exclude: bool = False  # exclude files named on the command line too
    isolated: bool = False  # read no config file (project, hadolint or user): defaults and the command line
    stdin_filename: str | None = None
    quiet: bool = False
    verbose: bool = False
    statistics: bool = False
    show: str | None = None  # "files" or "settings": say what would be linted, and how, then stop
    file_path_in_report: str | None = None
    sarif_category: str | None = None


def lint(paths: list[str], overrides: Overrides, options: RunOptions = RunOptions()) -> int:  # noqa: B008 - immutable
    """Discover, lint, fix, report; returns the exit status."""
    from dockerlint.config import ConfigFinder
    from dockerlint.engine import Linter, failing, lint_files
    from dockerlint.registry import INTERNAL_ERROR, check_selectors, installed_rules

    config, jobs, fix, diff, stdin_filename = (options.config, options.jobs, options.fix, options.diff,
                                               options.stdin_filename)
    quiet, verbose = options.quiet, options.verbose
    rules = installed_rules()
    check_selectors([*(overrides.select or ()), *overrides.extend_select, *overrides.ignore,
                     *(sel for sel, _ in overrides.severity)], rules,
                    where="--select/--ignore/--extend-select/--severity")
    finder = ConfigFinder(config, overrides, discover=not options.isolated)
    linter = Linter(rules, finder, unsafe_fixes=options.unsafe_fixes)
    run_settings = finder.for_file(None)  # run-wide options come from the working directory's config
    pairs = output_pairs(options.formats or environment_formats() or run_settings.formats, options.outputs)

    results, errors = [], 0
    if paths == ["-"]:
        if options.show:
            return _show_settings([stdin_filename or "-"], finder, rules) if options.show == "settings" else (
                _show_files([stdin_filename or "-"]))
        _refuse_reports_over_inputs(pairs, [stdin_filename] if stdin_filename else [])
        data = read_stdin()
        shown = stdin_filename or "-"
        settings = finder.for_file(stdin_filename)
        context = implied_context(stdin_filename) if stdin_filename else None
        _warn_unknown_rules(overrides, [settings], rules)
        results.append(linter.lint_data(data, shown, settings, context_dir=context))
    else:

        files = _without_excluded(discover(paths, warn=warning), paths, finder, options.force_exclude)
        if options.show == "files":
            return _show_files(files)
        if options.show == "settings":
            return _show_settings(files, finder, rules)
        _refuse_reports_over_inputs(pairs, files)
        if verbose:
            _explain_settings(files, finder, rules)
        _warn_unknown_rules(overrides, list(dict.fromkeys(finder.for_file(f) for f in files)), rules)
        for path, result in lint_files(files, linter, jobs=jobs, fix=fix or diff):
            if isinstance(result, OSError):
                error(f"{path}: cannot read: {result.strerror or result}")
                errors += 1
            else:
                results.append(result)

    internal = sum(r.internal_errors for r in results)
    if options.add_ignore:
        return _add_ignores(results, errors + internal, quiet=quiet)
    if diff:
        from dockerlint.fixes import unified_diff
        from dockerlint.textsafe import escape_controls

        out = stdout()
        changed = 0
        for r in results:
            if r.original is not None:
                out.write(escape_controls(unified_diff(r.original, r.source, r.path), keep_newlines=True))
                changed += 1
            for path, text in r.created.items():
                out.write(escape_controls(unified_diff("", text, path), keep_newlines=True))
                changed += 1
        if not quiet:
            note(f"would fix {plural(sum(r.fixed for r in results), 'problem')} in {plural(changed, 'file')}")
        if options.show_fixes:
            _show_fixes([r for r in results if r.original is not None or r.created])
        for r in results:  # no report in --diff mode, so a crashed rule must still be named
            for f in r.findings:
                if f.rule_id == INTERNAL_ERROR:
                    error(f"{r.path}: {f.message}")
        return EXIT_ERROR if errors or internal else (EXIT_FINDINGS if changed else EXIT_OK)
    if fix:
        written = []
        for i, r in enumerate(results):
            if r.original is None and not r.created:
                continue
            ok = r.original is None or _write_fixed(r)
            if ok and r.created:  # a .dockerignore made for this Dockerfile: only once the Dockerfile is written
                ok = _write_created(r)
            if ok:
                written.append(r)
                if r.created:  # the new .dockerignore changes what the build sends: report against it
                    results[i] = _as_on_disk(linter, r)
                continue
            errors += 1
            results[i] = _as_on_disk(linter, r)  # report what the file still says, not the unwritten text
        if not quiet:
            touched = sum((r.original is not None) + len(r.created) for r in written)
            note(f"fixed {plural(sum(r.fixed for r in written), 'problem')} in {plural(touched, 'file')}")
        if options.show_fixes:
            _show_fixes(written)

    if options.file_path_in_report is not None and len(results) > 1:
        raise fail(f"--file-path-in-report names one file, but {len(results)} files were linted")
    report = _build_report(results, rules, quiet=quiet, statistics=options.statistics,
                           file_path_in_report=options.file_path_in_report, sarif_category=options.sarif_category)
    _write_reports(report, pairs, run_settings)
    if errors or internal:
        return EXIT_ERROR
    if any(failing(r) and not r.settings.no_fail for r in results):
        return EXIT_FINDINGS
    return EXIT_OK


def _refuse_reports_over_inputs(pairs: list[tuple[str, str | None]], files: list[str]) -> None:
    """``-o Dockerfile`` (a slip for ``-f``/``-o`` order) must not replace the user's Dockerfile."""
    for fmt, target in pairs:
        if target is None or target == "-" or not os.path.exists(target):
            continue
        for f in files:
            try:
                same = os.path.samefile(target, f)
            except OSError:
                continue
            if same:
                raise fail(f"{target}: refusing to write the {fmt} report over a Dockerfile being linted")


def _add_ignores(results, errors: int, *, quiet: bool) -> int:
    """--add-ignore: write the baseline suppressions (``dockerlint.baseline``) into each file with findings."""
    from dockerlint.baseline import add_ignores

    added = files = 0
    for r in results:
        text, count = add_ignores(r.source, r.findings)
        if not count:
            continue
        r.original, r.source = r.source, text
        if _write_fixed(r):
            added, files = added + count, files + 1
        else:
            errors += 1
    if not quiet:
        note(f"added {plural(added, 'suppression')} in {plural(files, 'file')}")
    return EXIT_ERROR if errors else EXIT_OK


def _show_fixes(results) -> None:
    """--show-fixes: per file, how many findings of which rule the fixes repaired (on stderr)."""
    from collections import Counter

    for r in results:
        counts = Counter((f.rule_id, f.rule_name) for f in r.applied)
        rules = ", ".join(f"{n} × {rule_id} {name}".rstrip() for (rule_id, name), n in sorted(counts.items()))
        note(f"{r.path}: {rules}")


def _without_excluded(files: list[str], paths: list[str], finder, force: bool) -> list[str]:
    """The files left once each one's config ``exclude`` (and the command line's) took its share."""
    from dockerlint.exclude import Pattern, filter_files

    def patterns_for(path: str) -> list[Pattern]:
        return [Pattern(base, glob) for base, glob in finder.for_file(path).exclude]

    return filter_files(files, paths, patterns_for, force)


def dockerfiles_in(paths: list[str]) -> list[str]:
    """The Dockerfiles ``dockerlint check PATHS`` would lint (discovery, then each config's
    ``exclude``): ``dockerlint verify DIR`` builds these."""
    from dockerlint.config import ConfigFinder
    from dockerlint.discover import discover

    finder = ConfigFinder(None, Overrides(), discover=True)
    return _without_excluded(discover(paths, warn=warning), paths, finder, False)


def environment_formats() -> tuple[str, ...]:
    """The format ``DOCKERLINT_OUTPUT_FORMAT`` asks for (below ``--format``, above a config's ``format``)."""
    from dockerlint.config import HADOLINT_FORMATS
    from dockerlint.report import FORMATS

    value = os.environ.get(OUTPUT_FORMAT_VARIABLE, "").strip()
    if not value:
        return ()
    value = HADOLINT_FORMATS.get(value, value)
    if value not in FORMATS:
        raise fail(f"{OUTPUT_FORMAT_VARIABLE}={value!r}: unknown format (allowed: {', '.join(FORMATS)})")
    return (value,)


def _show_files(files: list[str]) -> int:
    """--show-files: every file the run would lint, one per line, as the reports name them."""
    out = stdout()
    for path in files:
        out.write(path + "\n")
    return EXIT_OK


def _show_settings(files: list[str], finder, rules) -> int:
    """--show-settings: for each group of files sharing a config, the file and what it resolves to."""
    from dockerlint.registry import select

    out = stdout()
    groups: dict = {}
    for path in files:
        groups.setdefault(finder.for_file(None if path == "-" else path), []).append(path)
    for settings, paths in groups.items():
        enabled = sorted(select(rules, settings.selection))
        out.write(f"config: {settings.origin or 'none (defaults)'}\n")
        out.write(f"files ({len(paths)}): {', '.join(paths)}\n")
        out.write(f"rules ({len(enabled)}): {', '.join(enabled)}\n")
        threshold = settings.failure_threshold
        out.write(f"failure-threshold: {threshold if threshold is not None else 'none'}\n")
        for name in ("severity", "per_file_ignores", "trusted_registries", "required_labels", "strict_labels",
                     "build_args", "context", "target", "disable_ignore_pragma", "no_fail"):
            value = getattr(settings, name)
            if value:
                out.write(f"{name.replace('_', '-')}: {_setting_text(value)}\n")
        out.write("\n")
    return EXIT_OK


def _setting_text(value) -> str:
    if isinstance(value, tuple):
        return ", ".join("=".join(str(part) for part in item) if isinstance(item, tuple) else str(item)
                         for item in value)
    return str(value).lower() if isinstance(value, bool) else str(value)


# hadolint ids that hadolint itself no longer has (its git history): said in the warning.
_RETIRED = frozenset({"DL3005", "DL3017", "DL3031", "DL3039", "DL4002"})


def _warn_unknown_rules(overrides: Overrides, settings: list, rules) -> None:
    """One warning line per rule id that names no rule, on the command line or in a config file
    (a hadolint id dockerlint lacks, anything in a .hadolint.yaml): it is skipped, never silently."""
    from dockerlint.registry import HADOLINT_ID, Selection, unknown

    def selectors(layers, severity, per_file) -> list[str]:
        return [*(s for layer in layers for s in (*(layer.select or ()), *layer.extend_select, *layer.ignore)),
                *(sel for sel, _ in severity), *(sel for *_, sels in per_file for sel in sels)]

    said: set[str] = set()
    cli = Selection(overrides.select, overrides.extend_select, overrides.ignore)
    found = [(sel, "on the command line") for sel in unknown(
        selectors([cli], overrides.severity, overrides.per_file_ignores), rules)]
    for s in settings:
        lenient = not all(layer.strict for layer in s.selection)  # a .hadolint.yaml: any unknown id is skipped
        found += [(sel, f"in {s.origin}" if s.origin else "in the HADOLINT_* environment variables")
                  for sel in unknown(selectors(s.selection, s.severity, s.per_file_ignores), rules)
                  if lenient or HADOLINT_ID.fullmatch(sel.strip())]  # the others are errors
    for sel, where in found:
        if sel in said:
            continue
        said.add(sel)
        retired = " (hadolint retired it too)" if sel.strip().upper() in _RETIRED else ""
        warning(f"unknown rule {sel!r} {where}: no dockerlint rule has that id{retired}; it is skipped")


def _explain_settings(files: list[str], finder, rules) -> None:
    """--verbose: which config applies to how many files, and how many rules it enables."""
    from collections import Counter

    from dockerlint.registry import select

    by_settings = Counter(finder.for_file(f) for f in files)
    note(f"{plural(len(files), 'file')} to lint")
    if finder.explicit is None and finder.discover:
        from dockerlint.config.discovery import shadowed_hadolint

        for found in dict.fromkeys(shadowed_hadolint(os.path.dirname(os.path.realpath(f))) for f in files):
            if found is not None:
                note(f"{found[0]} is not read: {found[1]} applies (a dockerlint config wins over hadolint's)")
    for settings, count in by_settings.items():
        enabled = len(select(rules, settings.selection))
        uses = "uses" if count == 1 else "use"
        note(f"{plural(count, 'file')} {uses} {settings.origin or 'no config file (defaults)'}: "
              f"{plural(enabled, 'rule')} enabled")


def _as_on_disk(linter, result):
    """The findings of the file as it is on disk (after a fix could not be written)."""
    try:
        return linter.lint_file(result.path)
    except OSError:
        return linter.lint_data(result.original, result.path, result.settings,
                                context_dir=implied_context(result.path))


def _write_created(result) -> bool:
    """Create the files fixes made (a `.dockerignore`); never over a file that appeared meanwhile."""
    ok = True
    for path, text in result.created.items():
        try:
            with open(path, "x", encoding="utf-8", newline="") as handle:
                handle.write(text)
        except FileExistsError:
            error(f"{path}: not written: the file exists now (run dockerlint again)")
            ok = False
        except OSError as exc:
            error(f"{path}: cannot write: {exc.strerror or exc}")
            ok = False
    return ok


class _NotWritten(Exception):
    """A fix is refused: the file is read-only or changed since it was linted."""


def _write_fixed(result) -> bool:
    """Write a fixed file back, keeping its BOM and line endings; False (and a message) on failure.

    The file is read again first: when it is no longer the text that was linted (an editor saved
    it, another ``--fix`` ran), the fixes are not written, so nobody's edit is lost."""
    from dockerlint.files import MAX_DOCKERFILE_BYTES, read_bounded

    if result.original is None:
        return False
    try:
        raw = read_bounded(result.path, MAX_DOCKERFILE_BYTES)
        seen = os.stat(os.path.realpath(result.path))
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        error(f"{result.path}: not written: the file is not UTF-8, so fixes could change other bytes")
        return False
    except OSError as exc:
        error(f"{result.path}: cannot read back for fixing: {exc.strerror or exc}")
        return False
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    try:
        if text[len(bom):] != result.original:
            raise _NotWritten("the file changed while it was linted (run dockerlint again)")
        _replace_file(result.path, bom + result.source, seen)
    except _NotWritten as exc:
        error(f"{result.path}: fixes not written: {exc}")
        return False
    except OSError as exc:
        error(f"{result.path}: cannot write fixes: {exc.strerror or exc}")
        return False
    return True


def _unchanged(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_dev, a.st_size, a.st_mtime_ns) == (b.st_ino, b.st_dev, b.st_size, b.st_mtime_ns)


def _replace_file(path: str, text: str, seen: os.stat_result) -> None:
    """Write ``text`` over ``path`` (whose state when read back was ``seen``).

    Atomically (a new file renamed over the old one), so a full disk or a crash never leaves a
    half-written Dockerfile; the new file gets the owner first, then the mode (chown clears
    setuid/setgid), then the extended attributes. A file with several hard links is rewritten in
    place instead, so that every name still shows the same file. A read-only file is left alone;
    a symlink stays a symlink."""
    import stat
    import tempfile

    target = os.path.realpath(path)
    if not seen.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise _NotWritten("the file is read-only")
    data = text.encode("utf-8")
    if seen.st_nlink > 1:
        with open(target, "r+b") as fh:
            if not _unchanged(os.fstat(fh.fileno()), seen):
                raise _NotWritten("the file changed while it was linted (run dockerlint again)")
            fh.write(data)
            fh.truncate()
        return
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".dockerlint-fix-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if hasattr(os, "chown") and (seen.st_uid, seen.st_gid) != (os.getuid(), os.getgid()):
            os.chown(temporary, seen.st_uid, seen.st_gid)  # root fixing someone's checkout
        os.chmod(temporary, stat.S_IMODE(seen.st_mode))
        _copy_xattrs(target, temporary)
        if not _unchanged(os.stat(target), seen):
            raise _NotWritten("the file changed while it was linted (run dockerlint again)")
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _copy_xattrs(source: str, target: str) -> None:
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(source)
    except OSError:
        return
    for name in names:
        try:
            os.setxattr(target, name, os.getxattr(source, name))
        except OSError:
            pass  # e.g. security.* without privilege: the rest is still kept


def _atomic_report(target: str):
    """A stream for a report file that replaces ``target`` only once complete: a full disk leaves
    the previous report, not an empty one. Devices and FIFOs (``-o /dev/stderr``) are written directly."""
    import contextlib
    import stat
    import tempfile

    try:
        mode = os.stat(target).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        return open(target, "w", encoding="utf-8", errors="backslashreplace", newline="\n")

    @contextlib.contextmanager
    def replacing():
        directory = os.path.dirname(os.path.abspath(target))
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".dockerlint-report-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as stream:
                yield stream
                stream.flush()
            if mode is not None:
                os.chmod(temporary, stat.S_IMODE(mode))
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, target)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise

    return replacing()


def _build_report(results, rules, *, quiet: bool, statistics: bool, file_path_in_report: str | None,
                  sarif_category: str | None):
    """The Report every format renders: findings sorted, paths for CI relative to the repository root."""
    import dataclasses

    from dockerlint.report import Report
    from dockerlint.report.paths import repo_locations

    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key)
    files = [r.path for r in results]
    sources = {r.path: r.source for r in results if r.path in {f.path for f in findings}}
    sources.update(_other_sources({f.path for f in findings} - set(files)))
    root, repo_paths = repo_locations([*files, *(f.path for f in findings)], os.getcwd(), os.environ)
    if file_path_in_report is not None and results:  # the user's name for the one file, taken as written
        shown = file_path_in_report
        linted = results[0].path
        findings = [dataclasses.replace(f, path=shown) if f.path == linted else f for f in findings]
        sources = {shown if p == linted else p: text for p, text in sources.items()}
        files, repo_paths = [shown], {**repo_paths, shown: shown}
    return Report(findings=findings, files=files, rules=rules, sources=sources, tool_version=__version__,
                  statistics=statistics, quiet=quiet, repo_paths=repo_paths, repo_root=root,
                  sarif_category=sarif_category)


def _other_sources(paths) -> dict[str, str]:
    """The text of files findings point into that were not linted (a context's ``.py`` or requirements
    file), so that every format can quote the line; a file that cannot be read has no code frame."""
    out = {}
    for path in paths:
        try:
            with open(path, "rb") as handle:
                out[path] = handle.read(1 << 20).decode("utf-8", errors="replace")
        except OSError:
            continue
    return out


def _write_reports(report, pairs, run_settings) -> None:
    for fmt, target in pairs:
        if target is None or target == "-":
            stream = stdout()
            report.color = color_for(run_settings.no_color, stream)
            _render(fmt, report, stream)
            stream.flush()
            continue
        report.color = False
        try:
            with _atomic_report(target) as stream:
                _render(fmt, report, stream)
        except OSError as exc:
            raise fail(f"{target}: cannot write report: {exc.strerror or exc}") from None


def _render(fmt: str, report, stream) -> None:
    """Render one format; a file the reporter writes on its own (GitHub's step summary) failing is
    an I/O error of this run, named by its path."""
    from dockerlint.report import render

    try:
        render(fmt, report, stream)
    except OSError as exc:
        if exc.filename is None:  # the stream itself (a full disk, a closed pipe): the caller's concern
            raise
        raise fail(f"{exc.filename}: cannot write the {fmt} report: {exc.strerror or exc}") from None










def output_pairs(formats: tuple[str, ...], outputs: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Pair ``--format`` with ``--output`` in order, as hadolint's -f/-o; extra formats go to stdout."""
    if len(outputs) > max(len(formats), 1):
        raise fail("more --output files than --format options (give one --format per --output)")
    seen: set[str] = set()
    for target in outputs:
        key = os.path.abspath(target)
        if target != "-" and key in seen:
            raise fail(f"{target}: two --format options write to the same --output file")
        seen.add(key)
    formats = formats or ("tty",)
    return [(fmt, outputs[i] if i < len(outputs) else None) for i, fmt in enumerate(formats)]
