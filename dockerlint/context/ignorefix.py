"""The `.dockerignore` dockerlint proposes for a Dockerfile, and writes under `--fix`.

CACHE002 (clutter, data sets, weights) and CACHE003 (secrets) both point at
the same remedy: one `.dockerignore` for the whole Dockerfile, listing only
what its COPYs send. Both rules attach the fix made here, so their findings
carry one identical fix and ``--fix`` writes the file once. The file is
proposed only when the build has no ignore file: an existing one is the
user's, and dockerlint never rewrites it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from dockerlint.context.ignore import IgnoreMatcher
from dockerlint.context.kinds import clutter, secret_kind
from dockerlint.findings import Edit, Fix

if TYPE_CHECKING:
    from dockerlint.context import BuildContext
    from dockerlint.context.copies import Sent
    from dockerlint.model import Dockerfile

HEADER = "# Left out of the build context (written by dockerlint --fix)\n"
# What no program reads at run time: safe to leave out under --fix.
_SAFE_LABELS = frozenset({"Python bytecode caches", "notebook checkpoints", "tool caches"})
# Build steps that read the git history (setuptools-scm and friends, through pip).
_VCS_VERSIONING = ("setuptools_scm", "setuptools-scm", "hatch-vcs", "versioneer", "pbr", "dunamai",
                   "poetry-dynamic-versioning", "setuptools-git-versioning")


def clutter_sent(ctx: BuildContext, sent: Sent) -> dict[str, list]:
    """What a COPY sends that does not belong in the image: `.dockerignore` line -> [label, files, bytes].

    A data/weights file under a source named explicitly (``COPY models/ ...``) is wanted, not clutter.
    """
    named = {s.path for s in sent.sources if s.path and s.path != "."}
    groups: dict[str, list] = {}
    for rel in sent.files:
        found = clutter(ctx, rel)
        if found is None or _asked_for(rel, named, found.label):
            continue
        group = groups.setdefault(found.pattern, [found.label, 0, 0])
        group[1] += 1
        group[2] += ctx.size(rel)
    return groups


def secrets_sent(ctx: BuildContext, sent: Sent) -> list[tuple[str, str]]:
    """(context path, what it is) of each credential file a COPY sends."""
    return [(rel, kind) for rel in sent.files if (kind := secret_kind(ctx, rel)) is not None]


def dockerignore_fix(df: Dockerfile) -> Fix | None:
    """The new `.dockerignore` for the whole Dockerfile, or None (an ignore file exists, nothing to add,
    or every line would exclude a file a COPY names)."""
    ctx = df.context
    if ctx is None or ctx.ignore_file is not None:
        return None
    patterns: dict[str, str] = {}  # line -> label
    named: list[str] = []
    for _, sent in ctx.copies(df):
        for pattern, (label, _, _) in sorted(clutter_sent(ctx, sent).items(), key=lambda kv: -kv[1][2]):
            patterns.setdefault(pattern, label)
        for rel, _ in secrets_sent(ctx, sent):
            patterns.setdefault(rel, "secret")
        named += [f for s in sent.sources if s.path not in (None, ".") for f in s.files]
    lines = [p for p in patterns if not any(IgnoreMatcher.from_text(p + "\n").ignored(f) for f in named)]
    if not lines:
        return None
    risky = [p for p in lines if not _safe(df, ctx, p, patterns[p])]
    text = HEADER + "".join(f"{p}\n" for p in lines)
    description = f"create .dockerignore ({', '.join(lines)})"
    if risky:
        description += f"; check first that the image does not need {', '.join(f'`{p}`' for p in risky)}"
    return Fix(description, (Edit(0, 0, text),), safe=not risky, path=ctx.shown_path(".dockerignore", df.path))


def _asked_for(rel: str, named: set[str], label: str) -> bool:
    if label not in ("model weights", "data sets"):
        return False
    return any(rel == n or rel.startswith(n.rstrip("/") + "/") for n in named)


def _safe(df: Dockerfile, ctx: BuildContext, pattern: str, label: str) -> bool:
    """No step of the build and no program of the image can need what ``pattern`` leaves out."""
    if label in _SAFE_LABELS:
        return True
    if label == "the git history":
        if any(c.program == "git" for i in df.walk() for c in i.commands):
            return False
        project = "".join(ctx.read_text(name, limit=1 << 20) or "" for name in
                          ("pyproject.toml", "setup.cfg", "setup.py") if ctx.exists(name))
        return not any(tool in project for tool in _VCS_VERSIONING)
    if label == "a virtual env":
        return pattern.rsplit("/", 1)[-1] not in df.source.text
    if label == "node_modules":
        return any(c.manager in ("npm", "yarn", "pnpm") and c.action in ("install", "ci")
                   for i in df.walk() for c in i.package_commands)
    return False  # data sets, weights, experiment logs, secrets: the program may read them
