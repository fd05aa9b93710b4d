"""Where CI reports put a file: relative to the repository root, whatever directory dockerlint ran in.

GitHub, GitLab, Jenkins and SonarQube resolve a report's paths against the
root of the checkout: ``NVIDIA-4/Dockerfile`` written by a run started in
``services/`` would name a file that does not exist, and ``../legacy/…``
names none. The root is the git top level above the working directory (found
by looking for ``.git``, without running git), else ``GITHUB_WORKSPACE``,
else ``CI_PROJECT_DIR``, else the working directory itself.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from dockerlint.report._common import posix_path

CI_ROOT_VARIABLES = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")
STDIN = ("", "-")


def repository_root(cwd: str, env: Mapping[str, str]) -> str:
    """The absolute directory report paths are relative to (see the module docstring)."""
    directory = os.path.abspath(cwd)
    while True:
        if os.path.exists(os.path.join(directory, ".git")):  # a directory, or a file in worktrees/submodules
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    for name in CI_ROOT_VARIABLES:
        value = env.get(name)
        if value and os.path.isabs(value):
            return os.path.normpath(value)
    return os.path.abspath(cwd)


def relative_to_root(path: str, root: str, cwd: str) -> str:
    """``path`` (as given, relative to ``cwd``) relative to ``root`` with ``/`` separators;
    absolute when it lies outside the root, so that no report ever says ``../``."""
    if path in STDIN:
        return path
    absolute = os.path.normpath(os.path.join(cwd, path))
    relative = os.path.relpath(absolute, root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return posix_path(absolute)
    return posix_path(relative)


def repo_locations(paths: Iterable[str], cwd: str, env: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """The repository root and each path as a report for CI names it."""
    root = repository_root(cwd, env)
    return root, {path: relative_to_root(path, root, cwd) for path in paths}
