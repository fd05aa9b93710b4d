"""Which files to lint: explicit files as given, directories searched for Dockerfiles.

Inside a git work tree the listing comes from ``git ls-files`` (tracked plus
untracked-but-not-ignored files), so ``.gitignore`` is honoured exactly as git
reads it; elsewhere the tree is walked. Either way ``.git``, ``node_modules``
and virtual environments are skipped.
"""
from __future__ import annotations

import os
import re

# Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile, Containerfile.*
# but not BuildKit's per-Dockerfile ignore files (Dockerfile.dockerignore).
_NAME = re.compile(r"(?:Dockerfile|Containerfile)(?:\..+)?|.+\.(?:Dockerfile|dockerfile)", re.DOTALL)
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv",
                       ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages"})


class DiscoveryError(OSError):
    """A path does not exist, or a directory holds no Dockerfile (an OSError, as documented for lint_path)."""


def is_dockerfile_name(name: str) -> bool:
    return bool(_NAME.fullmatch(name)) and not name.endswith(".dockerignore")


def discover(paths: list[str]) -> list[str]:
    """Files to lint, in argument order, each directory's files sorted, no duplicates."""
    out: list[str] = []
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            found = _in_directory(path)
            if not found:
                raise DiscoveryError(f"{path}: no Dockerfiles found (looked for Dockerfile, Dockerfile.*, "
                                     f"*.Dockerfile, *.dockerfile, Containerfile, Containerfile.*)")
        elif os.path.exists(path):
            found = [path]
        else:
            raise DiscoveryError(f"{path}: {_why_missing(path)}")
        for f in found:
            key = os.path.normpath(os.path.abspath(f))
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def _why_missing(path: str) -> str:
    """The system's reason a path cannot be used: a symlink loop or a forbidden parent is not "missing"."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.strerror:
            return exc.strerror[0].lower() + exc.strerror[1:]
    return "no such file or directory"


def _in_directory(directory: str) -> list[str]:
    listed = _git_listing(directory)
    if listed is None:
        listed = _walk(directory)
    venv_cache: dict[str, bool] = {}
    keep = []
    for rel in listed:
        parts = rel.split("/")
        if not is_dockerfile_name(parts[-1]) or any(p in SKIP_DIRS for p in parts[:-1]):
            continue
        if _under_venv(directory, parts[:-1], venv_cache):
            continue
        full = os.path.join(*parts) if directory in (".", "./") else os.path.join(directory, *parts)
        if os.path.isfile(full):
            keep.append(full)
    return sorted(keep)


def _git_listing(directory: str) -> list[str] | None:
    """Paths relative to ``directory`` from git, or None outside a work tree (or without git)."""
    import subprocess  # only directories need git; a run on named files skips its import

    try:
        proc = subprocess.run(
            ["git", "-C", directory, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True, timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    return [p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def _walk(directory: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS
                         and not os.path.isfile(os.path.join(root, d, "pyvenv.cfg")))
        rel = os.path.relpath(root, directory)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found.extend(prefix + f for f in files if is_dockerfile_name(f))
    return found


def _under_venv(directory: str, parts: list[str], cache: dict[str, bool]) -> bool:
    """Whether any parent directory is a virtual environment (holds pyvenv.cfg)."""
    for i in range(1, len(parts) + 1):
        key = "/".join(parts[:i])
        if key not in cache:
            cache[key] = os.path.isfile(os.path.join(directory, *parts[:i], "pyvenv.cfg"))
        if cache[key]:
            return True
    return False
