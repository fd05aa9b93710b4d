"""Which manifest an install command installs: the link from a RUN to the context.

``pip install -r requirements/prod.txt`` reads the file at that path in the
image; the COPY (or ``RUN --mount=type=bind``) that put it there says which
context file it is, and ``BuildContext.manifest`` what it declares. Project
tools read fixed names in their project directory: ``poetry install`` reads
``pyproject.toml`` and ``poetry.lock``, ``uv sync`` ``pyproject.toml`` and
``uv.lock``, ``pipenv`` ``Pipfile(.lock)``, ``npm ci`` ``package.json`` and
``package-lock.json``, ``conda env create`` ``environment.yml`` unless ``-f``.
A file no COPY put there (the base image's, another stage's) is left unknown.
"""
from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, NamedTuple

from dockerlint.context.manifests import LOCAL, Manifest

if TYPE_CHECKING:
    from dockerlint.context import BuildContext
    from dockerlint.model.dockerfile import Instr
    from dockerlint.model.packages import PackageCommand
    from dockerlint.model.shell import Word

__all__ = ["Installed", "installed_manifests", "HEAVY", "heavy"]

# role of a file for its command
REQUIREMENTS, CONSTRAINTS, PROJECT, LOCK, ENVIRONMENT = "requirements", "constraints", "project", "lock", "environment"

# Project tools: action -> (manifest names, lock names) read in the project directory.
_PROJECT_FILES = {
    "poetry": (("pyproject.toml",), ("poetry.lock",)),
    "uv": (("pyproject.toml",), ("uv.lock",)),
    "pdm": (("pyproject.toml",), ("pdm.lock",)),
    "pipenv": (("Pipfile",), ("Pipfile.lock",)),
    "npm": (("package.json",), ("package-lock.json", "npm-shrinkwrap.json")),
    "yarn": (("package.json",), ("yarn.lock",)),
    "pnpm": (("package.json",), ("pnpm-lock.yaml",)),
}
_PROJECT_ACTIONS = frozenset({"install", "sync", "ci"})
_PY_PROJECT = ("pyproject.toml", "setup.py", "setup.cfg")

# Packages whose install alone takes minutes and gigabytes (CUDA wheels and the like).
HEAVY = re.compile(r"^(torch|torchvision|torchaudio|pytorch|tensorflow(-gpu|-cpu)?|tf-nightly|jax|jaxlib|"
                   r"nvidia-.*|cuda-.*|cudatoolkit|cudnn|cupy.*|xformers|vllm|deepspeed|triton|tensorrt.*|"
                   r"onnxruntime-gpu|paddlepaddle(-gpu)?|mxnet.*|flash-attn|bitsandbytes|detectron2|mmcv.*)$")


def heavy(names) -> list[str]:
    """The heavy packages among ``names`` (sorted, unique)."""
    return sorted({n for n in names if n and HEAVY.match(n)})


class Installed(NamedTuple):
    """One manifest an install command reads.

    ``written`` is the word naming it on the command line (None when the tool
    reads it by its fixed name); ``copied_by`` the COPY/ADD (or the RUN with
    the bind mount) that put it there; ``path``/``manifest`` the context file
    and what it declares (None when it did not come from the context).
    """

    role: str
    image_path: str
    written: Word | None
    copied_by: Instr | None
    path: str | None
    manifest: Manifest | None


def installed_manifests(ctx: BuildContext, cmd: PackageCommand) -> tuple[Installed, ...]:
    """The manifests ``cmd`` installs from, includes (``-r`` inside a file) followed."""
    instr = cmd.instr
    found: list[Installed] = []
    for role, words in ((REQUIREMENTS, cmd.requirement_files), (CONSTRAINTS, cmd.constraint_files)):
        for word in words:
            if word.value:
                if cmd.manager == "conda" and role == REQUIREMENTS and cmd.subcommand.startswith("env"):
                    role = ENVIRONMENT
                found.append(_link(ctx, instr, role, word.value, word))
    if cmd.manager in ("pip", "uv") and cmd.action == "install":
        for package in cmd.packages:
            if package.pin == LOCAL and package.text and not package.text.lower().endswith((".whl", ".tar.gz",
                                                                                        ".zip", ".tgz")):
                found.extend(_project(ctx, instr, package.text.split("[", 1)[0], package.word))
    if cmd.action in _PROJECT_ACTIONS and not cmd.packages and (cmd.manager in _PROJECT_FILES):
        if cmd.manager != "uv" or cmd.action == "sync":
            directory = _option(cmd, "directory", "project", "C", "dir", "cwd", "prefix") or "."
            names, locks = _PROJECT_FILES[cmd.manager]
            found.extend(_first(ctx, instr, PROJECT, directory, names))
            found.extend(_first(ctx, instr, LOCK, directory, locks))
    if cmd.manager == "conda" and cmd.subcommand.startswith("env") and not cmd.requirement_files:
        found.extend(_first(ctx, instr, ENVIRONMENT, ".", ("environment.yml", "environment.yaml")))
    return tuple(_with_includes(ctx, instr, found))


