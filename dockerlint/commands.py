"""The click commands: options parsed and checked here, the work done by ``dockerlint.run`` (and ``verify``).

Imported only when the command line needs parsing; ``dockerlint FILE…`` (the
pre-commit and editor case) runs without click (see ``cli.main``).
"""
from __future__ import annotations

import os
import sys

import click

from dockerlint import __version__
from dockerlint.config import HADOLINT_FORMATS, LABEL_FORMATS, LEVELS, THRESHOLDS, Overrides
from dockerlint.console import EXIT_FINDINGS, EXIT_OK, Failure, color_for, fail, read_stdin, stdout
from dockerlint.findings import Severity
from dockerlint.report import FORMATS
from dockerlint.run import RunOptions, lint, output_pairs


def run(args: list[str]) -> int:
    """Parse ``args`` and run the command; click's own errors become ``Failure`` (or ``KeyboardInterrupt``)."""
    try:
        code = cli.main(args=args, prog_name="dockerlint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        raise Failure(exc.format_message()) from None
    except click.exceptions.Abort:
        raise KeyboardInterrupt from None
    return code if isinstance(code, int) else EXIT_OK


# --------------------------------------------------------------------------- option helpers

class _Seconds(click.FloatRange):
    """A positive, finite number of seconds: ``nan``, ``inf`` and ``1e999`` pass a plain range check."""

    name = "seconds"

    def __init__(self) -> None:
        super().__init__(min=0, min_open=True)

    def convert(self, value, param, ctx):
        import math

        seconds = super().convert(value, param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{value!r} is not a finite number of seconds.", param, ctx)
        return seconds


class _Directory(click.Path):
    """A path that must be a directory (``click.Path(file_okay=False)`` lets devices such as /dev/null pass)."""

    def __init__(self, exists: bool) -> None:
        super().__init__(exists=exists, file_okay=False)

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        if os.path.exists(path) and not os.path.isdir(path):
            self.fail(f"{click.format_filename(path)!r} is not a directory.", param, ctx)
        return path


def _split_csv(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _pairs(values: tuple[str, ...], option: str, sep: str = "=",
           shape: str = "KEY=VALUE") -> list[tuple[str, str]]:
    out = []
    for value in values:
        key, found, rest = value.partition(sep)
        if not found or not key.strip():
            raise click.BadParameter(f"expected {shape}, got {value!r}", param_hint=option)
        out.append((key.strip(), rest.strip()))
    return out


def _severity_pairs(values: tuple[str, ...]) -> list[tuple[str, Severity]]:
    out = []
    for key, level in _pairs(values, "--severity"):
        if level.lower() not in LEVELS:
            raise click.BadParameter(f"unknown level {level!r} for {key} (allowed: {', '.join(LEVELS)})",
                                     param_hint="--severity")
        out.append((key, Severity.parse(level)))
    return out


def _build_args(values: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for value in values:
        key, found, rest = value.partition("=")
        if not key:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="--build-arg")
        if found:
            out.append((key, rest))
        elif key in os.environ:  # like `docker build --build-arg NAME`: the value comes from the environment
            out.append((key, os.environ[key]))
    return out


def _labels(values: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for label, fmt in _pairs(values, "--require-label", sep=":", shape="LABEL:FORMAT"):
        if fmt not in LABEL_FORMATS:
            raise click.BadParameter(f"unknown label format {fmt!r} (allowed: {', '.join(LABEL_FORMATS)})",
                                     param_hint="--require-label")
        out.append((label, fmt))
    return out


# --------------------------------------------------------------------------- the group

class _DefaultGroup(click.Group):
    """``dockerlint ARGS`` means ``dockerlint check ARGS`` unless ARGS starts with a command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--version", "-V")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="dockerlint")
def cli() -> None:
    """Lint Dockerfiles for reproducibility, rebuild speed and ML run-time breakage."""


_VERIFY_ONLY = ("platform", "builder", "source_date_epoch", "vary", "keep_images", "timeout", "strict")


def _verify_options(func):
    """Options of --verify-build, shared by ``check --verify-build`` and ``verify``."""
    options = [
        click.option("--platform", metavar="OS/ARCH", help="Platform to build for (verify-build)."),
        click.option("--builder", type=click.Choice(["auto", "classic", "buildkit"]), default=None,
                     help="Builder for verify-build (default: auto)."),
        click.option("--source-date-epoch", type=click.IntRange(min=0), metavar="SECONDS",
                     help="SOURCE_DATE_EPOCH passed to the builds (verify-build)."),
        click.option("--vary", is_flag=True, default=None,
                     help="Change time, context mtimes and hostname between the two builds (verify-build)."),
        click.option("--keep-images", is_flag=True, default=None,
                     help="Keep the two built images, tagged dockerlint-verify:<id>-a/-b (verify-build)."),
        click.option("--timeout", type=_Seconds(), metavar="SECONDS",
                     help="Give up on a build after this long (verify-build)."),
        click.option("--strict", is_flag=True, default=None,
                     help="Fail on metadata-only differences too (verify-build)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command(
    "check",
    epilog="Other commands: dockerlint rules | explain ID | parse FILE | verify DOCKERFILE "
           "(each with --help). Exit status: 0 clean, 1 findings at or above the failure threshold, "
           "2 usage, config, I/O or internal error.",
)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-f", "--format", "formats", multiple=True,
              type=click.Choice([*FORMATS, *HADOLINT_FORMATS, "html"]),
              callback=lambda ctx, param, values: tuple(HADOLINT_FORMATS.get(v, v) for v in values),
              help="Output format (repeatable; pairs in order with --output). Default: tty. "
                   "hadolint's gitlab_codeclimate means gitlab; html (the audit page) needs --verify-build.")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the report of the matching --format to this file (repeatable).")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rules: ids, id prefixes, names or categories (comma-separated, repeatable).")
@click.option("--extend-select", multiple=True, metavar="RULES", help="Add rules to the selection.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Remove rules from the selection.")
@click.option("--severity", "severities", multiple=True, metavar="RULE=LEVEL",
              help="Override a rule's severity (error, warning, info, style).")
@click.option("--error", "sev_error", multiple=True, metavar="RULE", help="hadolint-style: make RULE an error.")
@click.option("--warning", "sev_warning", multiple=True, metavar="RULE", help="Make RULE a warning.")
@click.option("--info", "sev_info", multiple=True, metavar="RULE", help="Make RULE info.")
@click.option("--style", "sev_style", multiple=True, metavar="RULE", help="Make RULE style.")
@click.option("-t", "--failure-threshold", type=click.Choice([*THRESHOLDS, "ignore"]), default=None,
              help="Exit 1 only for findings at or above this severity (default: info; none, or hadolint's "
                   "ignore, never fails).")
@click.option("--no-fail", "--exit-zero", "no_fail", is_flag=True, default=None,
              help="Exit 0 even when findings reach the threshold (--exit-zero: ruff's spelling).")
@click.option("-c", "--config", type=click.Path(dir_okay=False), help="Use this config file, no discovery.")
@click.option("--isolated", is_flag=True, help="Ignore every config file (project, .hadolint.yaml and user).")
@click.option("--context", type=_Directory(exists=True),
              help="Build context (default: the Dockerfile's directory).")
@click.option("--build-arg", "build_args", multiple=True, metavar="NAME=VALUE", help="Build argument (repeatable).")
@click.option("--target", metavar="STAGE", help="Lint for this target stage.")
@click.option("--trusted-registry", "trusted_registries", multiple=True, metavar="REGISTRY",
              help="Allowed registry for base images (repeatable).")
@click.option("--require-label", "required_labels", multiple=True, metavar="LABEL:FORMAT",
              help=f"Required image label and its format ({', '.join(LABEL_FORMATS)}).")
@click.option("--strict-labels", is_flag=True, default=None, help="Labels outside --require-label are findings.")
@click.option("--disable-ignore-pragma", is_flag=True, default=None,
              help="Ignore inline suppressions (# dockerlint/hadolint ignore=, # check=skip=).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Parallel processes for many files (0: one per CPU).")
@click.option("--exclude", multiple=True, metavar="GLOBS",
              help="Leave out matching files and directories (comma-separated, repeatable; replaces the config's).")
@click.option("--extend-exclude", multiple=True, metavar="GLOBS", help="Leave these out too, besides --exclude.")
@click.option("--force-exclude", is_flag=True,
              help="Apply the exclusions to files named on the command line too (pre-commit, editors).")
@click.option("--stdin-filename", metavar="PATH", help="Path to report (and find config from) when reading '-'.")
@click.option("--file-path-in-report", metavar="PATH",
              help="Name the linted file (stdin or one file) PATH in every report, as written (hadolint's option).")
@click.option("--sarif-category", metavar="CATEGORY",
              help="SARIF runAutomationDetails id: tells apart several analyses of one commit in GitHub "
                   "code scanning (as upload-sarif's category).")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--diff", is_flag=True, help="Print the safe fixes as a unified diff; change nothing.")
@click.option("--unsafe-fixes", is_flag=True,
              help="With --fix/--diff, also apply fixes marked unsafe (each rule's docs say why they are).")
@click.option("--show-fixes", is_flag=True, help="With --fix/--diff, list the fixes per file and rule.")
@click.option("--add-ignore", is_flag=True,
              help="Write '# dockerlint ignore=IDS' above each instruction with findings (a baseline), and stop.")
@click.option("--no-color", is_flag=True, default=None, help="No colours (also NO_COLOR).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no summary, no progress.")
@click.option("-v", "--verbose", is_flag=True, help="Say which config file applies to which files (on stderr).")
@click.option("--statistics", is_flag=True,
              help="Print only a table of the number of findings per rule (and which --fix can repair).")
@click.option("--show-files", is_flag=True, help="Print the files that would be linted, and stop.")
@click.option("--show-settings", is_flag=True,
              help="Print which config applies to which files and what it resolves to, and stop.")
@click.option("--verify-build", is_flag=True,
              help="Build the image twice and explain every difference (needs Docker).")
@_verify_options
def check_command(paths, formats, outputs, select, extend_select, ignore, severities, sev_error, sev_warning,
                  sev_info, sev_style, failure_threshold, no_fail, config, isolated, context, build_args, target,
                  trusted_registries, required_labels, strict_labels, disable_ignore_pragma, jobs,
                  exclude, extend_exclude, force_exclude, stdin_filename, file_path_in_report, sarif_category,
                  fix, diff, unsafe_fixes, show_fixes, add_ignore, no_color, quiet, verbose, statistics,
                  show_files, show_settings, verify_build,
                  **verify) -> int:
    """Lint Dockerfiles: files, directories (searched for Dockerfiles) or '-' for stdin."""
    if verify_build:
        if fix or diff:
            raise click.UsageError("--verify-build cannot be combined with --fix or --diff")
        if len(paths) > 1:
            raise click.UsageError("--verify-build takes one Dockerfile")
        return _run_verify(paths[0] if paths else "Dockerfile", context, build_args, target, formats, outputs,
                           no_color, quiet, verify)
    given = [f"--{name.replace('_', '-')}" for name in _VERIFY_ONLY if verify.get(name) is not None]
    if "html" in formats:
        given.append("-f html")
    if given:
        raise click.UsageError(f"{given[0]} needs --verify-build")
    if fix and diff:
        raise click.UsageError("--fix and --diff cannot be combined (--diff shows what --fix would write)")
    if "-" in paths and (fix or diff):
        raise click.UsageError("--fix/--diff cannot be used with stdin ('-')")
    if "-" in paths and len(paths) > 1:
        raise click.UsageError("'-' (stdin) cannot be combined with other paths")
    if stdin_filename and "-" not in paths:
        raise click.UsageError("--stdin-filename needs '-' among the paths")

    if select and not _split_csv(select):
        raise click.BadParameter("needs at least one rule (use --ignore ALL to disable every rule)",
                                 param_hint="--select")
    severity = _severity_pairs(severities) + [
        (rule_id, Severity.parse(level))
        for level, ids in (("error", sev_error), ("warning", sev_warning), ("info", sev_info),
                           ("style", sev_style))
        for rule_id in _split_csv(ids)
    ]
    overrides = Overrides(
        select=_split_csv(select) if select else None,
        extend_select=_split_csv(extend_select), ignore=_split_csv(ignore), severity=tuple(severity),
        failure_threshold=failure_threshold, build_args=tuple(_build_args(build_args)),
        context=context, target=target, trusted_registries=_split_csv(trusted_registries),
        required_labels=tuple(_labels(required_labels)), strict_labels=strict_labels,
        disable_ignore_pragma=disable_ignore_pragma, no_fail=no_fail, no_color=no_color,
        exclude=_split_csv(exclude) if exclude else None, extend_exclude=_split_csv(extend_exclude),
    )
    if isolated and config is not None:
        raise click.UsageError("--isolated ignores every config file: it cannot be combined with --config")
    if config is not None and not os.path.isfile(config):
        raise fail(f"{config}: config file not found")
    if add_ignore and (fix or diff or "-" in paths):
        raise click.UsageError("--add-ignore writes the files it lints: it cannot be combined with --fix, --diff "
                               "or stdin ('-')")
    if (unsafe_fixes or show_fixes) and not (fix or diff):
        raise click.UsageError(f"{'--unsafe-fixes' if unsafe_fixes else '--show-fixes'} needs --fix or --diff")
    if show_files and show_settings:
        raise click.UsageError("--show-files and --show-settings cannot be combined")
    options = RunOptions(
        config=config, jobs=jobs or (os.cpu_count() or 1), formats=formats, outputs=outputs, fix=fix, diff=diff,
        unsafe_fixes=unsafe_fixes, show_fixes=show_fixes, add_ignore=add_ignore,
        force_exclude=force_exclude, isolated=isolated,
        stdin_filename=stdin_filename, quiet=quiet, verbose=verbose, statistics=statistics,
        show="files" if show_files else "settings" if show_settings else None,
        file_path_in_report=_nonempty(file_path_in_report, "--file-path-in-report"),
        sarif_category=_nonempty(sarif_category, "--sarif-category"),
    )
    return lint(list(paths) or ["."], overrides, options)


def _nonempty(value: str | None, option: str) -> str | None:
    """An option value that must not be empty and must stay on one line (it ends up in CI reports)."""
    if value is None:
        return None
    if not value.strip() or any(c in value for c in "\r\n\0"):
        raise click.BadParameter("must be a non-empty single line", param_hint=option)
    return value


def _run_verify(dockerfile, context, build_args, target, formats, outputs, no_color, quiet, verify,
                images=(), against=None, list_paths=False, thresholds=(None, None), dump=(None, None)) -> int:
    if images and len(images) != 2:
        raise click.UsageError("--image takes two images: --image A --image B")
    if images and against:
        raise click.UsageError("--against builds the Dockerfile; --image compares two images without a build")
    if dockerfile is None:                      # `verify --image A --image B`: history stands in
        dockerfile = "" if images else "Dockerfile"
    if dockerfile and os.path.isdir(dockerfile):
        return _verify_directory(dockerfile, context, build_args, target, formats, outputs, no_color, quiet,
                                 verify, images, against, list_paths, thresholds, dump)
    if dockerfile and dockerfile != "-" and not os.path.isfile(dockerfile):
        raise fail(f"{dockerfile}: no such file" if not os.path.exists(dockerfile)
                   else f"{dockerfile}: not a file (--verify-build takes one Dockerfile)")
    from dockerlint.verify import command

    pairs = output_pairs(formats, outputs)
    return command.run(
        dockerfile, context=context or os.path.dirname(os.path.abspath(dockerfile or ".")),
        build_args=dict(_build_args(build_args)), target=target, platform=verify.get("platform"),
        builder=verify.get("builder") or "auto", source_date_epoch=verify.get("source_date_epoch"),
        vary=bool(verify.get("vary")), keep_images=bool(verify.get("keep_images")),
        timeout=verify.get("timeout"), strict=bool(verify.get("strict")), outputs=pairs,
        color=color_for(bool(no_color), sys.stdout), quiet=quiet, images=images, against=against,
        list_paths=list_paths, **{name: value for name, value in zip(("max_wasted_bytes", "min_efficiency"),
                                                                     thresholds) if value is not None},
        **{name: value for name, value in zip(("dump", "dump_max_size"), dump) if value is not None},
    )


def _verify_directory(directory, context, build_args, target, formats, outputs, no_color, quiet, verify,
                      images, against, list_paths, thresholds, dump) -> int:
    """``verify DIR``: every Dockerfile the lint would find there, each in its own directory."""
    given = [name for name, value in (("--image", images), ("--against", against), ("--context", context),
                                      ("--dump", dump[0])) if value]
    if given:
        raise click.UsageError(f"{given[0]} takes one Dockerfile, not a directory ({directory})")
    if "html" in formats:
        raise click.UsageError("-f html is one audit page for one Dockerfile: give a Dockerfile, not a directory")
    from dockerlint.run import dockerfiles_in
    from dockerlint.verify import command

    return command.run_many(
        dockerfiles_in([directory]), build_args=dict(_build_args(build_args)), target=target,
        platform=verify.get("platform"), builder=verify.get("builder") or "auto",
        source_date_epoch=verify.get("source_date_epoch"), vary=bool(verify.get("vary")),
        keep_images=bool(verify.get("keep_images")), timeout=verify.get("timeout"),
        strict=bool(verify.get("strict")), outputs=output_pairs(formats, outputs),
        color=color_for(bool(no_color), sys.stdout), quiet=quiet, list_paths=list_paths,
        max_wasted_bytes=thresholds[0], min_efficiency=thresholds[1])


@cli.command("verify")
@click.argument("dockerfile", required=False, type=click.Path())
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice([*FORMATS, "html"]),
              help="Output format (repeatable; html: one self-contained audit page).")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the matching --format's report here.")
@click.option("--context", type=_Directory(exists=False),
              help="Build context (default: the Dockerfile's directory).")
@click.option("--build-arg", "build_args", multiple=True, metavar="NAME=VALUE", help="Build argument (repeatable).")
@click.option("--target", metavar="STAGE", help="Build this stage.")
@click.option("--no-color", is_flag=True, help="No colours (also NO_COLOR).")
@click.option("-q", "--quiet", is_flag=True, help="Print the verdict and differences only.")
@click.option("--image", "images", multiple=True, metavar="IMAGE",
              help="Compare two existing images instead of building (twice: --image A --image B); "
                   "an image in the daemon, a `docker save` archive or an OCI layout directory.")
@click.option("--against", metavar="IMAGE",
              help="Build once and compare with this existing image (daemon, archive or layout directory).")
@click.option("--list", "list_paths", is_flag=True,
              help="List every differing path with both sides' metadata and digests (always in JSON).")
@click.option("--max-wasted-bytes", metavar="SIZE", callback=lambda ctx, param, value: _threshold(value, "size"),
              help="Exit 1 when image A wastes more (files later layers overwrite or delete): 10MB, 1GiB.")
@click.option("--min-efficiency", metavar="RATIO", callback=lambda ctx, param, value: _threshold(value, "ratio"),
              help="Exit 1 when image A's efficiency (1 - wasted/size) is lower: 0.95 or 95%.")
@click.option("--dump", "dump_dir", metavar="DIR", type=click.Path(file_okay=False),
              help="Write both versions of each differing regular file to DIR/a and DIR/b (for diff -r or "
                   "diffoscope); DIR must be new or empty.")
@click.option("--dump-max-size", metavar="SIZE", callback=lambda ctx, param, value: _threshold(value, "size"),
              help="Leave out of --dump files larger than this (default 64MB).")
@_verify_options
def verify_command(dockerfile, formats, outputs, context, build_args, target, no_color, quiet, images,
                   against, list_paths, max_wasted_bytes, min_efficiency, dump_dir, dump_max_size,
                   **verify) -> int:
    """Build DOCKERFILE (default: Dockerfile) twice and explain every difference (same as
    --verify-build); a directory: every Dockerfile in it, then a table of verdicts; or compare
    two existing images (--image A --image B), attributing the differences to DOCKERFILE when
    given, else to image A's history."""
    if dump_max_size is not None and dump_dir is None:
        raise click.UsageError("--dump-max-size needs --dump DIR")
    return _run_verify(dockerfile, context, build_args, target, formats, outputs, no_color, quiet, verify,
                       images=images, against=against, list_paths=list_paths,
                       thresholds=(max_wasted_bytes, min_efficiency), dump=(dump_dir, dump_max_size))


def _threshold(value, kind: str):
    """A --max-wasted-bytes / --min-efficiency value, or a one-line usage error."""
    if value is None:
        return None
    from dockerlint.verify.thresholds import parse_ratio, parse_size

    try:
        return parse_size(value) if kind == "size" else parse_ratio(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True)
def rules_command(fmt: str) -> int:
    """List every installed rule (built-in and plugins)."""
    from dockerlint.registry import installed_rules

    rules = installed_rules()
    out = stdout()
    if fmt == "markdown":
        out.write(_docs().render_markdown(rules.values()))
    elif fmt == "json":
        import json

        out.write(json.dumps([_rule_json(r) for r in rules.values()], indent=2) + "\n")
    else:
        rows = [(r.id, r.name, str(r.severity), r.category,
                 ("on" if r.default_enabled else "off") + (", fix" if r.fixable else ""), r.summary)
                for r in rules.values()]
        header = ("ID", "NAME", "SEVERITY", "CATEGORY", "DEFAULT", "SUMMARY")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]
        for row in [header, *rows]:
            out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[5] + "\n")
    return EXIT_OK


def _rule_json(r) -> dict:
    """The rule's index row (peers, instructions, causes…) and its documentation."""
    return {**r.metadata(), "summary": r.summary, "why": r.doc.why, "bad": r.doc.bad, "good": r.doc.good}


def _docs():
    from dockerlint import docs

    return docs


@cli.command("explain")
@click.argument("rule_id")
def explain_command(rule_id: str) -> int:
    """Show the documentation of one rule (id, alias or name)."""
    from dockerlint.registry import installed_rules, match, suggest

    rules = installed_rules()
    ids, exact = match(rule_id, rules)
    if not exact and ids:  # a prefix or a category: say which rules, so the next try is one of them
        shown = ", ".join(ids[:8]) + (", …" if len(ids) > 8 else "")
        raise fail(f"{rule_id!r} matches {len(ids)} rules ({shown}); explain takes one rule id or name")
    if not exact:
        raise fail(f"unknown rule {rule_id!r} ({suggest(rule_id, rules) or 'see `dockerlint rules`'})")
    if ids[0] not in rules:  # one id of a rule family (SC2086): the family's page, and where the id's is
        from dockerlint.registry import owner
        from dockerlint.report._common import rule_help_uri

        stdout().write(f"{ids[0]} is reported by {owner(ids[0], rules)}; its own page: {rule_help_uri(ids[0])}\n\n"
                       + _docs().render_rule(rules[owner(ids[0], rules)]))
        return EXIT_OK
    stdout().write(_docs().render_rule(rules[ids[0]]))
    return EXIT_OK


@cli.command("parse")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["json", "buildkit"]), default="json", show_default=True)
def parse_command(file: str, fmt: str) -> int:
    """Print the syntax tree of FILE (exit 1 on a syntax error)."""
    from dockerlint.syntax import parse
    from dockerlint.syntax.dump import buildkit_dump, json_dump
    from dockerlint.syntax.nodes import DockerfileSyntaxError

    data = _read_input(file)
    try:
        tree = parse(data, None if file == "-" else file)
    except DockerfileSyntaxError as exc:
        click.echo(f"{file}:{exc.span.line}:{exc.span.column}: syntax error: {exc.message}", err=True)
        return EXIT_FINDINGS
    if fmt == "buildkit":
        text = buildkit_dump(tree)
    else:
        import json

        text = json.dumps(json_dump(tree), indent=2, ensure_ascii=False)
    stdout().write(text if text.endswith("\n") or not text else text + "\n")
    return EXIT_OK


def _read_input(file: str) -> bytes:
    if file == "-":
        return read_stdin()
    try:
        with open(file, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise fail(f"{file}: {exc.strerror or exc}") from None


