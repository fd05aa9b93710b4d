"""REPRO001: a requirement without a version in a manifest an install reads."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile, Span
from dockerlint.rule import rule


@rule(id="REPRO001", name="manifest-unpinned", severity=Severity.WARNING, category="reproducibility",
      on=("RUN",), causes=("REPRO-PACKAGE-DRIFT",), hadolint=())
def manifest_unpinned(df: Dockerfile) -> Iterator[Finding]:
    """Pin every requirement the image installs: `torch==2.3.1`, or install from a lock file.

    Why: `pip install -r requirements.txt` with a bare `torch` line installs
    whatever is newest on the day of the build. The Dockerfile looks pinned
    (hadolint's DL3013 trusts `-r`), but next month's rebuild gets another
    torch, another CUDA runtime and other results.

    Bad:
        COPY requirements.txt .
        RUN pip install --no-cache-dir -r requirements.txt   # requirements.txt: "torch"
    Good:
        # requirements.txt: "torch==2.3.1", or pins in a constraints (or lock) file:
        COPY requirements.txt constraints.txt ./
        RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt
    Note: reported on the manifest's line (`requirements.txt:3`), once per
    file, for the files a RUN installs from the build context: requirements
    files (and the `-r` files they include), conda `environment.yml` (conda
    and `pip:` entries), `pyproject.toml` main dependencies for `pip install .`.
    A range (`>=1.26`) is a pin here, as in DL3013. Silent when the command
    uses constraints (`-c`) or the project tool reads a lock file (`poetry
    install`, `uv sync`, `pipenv sync`), for names the file cannot know
    (`${VAR}`) and without a build context.
    """
    ctx = df.context
    if ctx is None:
        return
    reported: set[str] = set()
    for instr in df.walk():
        for cmd in instr.package_commands:
            if cmd.action not in ("install", "sync", "create") or cmd.constraint_files:
                continue
            reads = ctx.installed(cmd)
            if any(r.role in ("lock", "constraints") for r in reads) or any(
                    r.manifest is not None and r.manifest.constraints for r in reads):
                continue
            for read in reads:
                manifest = read.manifest
                if manifest is None or read.path in reported or manifest.lock:
                    continue
                if read.role == "project" and cmd.manager not in ("pip", "uv"):
                    continue
                reported.add(read.path)
                text = ctx.read_text(read.path, limit=8 << 20) or ""
                for entry in manifest.entries:
                    if entry.pin != "unpinned" or entry.group not in (None, "pip") or entry.name in ("pip", "python"):
                        continue
                    pin = f"`{entry.text}@<tag or commit>`" if "://" in entry.text else f"`{entry.name}==<version>`"
                    yield Finding(f"`{entry.text}` has no version: {read.path}:{entry.line} is installed by line "
                                  f"{instr.line}; pin it ({pin}) or install from a lock file",
                                  _span(text, entry), path=ctx.shown_path(read.path, df.path))


def _span(text: str, entry) -> Span:
    lines = text.splitlines(keepends=True)
    start = sum(len(x) for x in lines[:entry.line - 1]) + entry.column - 1
    width = len(entry.text) if entry.text else 1
    return Span(start, start + width, entry.line, entry.column, entry.line, entry.column + width)
