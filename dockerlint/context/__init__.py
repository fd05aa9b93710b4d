"""The build context: what ``docker build`` would send, and what is in it.

Rules about cache order, ``.dockerignore`` and dependency files ask this
object, never the file system directly, so that they see exactly the files
Docker sees. Everything is computed lazily: a lint run that asks nothing
about the context costs nothing.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from dockerlint.context.ignore import DockerignoreError, IgnoreMatcher, clean_path
from dockerlint.context.manifests import Manifest, manifest_kind, parse_manifest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from dockerlint.context.copies import Sent
    from dockerlint.model.dockerfile import Dockerfile, Instr

__all__ = ["BuildContext", "DependencyFile", "DockerignoreError", "ContextError", "Manifest"]

MAX_FILES = 100_000  # stop listing past this; ``BuildContext.truncated`` says so


class ContextError(OSError):
    """The context directory cannot be used (missing, not a directory)."""


@dataclass(frozen=True, slots=True)
class DependencyFile:
    """A file that declares dependencies, by its name (``manifests.manifest_kind``).

    ``kind``: requirements, constraints, pyproject, setup.py, setup.cfg, pipfile,
    conda, npm, or the lock file's kind (uv.lock, poetry.lock, ...); ``lock``:
    True when it pins a full resolution. ``BuildContext.manifest(path)`` reads it.
    """

    path: str  # relative to the context root, slash-separated
    kind: str
    lock: bool = False


def classify_dependency_file(path: str) -> DependencyFile | None:
    """The ``DependencyFile`` for ``path`` if its name is a known one."""
    kind = manifest_kind(path)
    return DependencyFile(path, *kind) if kind is not None else None


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
        self._root = os.fspath(self.root)
        self._sizes: dict[str, int] = {}
        self._manifests: dict[str, Manifest | None] = {}
        self._sent: dict[int, Sent | None] = {}
        self._landings: dict[int, dict[str, str]] = {}
        self._installed: dict[int, tuple] = {}

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
        root = os.fspath(self.root)
        found: list[str] = []
        stack = [("", True)]  # (directory, walked because it is not ignored itself)
        while stack:
            directory, clean = stack.pop()
            try:
                entries = list(os.scandir(os.path.join(root, directory) if directory else root))
            except OSError:
                continue
            for entry in entries:
                rel = f"{directory}/{entry.name}" if directory else entry.name
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    continue
                if is_dir:
                    if not matcher.file_ignored(rel, clean):
                        stack.append((rel, clean))
                    elif matcher.must_walk(rel):
                        stack.append((rel, False))
                elif not matcher.file_ignored(rel, clean):
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

    def manifest(self, path: str | os.PathLike) -> Manifest | None:
        """The parsed manifest at ``path`` (None when absent, ignored or not a manifest)."""
        rel = self.relative(path)
        if rel not in self._manifests:
            try:
                text = self.read_text(rel, limit=8 << 20) if manifest_kind(rel) is not None else None
            except (ContextError, DockerignoreError):
                text = None
            self._manifests[rel] = parse_manifest(rel, text) if text is not None else None
        return self._manifests[rel]

    @cached_property
    def manifests(self) -> tuple[Manifest, ...]:
        """Every manifest the build can see, parsed, in path order."""
        found = (self.manifest(d.path) for d in self.dependency_files)
        return tuple(m for m in found if m is not None)

    def size(self, path: str) -> int:
        """Bytes of a context file (0 if it cannot be read); cached."""
        size = self._sizes.get(path)
        if size is None:
            try:
                size = os.lstat(os.path.join(self._root, path)).st_size
            except OSError:
                size = 0
            self._sizes[path] = size
        return size

    @cached_property
    def total_bytes(self) -> int:
        """Bytes of every file the build would send (a lower bound when ``truncated``)."""
        return sum(self.size(f) for f in self.files)

    def is_dir(self, path: str) -> bool:
        """Is ``path`` a directory the build sees (an empty one included)?"""
        rel = self.relative(path)
        return rel == "." or ((self.root / rel).is_dir() and not self.matcher.ignored(rel))

    def sent(self, instr: Instr) -> Sent | None:
        """What a COPY/ADD sends from this context (``copies.Sent``); None for --from, URLs, heredocs."""
        key = id(instr)
        if key not in self._sent:
            from dockerlint.context.copies import sent_by

            try:
                self._sent[key] = sent_by(self, instr)
            except (ContextError, DockerignoreError):  # a bad .dockerignore is not this question's answer
                self._sent[key] = None
        return self._sent[key]

    def copies(self, df: Dockerfile) -> Iterator[tuple[Instr, Sent]]:
        """Every COPY/ADD of ``df`` (ONBUILD ones too) that sends from this context, with what it sends."""
        for instr in df.walk():
            if instr.keyword in ("COPY", "ADD") and (sent := self.sent(instr)) is not None:
                yield instr, sent

    def landings(self, instr: Instr) -> dict[str, str]:
        """Image path -> context path of the files a COPY/ADD sends."""
        key = id(instr)
        if key not in self._landings:
            sent = self.sent(instr)
            self._landings[key] = sent.landings() if sent is not None else {}
        return self._landings[key]

    def origin(self, instr: Instr, path: str) -> tuple[Instr, str] | None:
        """``(instruction, context path)`` of the context file at ``path`` when ``instr`` runs."""
        from dockerlint.context.copies import origin

        return origin(self, instr, path)

    def shown_path(self, rel: str, dockerfile: str | None) -> str:
        """How a report names the context file ``rel``: relative to the current directory when the
        Dockerfile's path is relative (and the file is below it), else absolute."""
        full = os.path.join(self.root, rel)
        if dockerfile and not os.path.isabs(dockerfile):
            shown = os.path.relpath(full)
            if not shown.startswith(".."):
                return shown
        return full

    def installed(self, cmd) -> tuple:
        """The manifests an install command (``PackageCommand``) reads: ``installs.Installed`` records."""
        from dockerlint.context.installs import installed_manifests

        key = id(cmd)
        if key not in self._installed:
            self._installed[key] = (cmd, installed_manifests(self, cmd))  # cmd kept: its id stays unique
        return self._installed[key][1]
