"""CACHE002: a COPY sends .git, virtual envs, caches, data sets or model weights."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.context.ignorefix import clutter_sent, dockerignore_fix
from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="CACHE002", name="context-clutter-sent", severity=Severity.WARNING, category="performance",
      on=("COPY", "ADD"), fixable=True, hadolint=())
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
    Fix: when the build has no ignore file (`.dockerignore`, `<Dockerfile>.dockerignore`),
    writes a `.dockerignore` with the lines the findings name and the secrets
    CACHE003 finds (one file for the whole Dockerfile, only what is there),
    leaving out any line that would exclude a file a COPY names. An existing
    ignore file is never touched: add the lines yourself.
    Fix safety: safe when every line is something no program reads at run time
    (`__pycache__`, notebook checkpoints, tool caches, `.git` when no step reads
    the history: no `git` command, no setuptools-scm/hatch-vcs/versioneer in the
    project, a venv the Dockerfile does not name, `node_modules` when the
    Dockerfile installs its own). Data sets, model weights, experiment logs and
    a `.env` may be what the program loads (`joblib.load("models/model.pkl")`): then the
    fix is unsafe (`--unsafe-fixes`); mount them or COPY them by name instead.
    """
    ctx = df.context
    if ctx is None:
        return
    fix = None
    for copy, sent in ctx.copies(df):
        if not sent.files:
            continue
        groups = clutter_sent(ctx, sent)
        if not groups:
            continue
        ordered = sorted(groups.items(), key=lambda kv: -kv[1][2])
        total = sum(g[2] for _, g in ordered)
        shown = ", ".join(f"`{p}` ({g[0]}, {_files(g[1])}, {human(g[2])})" for p, g in ordered[:4])
        more = f" and {len(ordered) - 4} more" if len(ordered) > 4 else ""
        where = "to `.dockerignore`" if ctx.ignore_file is not None else "to a new `.dockerignore`"
        lines = ", ".join(f"`{p}`" for p, _ in ordered)  # a message is one line
        fix = fix or dockerignore_fix(df)
        yield copy.finding(f"This sends {human(total)} that do not belong in the image: {shown}{more}; "
                           f"add {where}: {lines}", span=copy.span, fix=fix)


def _files(n: int) -> str:
    return f"{n} file{'s' if n != 1 else ''}"


def human(size: int) -> str:
    """Bytes as a person reads them (1.2 GB, 340 MB, 12 kB)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return f"{size} B"
