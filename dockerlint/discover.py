"""Which files to lint: explicit files as given, directories searched for Dockerfiles.

Inside a git work tree the listing comes from ``git ls-files`` (tracked plus
untracked-but-not-ignored files), so ``.gitignore`` is honoured exactly as git
reads it; elsewhere the tree is walked. Either way ``.git``, ``node_modules``
and virtual environments are skipped.

The linted tree is not trusted: its ``.git/config`` may name commands
(``core.fsmonitor``) that git would run. git is therefore run with those
settings overridden on its command line, no pager, no prompts and none of
the caller's ``GIT_*`` variables. A directory that cannot be read, or a
listing git cannot give (a corrupt index), is said, not skipped silently.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable

# Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, Containerfile, Containerfile.*
# but not BuildKit's per-Dockerfile ignore files (Dockerfile.dockerignore).
_NAME = re.compile(r"(?:Dockerfile|Containerfile)(?:\..+)?|.+\.(?:Dockerfile|dockerfile)", re.DOTALL)
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv",
                       ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages"})


class DiscoveryError(OSError):
    """A path does not exist, or a directory holds no Dockerfile (an OSError, as documented for lint_path)."""


def is_dockerfile_name(name: str) -> bool:
    return bool(_NAME.fullmatch(name)) and not name.endswith(".dockerignore")


def implied_context(dockerfile: str) -> str | None:
    """The Dockerfile's directory as its build context, unless that directory is a collection of
    Dockerfiles: no subdirectory, at least two Dockerfiles and at most one other file per ten
    (``docker/Dockerfile.cpu`` beside ``docker/Dockerfile.gpu``; a corpus with its manifest).
    Such files are built with another context, which we do not know, and the rules that read
    the context stay silent rather than call every COPY source missing."""
    directory = os.path.dirname(os.path.abspath(dockerfile))
    dockerfiles = others = 0
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    return directory
                if is_dockerfile_name(entry.name):
                    dockerfiles += 1
                else:
                    others += 1
    except OSError:
        return directory  # the context code says what it cannot read
    return None if dockerfiles >= 2 and others * 10 <= dockerfiles else directory


Warn = Callable[[str], None]


def _ignore(_message: str) -> None:
    pass


def discover(paths: list[str], warn: Warn = _ignore) -> list[str]:
    """Files to lint, in argument order, each directory's files sorted, no duplicates.

    ``warn`` receives one line per directory that could not be read or listed."""
    out: list[str] = []
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            found = _in_directory(path, warn)
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


def _in_directory(directory: str, warn: Warn) -> list[str]:
    listed = _git_listing(directory, warn)
    if listed is None:
        listed = _walk(directory, warn)
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


# Settings of the linted repository that would make `git ls-files` run a program, overridden.
SAFE_GIT_CONFIG = ("core.fsmonitor=false", "core.hooksPath=/dev/null", "core.untrackedCache=false",
                   "core.pager=cat", "core.askPass=", "credential.helper=", "protocol.allow=never",
                   "core.sshCommand=false", "diff.external=", "core.alternateRefsCommand=")


def git_command(directory: str, *args: str) -> list[str]:
    """A git command line that reads ``directory``'s repository without running anything it configures."""
    overrides = [item for setting in SAFE_GIT_CONFIG for item in ("-c", setting)]
    return ["git", "--no-optional-locks", "--no-pager", *overrides, "-C", directory, *args]


def git_environment() -> dict[str, str]:
    """The environment minus every ``GIT_*`` variable (which may point git at other repos or
    programs), no terminal prompts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", GIT_ASKPASS="")
    return env


def _git_listing(directory: str, warn: Warn) -> list[str] | None:
    """Paths relative to ``directory`` from git, or None outside a work tree (or without git)."""
    import subprocess  # only directories need git; a run on named files skips its import

    try:
        proc = subprocess.run(
            git_command(directory, "ls-files", "-z", "--cached", "--others", "--exclude-standard"),
            capture_output=True, timeout=60, env=git_environment(), stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    messages = proc.stderr.decode("utf-8", "replace").splitlines()
    if proc.returncode != 0:
        problem = next((m for m in messages if "not a git repository" not in m.lower()), None)
        if problem and not any("not a git repository" in m.lower() for m in messages):
            warn(f"{directory}: git cannot list the files ({problem.strip()}); walking the directory "
                 f"instead, so .gitignore is not applied")
        return None
    for m in messages:
        if "could not open directory" in m:
            warn(f"{directory}: {m.removeprefix('warning: ').strip()}; its files are not linted")
    return [p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def _walk(directory: str, warn: Warn) -> list[str]:
    """Dockerfile names under ``directory``, walked without recursion (a tree may be thousands deep)."""
    found: list[str] = []
    pending = [""]  # relative directory prefixes ("" or "a/b/"), depth first in sorted order
    while pending:
        prefix = pending.pop()
        root = os.path.join(directory, prefix) if prefix else directory
        try:
            with os.scandir(root) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            warn(f"{os.path.join(directory, prefix) if prefix else directory}: cannot read directory: "
                 f"{exc.strerror or exc}; its files are not linted")
            continue
        subdirs = []
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if entry.name not in SKIP_DIRS and not os.path.isfile(os.path.join(entry.path, "pyvenv.cfg")):
                    subdirs.append(prefix + entry.name + "/")
            elif is_dockerfile_name(entry.name):
                found.append(prefix + entry.name)
        pending.extend(reversed(subdirs))
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
