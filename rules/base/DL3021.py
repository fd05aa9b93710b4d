"""DL3021: COPY of several sources to a destination that is not a directory."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL3021", name="copy-dest-dir", severity=Severity.ERROR, category="correctness", on=("COPY",))
def copy_dest_dir(df: Dockerfile) -> Iterator[Finding]:
    """COPY with more than two arguments requires the last argument to end with `/`.

    Why: Docker copies several sources only into a directory; without the
    trailing slash the build fails ("When using COPY with more than one source
    file, the destination must be a directory and end with a /").

    Bad:
        COPY requirements.txt setup.py /app
    Good:
        COPY requirements.txt setup.py /app/

    Note: the destination is judged after variable expansion; one from an
    unknown variable is not. Heredoc sources count as sources.
    """
    for instr in df.walk():
        spec = instr.copy
        if instr.keyword != "COPY" or spec is None or spec.dest is None:
            continue
        count = len(spec.sources) + len(spec.heredocs)
        dest = spec.dest.value
        if count > 1 and dest is not None and not dest.endswith("/"):
            yield instr.finding("COPY with more than 2 arguments requires the last argument to end with `/`: "
                                f"`{spec.dest.raw}`", span=spec.dest.span)
