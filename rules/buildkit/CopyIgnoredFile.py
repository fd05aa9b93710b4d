"""CopyIgnoredFile: COPY or ADD of a path the .dockerignore leaves out of the context."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.buildkit._buildkit import stage_instructions

# The only patterns under which BuildKit reports `COPY . dest`: they ignore everything.
_EVERYTHING = frozenset({"*", "**", "**/*"})


@rule(id="CopyIgnoredFile", name="copy-ignored-file", severity=Severity.WARNING, category="correctness",
      on=("COPY", "ADD"), default_enabled=False, buildkit="CopyIgnoredFile", hadolint=())
def copy_ignored_file(df: Dockerfile) -> Iterator[Finding]:
    """Do not COPY a file that `.dockerignore` excludes: it is not in the build context.

    Why: the build either fails (`COPY config.yaml` not found) or, with a
    glob or directory, silently copies less than the Dockerfile says.

    Bad:
        COPY .env /app/
    Good:
        COPY settings.example.env /app/.env

    Note: needs the build context (the Dockerfile's directory, or
    `--context`). BuildKit's semantics: a source is reported when it, or a
    directory above it, matches a pattern; `COPY . dest` only when the
    ignore file ignores everything (`*`, `**` or `**/*`); never when the
    file has `!` exception lines (what is left in is then too subtle to
    judge); never for `COPY --from`, URLs or here-documents. Experimental in
    BuildKit, so off by default here too: select it, or enable it per file
    with `# check=experimental=CopyIgnoredFile`.
    References:
    - https://docs.docker.com/reference/build-checks/copy-ignored-file/
    """
    context = df.context
    if context is None or context.ignore_file is None:
        return
    try:
        matcher = context.matcher
    except (ValueError, OSError):  # a malformed ignore file: the build reports it, not this rule
        return
    if matcher.has_exclusions or not matcher.patterns:
        return
    everything = any(p.text in _EVERYTHING for p in matcher.patterns)
    for _, instr in stage_instructions(df):
        spec = instr.copy
        if spec is None or spec.from_:
            continue
        verb = "Add" if spec.is_add else "Copy"
        for source in spec.sources:
            path = source.value
            if path is None or path.startswith(("http://", "https://", "git@")):
                continue
            relative = context.relative(path)
            hit = everything if relative == "." else matcher.ignored(relative)
            if hit:
                yield instr.finding(f'Attempting to {verb} file "{path}" that is excluded by .dockerignore')