def _option(cmd: PackageCommand, *names: str) -> str | None:
    for argument in cmd.args.values(*names):
        if argument.value:
            return argument.value
    return None


def _link(ctx: BuildContext, instr: Instr, role: str, path: str, word: Word | None) -> Installed:
    image = _image(instr, path)
    origin = ctx.origin(instr, path) if image is not None else None
    if origin is None:
        return Installed(role, image or path, word, None, None, None)
    copied_by, rel = origin
    return Installed(role, image or path, word, copied_by, rel, ctx.manifest(rel))


def _first(ctx: BuildContext, instr: Instr, role: str, directory: str, names) -> list[Installed]:
    """The first of ``names`` present in ``directory`` of the image (from the context)."""
    for name in names:
        linked = _link(ctx, instr, role, posixpath.join(directory, name), None)
        if linked.path is not None:
            return [linked]
    return []


def _project(ctx: BuildContext, instr: Instr, directory: str, word: Word) -> list[Installed]:
    """``pip install .``: the project file of the directory (pyproject.toml, else setup.py/setup.cfg)."""
    found = []
    for name in _PY_PROJECT:
        linked = _link(ctx, instr, PROJECT, posixpath.join(directory, name), word)
        if linked.path is not None:
            found.append(linked)
            if name == "pyproject.toml" and linked.manifest is not None and linked.manifest.entries:
                break
    return found


def _image(instr: Instr, path: str) -> str | None:
    from dockerlint.context.copies import UNKNOWN_CWD
    from dockerlint.context.ignore import clean_path

    if not path or "://" in path or "$" in path:
        return None
    return clean_path(path if path.startswith("/") else posixpath.join(instr.cwd or UNKNOWN_CWD, path))


def _with_includes(ctx: BuildContext, instr: Instr, found: list[Installed]) -> list[Installed]:
    """Add the files ``-r``/``-c`` lines include, relative to the including file (in context and image)."""
    out = list(found)
    seen = {f.path for f in found if f.path}
    queue = [f for f in found if f.manifest is not None]
    while queue:
        current = queue.pop(0)
        manifest = current.manifest
        if manifest is None or current.path is None:
            continue
        base_image = posixpath.dirname(current.image_path)
        base_ctx = posixpath.dirname(current.path)
        for role, paths in ((REQUIREMENTS, manifest.includes), (CONSTRAINTS, manifest.constraints)):
            for rel in paths:
                if rel is None or rel in seen:
                    continue
                seen.add(rel)
                # the included file is read in the image, next to the including one
                within = posixpath.relpath(rel, base_ctx or ".")
                linked = _link(ctx, instr, role, posixpath.join(base_image, within), None)
                out.append(linked)
                if linked.manifest is not None:
                    queue.append(linked)
    return out


EXPENSIVE_ACTIONS = frozenset({"install", "sync", "ci", "create", "add", "upgrade", "download"})


def expensive_commands(instr: Instr) -> tuple[PackageCommand, ...]:
    """The package commands of a RUN whose step takes long enough to be worth caching
    (installs, syncs, ``npm ci``, ``conda env create``; not removes, cleans, index updates)."""
    return tuple(c for c in instr.package_commands if c.action in EXPENSIVE_ACTIONS and not _self_upgrade(c))


_INSTALLERS = frozenset({"pip", "setuptools", "wheel", "uv", "pipenv", "poetry", "npm", "yarn", "pnpm"})


def _self_upgrade(cmd: PackageCommand) -> bool:
    """``pip install --upgrade pip setuptools``: the installer's own update, seconds, not a dependency install."""
    return bool(cmd.packages) and not cmd.requirement_files and all(p.name in _INSTALLERS for p in cmd.packages)


def step_cost(ctx: BuildContext | None, cmd: PackageCommand) -> tuple[int | None, list[str]]:
    """``(package count, heavy packages)`` of an install: named on the line plus its manifests'.

    The count is None when a manifest it reads is not known (not from the context).
    """
    names = [p.name for p in cmd.packages if p.name]
    count: int | None = len(names)
    if ctx is not None:
        for read in ctx.installed(cmd):
            if read.role == CONSTRAINTS or (read.role == PROJECT and _has_lock(ctx, cmd)):
                continue
            if read.manifest is None:
                count = None
                continue
            names.extend(read.manifest.packages)
            if count is not None:
                count += len(read.manifest.packages)
    elif cmd.requirement_files:
        count = None
    return count, heavy(names)


def _has_lock(ctx: BuildContext, cmd: PackageCommand) -> bool:
    return any(r.role == LOCK and r.manifest is not None for r in ctx.installed(cmd))


def command_text(instr: Instr, cmd: PackageCommand, width: int = 60) -> str:
    """The command as written on its line (continuations joined), cut to ``width``, to name it in a message."""
    span = cmd.command.span
    text = instr.dockerfile.source.text[span.start:span.end] if span is not None else ""
    text = " ".join(text.replace("\\\n", " ").split()) or f"{cmd.tool} {cmd.subcommand}"
    return text if len(text) <= width else text[:width - 3] + "..."
