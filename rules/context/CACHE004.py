"""CACHE004: a COPY/ADD source that is not in the build context."""
from __future__ import annotations

import difflib
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="CACHE004", name="copy-source-missing", severity=Severity.ERROR, category="correctness",
      on=("COPY", "ADD"), hadolint=())
def copy_source_missing(df: Dockerfile) -> Iterator[Finding]:
    """Copy only what exists in the build context (check the path and the build context directory).

    Why: the build stops at this line with `failed to compute cache key:
    ... not found`, after every earlier step has run.

    Bad:
        COPY requirement.txt .
    Good:
        COPY requirements.txt .
    Note: only with a build context, and only when another source the file
    names (not `.`) or a near name is found in it: when none is, the
    directory linted is not the one `docker build` is given (pass it with
    `--context`). A source `.dockerignore` excludes is
    BuildKit's CopyIgnoredFile check, not this one. Sources with unknown
    `$VAR`s, URLs and `--from` copies are not checked; a glob matching
    nothing is reported (BuildKit fails on it too).
    """
    ctx = df.context
    if ctx is None or ctx.truncated:
        return
    copies = list(ctx.copies(df))
    # When nothing the file names (other than `.`) is here and no near name either, this is not its
    # build context (`docker build -f docker/Dockerfile .`): stay silent rather than flag every COPY.
    context_found = any(src.path not in (None, ".") and (src.files or src.is_dir)
                        for _, s in copies for src in s.sources)
    for copy, sent in copies:
        for source, value in zip(sent.sources, _values(copy)):
            if source.path is None or source.files or source.is_dir:
                continue
            if not source.is_glob and (ctx.root / source.path).exists():
                continue  # there, but excluded by .dockerignore: CopyIgnoredFile
            hint = difflib.get_close_matches(source.path, list(_candidates(ctx)), n=1, cutoff=0.6)
            if not context_found and not hint:
                continue
            yield copy.finding(f"`{source.written}` is not in the build context"
                               + (f"; did you mean `{hint[0]}`?" if hint else ""), span=value.span)


def _values(copy):
    """The source Values matching ``Sent.sources`` (URLs are dropped there too)."""
    return [v for v in copy.copy.sources
            if v.value is None or not ("://" in v.value or v.value.startswith("git@"))]


def _candidates(ctx):
    dirs = {f.rsplit("/", 1)[0] for f in ctx.files if "/" in f}
    return [*ctx.files, *sorted(dirs)]
