"""CACHE002: a COPY sends .git, virtual envs, caches, data sets or model weights."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.context.kinds import clutter
from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="CACHE002", name="context-clutter-sent", severity=Severity.WARNING, category="performance",
      on=("COPY", "ADD"), hadolint=())
def context_clutter_sent(df: Dockerfile) -> Iterator[Finding]:
    """Leave `.git`, virtual envs, caches, data sets and model weights out with `.dockerignore`.

    Why: `COPY . .` copies everything `.dockerignore` does not exclude: the
    git history, a local `venv/`, `node_modules`, `__pycache__`, notebook
    checkpoints, a 2 GB `data/` folder and last week's checkpoints. The image
    grows by all of it, every build uploads and hashes it, and any change to
    any of it invalidates the layer.

    Bad:
        COPY . /app
    Good:
        # .dockerignore
        .git
        **/__pycache__
        data
        models
    Note: reported on each COPY/ADD that sends such files, with their size
    and the `.dockerignore` lines to add; only with a build context (the
    Dockerfile's directory, or `--context`). Data files (`.csv`, `.parquet`,
    `.json`, archives) count from 10 MiB, weights (`.pt`, `.pth`, `.ckpt`,
    `.safetensors`, `.onnx`, `.h5`, `.pkl`, `.joblib`, ...) from 1 MiB: a small
    fixture or label map is part of the program. Copying a directory by name
    (`COPY models/ /models`) is deliberate and not reported for its weights.
    """
    ctx = df.context
    if ctx is None:
        return
    for copy in df.walk():
        if copy.keyword not in ("COPY", "ADD"):
            continue
        sent = ctx.sent(copy)
        if sent is None or not sent.files:
            continue
        named = {s.path for s in sent.sources if s.path and s.path != "."}
        groups: dict[str, list] = {}
        for rel in sent.files:
            found = clutter(ctx, rel)
            if found is None or _asked_for(rel, named, found.label):
                continue
            groups.setdefault(found.pattern, [found.label, 0, 0])
            groups[found.pattern][1] += 1
            groups[found.pattern][2] += ctx.size(rel)
        if not groups:
            continue
        ordered = sorted(groups.items(), key=lambda kv: -kv[1][2])
        total = sum(g[2] for _, g in ordered)
        shown = ", ".join(f"`{p}` ({g[0]}, {_files(g[1])}, {human(g[2])})" for p, g in ordered[:4])
        more = f" and {len(ordered) - 4} more" if len(ordered) > 4 else ""
        where = "to `.dockerignore`" if ctx.ignore_file is not None else "to a new `.dockerignore`"
        lines = "\\n".join(p for p, _ in ordered)
        yield copy.finding(f"This sends {human(total)} that do not belong in the image: {shown}{more}; "
                           f"add {where}: {lines}", span=copy.span)


def _asked_for(rel: str, named: set[str], label: str) -> bool:
    """A data/weights file under a source named explicitly (``COPY models/ ...``) is wanted."""
    if label not in ("model weights", "data sets"):
        return False
    return any(rel == n or rel.startswith(n.rstrip("/") + "/") for n in named)


def _files(n: int) -> str:
    return f"{n} file{'s' if n != 1 else ''}"


def human(size: int) -> str:
    """Bytes as a person reads them (1.2 GB, 340 MB, 12 kB)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return f"{size} B"
