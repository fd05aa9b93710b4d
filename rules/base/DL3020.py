"""DL3020: ADD for local files and folders."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Edit, Finding, Fix, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules._common import is_archive

_REMOTE = ("http://", "https://", "git@", "git://", "ssh://")


@rule(id="DL3020", name="copy-not-add", severity=Severity.ERROR, category="correctness", on=("ADD",),
      fixable=True, trivy=("DS005",), checkov=("CKV_DOCKER_4",))
def copy_not_add(df: Dockerfile) -> Iterator[Finding]:
    """Use COPY instead of ADD for files and folders.

    Why: ADD also fetches URLs and unpacks archives, so `ADD config.tar .`
    silently extracts it and a reader cannot tell what the line does. COPY
    does exactly one thing.

    Bad:
        ADD requirements.txt /app/
    Good:
        COPY requirements.txt /app/

    Fix: replaces the keyword `ADD` with `COPY` (flags and arguments kept).

    Fix safety: safe: for local files and folders that are not archives, COPY
    and ADD copy the same bytes; `--checksum`, `--keep-git-dir` and `--unpack`
    (ADD-only flags) leave the line alone.

    Note: as hadolint, sources that are URLs, git repositories or archives are
    ADD's business (hadolint's archive list); a source from an unknown variable
    is not judged.
    """
    for instr in df.walk():
        spec = instr.copy
        if instr.keyword != "ADD" or spec is None or not spec.sources or spec.from_ is not None:
            continue
        values = [s.value for s in spec.sources]
        if any(v is None for v in values):
            continue
        if any(v.startswith(_REMOTE) or is_archive(v) for v in values if v is not None):
            continue
        if spec.checksum is not None or spec.keep_git_dir or spec.unpack is not None:
            continue
        keyword = instr.keyword_span
        fix = Fix("use COPY", (Edit(keyword.start, keyword.end, "COPY"),), safe=True)
        yield instr.finding("Use COPY instead of ADD for files and folders", span=keyword, fix=fix)
