"""The build context: what ``docker build`` would send, and what is in it.

Rules about cache order, ``.dockerignore`` and dependency files ask this
object, never the file system directly, so that they see exactly the files
Docker sees. Everything is computed lazily: a lint run that asks nothing
about the context costs nothing.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from dockerlint.context.ignore import DockerignoreError, IgnoreMatcher, clean_path

__all__ = ["BuildContext", "DependencyFile", "DockerignoreError", "ContextError"]

MAX_FILES = 100_000  # stop listing past this; ``BuildContext.truncated`` says so


class ContextError(OSError):
    """The context directory cannot be used (missing, not a directory)."""


@dataclass(frozen=True, slots=True)
class DependencyFile:
    """A file that declares Python dependencies.

    ``kind``: requirements, constraints, pyproject, setup.py, setup.cfg,
    pipfile, conda; ``lock``: True when it pins a full resolution
    (poetry.lock, uv.lock, Pipfile.lock, pdm.lock, conda-lock).
    """

    path: str  # relative to the context root, slash-separated
    kind: str
    lock: bool = False


_DEPENDENCY_NAMES = {
    "pyproject.toml": ("pyproject", False),
    "setup.py": ("setup.py", False),
    "setup.cfg": ("setup.cfg", False),
    "pipfile": ("pipfile", False),
    "pipfile.lock": ("pipfile", True),
    "poetry.lock": ("poetry", True),
    "uv.lock": ("uv", True),
    "pdm.lock": ("pdm", True),
    "pylock.toml": ("pylock", True),
    "environment.yml": ("conda", False),
    "environment.yaml": ("conda", False),
    "conda-lock.yml": ("conda", True),
}
_REQUIREMENTS = re.compile(r"(^|[-_.])requirements?([-_.].*)?\.(txt|in)$", re.IGNORECASE)
_CONSTRAINTS = re.compile(r"(^|[-_.])constraints?([-_.].*)?\.txt$", re.IGNORECASE)
_PYLOCK = re.compile(r"^pylock\.[^/]+\.toml$", re.IGNORECASE)
_CONDA_LOCK = re.compile(r"\.conda-lock\.ya?ml$", re.IGNORECASE)


def classify_dependency_file(path: str) -> DependencyFile | None:
    """The ``DependencyFile`` for ``path`` if its name is a known one."""
    name = path.rsplit("/", 1)[-1]
    lower = name.lower()
    if lower in _DEPENDENCY_NAMES:
        kind, lock = _DEPENDENCY_NAMES[lower]
        return DependencyFile(path, kind, lock)
    parent = path.rsplit("/", 2)[-2].lower() if "/" in path else ""
    if _REQUIREMENTS.search(lower) or (parent == "requirements" and lower.endswith((".txt", ".in"))):
        return DependencyFile(path, "requirements")
    if _CONSTRAINTS.search(lower):
        return DependencyFile(path, "constraints")
    if _PYLOCK.match(lower):
        return DependencyFile(path, "pylock", True)
    if _CONDA_LOCK.search(lower):
        return DependencyFile(path, "conda", True)
    return None


class BuildContext:
    """The directory ``docker build`` sends, filtered by its ignore file.

    ``dockerfile`` (a path) lets BuildKit's per-Dockerfile ignore file
    ``<Dockerfile>.dockerignore`` take precedence over ``.dockerignore`` at
    the context root, as BuildKit does.
    """

    def __init__(self, root: str | os.PathLike, dockerfile: str | os.PathLike | None = None,
                 *, max_files: int = MAX_FILES):
        self.root = Path(root)
        self.dockerfile = Path(dockerfile) if dockerfile is not None else None
        self.max_files = max_files
        self.truncated = False

    def __repr__(self) -> str:
        return f"BuildContext({str(self.root)!r})"

    # -- the ignore file ------------------------------------------------------------

    @cached_property
    def ignore_file(self) -> Path | None:
        """The ignore file BuildKit would use, or None."""
        if self.dockerfile is not None:
            specific = self.dockerfile.with_name(self.dockerfile.name + ".dockerignore")
            if specific.is_file():
                return specific
        default = self.root / ".dockerignore"
        return default if default.is_file() else None

    @cached_property
    def matcher(self) -> IgnoreMatcher:
        """Compiled patterns; raises ``DockerignoreError`` for a pattern Docker rejects."""
        if self.ignore_file is None:
            return IgnoreMatcher([])
        try:
            text = self.ignore_file.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise ContextError(f"cannot read {self.ignore_file}: {exc.strerror}") from None
        return IgnoreMatcher.from_text(text)

    def relative(self, path: str | os.PathLike) -> str:
        """``path`` as Docker names it inside the context (slash-separated, cleaned).

        Absolute paths are taken relative to the root, like COPY sources.
        """
        text = os.fspath(path).replace(os.sep, "/")
        root = self.root.as_posix()
        if text.startswith(root.rstrip("/") + "/"):
            text = text[len(root.rstrip("/")) + 1:]
        return clean_path(text).lstrip("/") or "."

    def is_ignored(self, path: str | os.PathLike) -> bool:
        """Would ``path`` (relative to the root) be left out of the context?"""
        return self.matcher.ignored(self.relative(path))

    # -- files ----------------------------------------------------------------------

    @cached_property
    def files(self) -> tuple[str, ...]:
        """Every file Docker would send, relative and sorted.

        Stops after ``max_files`` (``truncated`` becomes True): a context full
        of data should not make linting hang.
        """
        if not self.root.is_dir():
            raise ContextError(f"build context {str(self.root)!r} is not a directory")
        matcher = self.matcher
        found: list[str] = []
        stack = [""]
        while stack:
            directory = stack.pop()
            try:
                entries = list(os.scandir(self.root / directory if directory else self.root))
            except OSError:
                continue
            for entry in entries:
                rel = f"{directory}/{entry.name}" if directory else entry.name
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    continue
                if is_dir:
                    if matcher.must_walk(rel):
                        stack.append(rel)
                elif not matcher.ignored(rel):
                    found.append(rel)
                    if len(found) >= self.max_files:
                        self.truncated = True
                        return tuple(sorted(found))
        return tuple(sorted(found))

    def exists(self, path: str | os.PathLike) -> bool:
        """Is there a file or directory at ``path`` that the build would see?"""
        rel = self.relative(path)
        if rel == ".":
            return True
        return (self.root / rel).exists() and not self.matcher.ignored(rel)

    def read_text(self, path: str | os.PathLike, limit: int = 1 << 20) -> str | None:
        """The text of a context file (first ``limit`` bytes), None if absent or ignored."""
        rel = self.relative(path)
        if self.matcher.ignored(rel):
            return None
        try:
            with open(self.root / rel, "rb") as handle:
                return handle.read(limit).decode("utf-8", errors="replace")
        except OSError:
            return None

    @cached_property
    def dependency_files(self) -> tuple[DependencyFile, ...]:
        """Requirement, project and lock files in the context, in path order."""
        return tuple(d for d in map(classify_dependency_file, self.files) if d is not None)
