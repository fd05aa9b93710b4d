"""CACHE002: a COPY sends .git, virtual envs, caches, data sets or model weights."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.context.ignore import IgnoreMatcher
from dockerlint.context.kinds import clutter
from dockerlint.findings import Edit, Finding, Fix, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

# What the image can never need at run time: safe to leave out under --fix.
_SAFE_LABELS = frozenset({"Python bytecode caches", "notebook checkpoints", "tool caches"})
# Build steps that read the git history (setuptools-scm and friends read it through pip).
_VCS_VERSIONING = ("setuptools_scm", "setuptools-scm", "hatch-vcs", "versioneer", "pbr", "dunamai",
                   "poetry-dynamic-versioning", "setuptools-git-versioning")


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
    writes a `.dockerignore` with the lines the findings name (one file for the whole
    Dockerfile, only what is there), leaving out any line that would exclude a
    file a COPY names. An existing ignore file is never touched: add the lines yourself.
    Fix safety: safe when every line is something no program reads at run time
    (`__pycache__`, notebook checkpoints, tool caches, `.git` when no step reads
    the history: no `git` command, no setuptools-scm/hatch-vcs/versioneer in the
    project, a venv the Dockerfile does not name, `node_modules` when the
    Dockerfile installs its own). Data sets, model weights and experiment logs
    may be what the program loads (`joblib.load("models/model.pkl")`): then the
    fix is unsafe (`--unsafe-fixes`); mount them or COPY them by name instead.
    """
    ctx = df.context
    if ctx is None:
        return
    found = list(_findings(df, ctx))
    fix = _fix(df, ctx, [p for _, ordered, _ in found for p, _ in ordered]) if found and \
        ctx.ignore_file is None else None
    for copy, _, message in found:
        yield copy.finding(message, span=copy.span, fix=fix)


def _findings(df: Dockerfile, ctx):
    """(COPY, [(pattern, [label, files, bytes])...] largest first, message) for each COPY that sends clutter."""
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
        yield copy, ordered, (f"This sends {human(total)} that do not belong in the image: {shown}{more}; "
                              f"add {where}: {lines}")


def _fix(df: Dockerfile, ctx, patterns: list[str]) -> Fix | None:
    """One new `.dockerignore` for the whole Dockerfile, or None when every line would exclude a named file."""
    named = [f for instr in df.walk() if instr.keyword in ("COPY", "ADD")
             for sent in [ctx.sent(instr)] if sent is not None
             for source in sent.sources if source.path not in (None, ".") for f in source.files]
    lines: list[str] = []
    for pattern in dict.fromkeys(patterns):
        matcher = IgnoreMatcher.from_text(pattern + "\n")
        if not any(matcher.ignored(f) for f in named):
            lines.append(pattern)
    if not lines:
        return None
    risky = [p for p in lines if not _safe(df, ctx, p)]
    text = "# Left out of the build context (written by dockerlint --fix)\n" + "".join(f"{p}\n" for p in lines)
    description = f"create .dockerignore ({', '.join(lines)})"
    if risky:
        description += f"; check first that the image does not need {', '.join(f'`{p}`' for p in risky)}"
    return Fix(description, (Edit(0, 0, text),), safe=not risky, path=ctx.shown_path(".dockerignore", df.path))


def _safe(df: Dockerfile, ctx, pattern: str) -> bool:
    """No program of the build or the image can need what ``pattern`` leaves out."""
    sample = next((f for f in ctx.files if IgnoreMatcher.from_text(pattern + "\n").ignored(f)), None)
    found = clutter(ctx, sample) if sample is not None else None
    if found is None:
        return False
    if found.label in _SAFE_LABELS:
        return True
    text = df.source.text
    if found.label == "the git history":
        if any(c.program == "git" for i in df.walk() for c in i.commands):
            return False
        project = "".join(ctx.read_text(name, limit=1 << 20) or "" for name in
                          ("pyproject.toml", "setup.cfg", "setup.py") if ctx.exists(name))
        return not any(tool in project for tool in _VCS_VERSIONING)
    if found.label == "a virtual env":
        return pattern.rsplit("/", 1)[-1] not in text
    if found.label == "node_modules":
        return any(c.manager in ("npm", "yarn", "pnpm") and c.action in ("install", "ci")
                   for i in df.walk() for c in i.package_commands)
    return False


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
