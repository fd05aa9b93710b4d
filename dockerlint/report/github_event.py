"""Which files the pull request (or push) being checked changed, from GitHub's event payload.

The annotations GitHub shows are few (10 per kind per step), so findings on
changed files go first. A ``push`` payload lists each commit's added and
modified files; a ``pull_request`` payload names only the base and head
commits, so the files come from ``git diff`` between them, when the checkout
has both (a shallow clone may not: then nothing is known and nothing is
preferred). git runs with nothing in the linted tree able to execute a
command (no fsmonitor, hooks, external diff or text conversion).
"""
from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment")
GIT_TIMEOUT = 20  # seconds; a diff of two commits in a checkout is far quicker
_SAFE_GIT = ("git", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "--no-optional-locks")


def changed_files(env: Mapping[str, str], root: str | None) -> frozenset[str] | None:
    """Repository-relative paths the event changed, or None when the event says nothing about files."""
    path = env.get("GITHUB_EVENT_PATH")
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as fh:
            payload = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    if env.get("GITHUB_EVENT_NAME") in PULL_REQUEST_EVENTS or "pull_request" in payload:
        pull = payload.get("pull_request")
        if not isinstance(pull, dict):
            return None
        base, head = _sha(pull.get("base")), _sha(pull.get("head"))
        return _git_diff(base, head, root) if base and head else None
    commits = payload.get("commits")
    if isinstance(commits, list):
        files: set[str] = set()
        for commit in commits:
            if isinstance(commit, dict):
                for key in ("added", "modified"):
                    names = commit.get(key)
                    if isinstance(names, list):
                        files.update(name for name in names if isinstance(name, str))
        return frozenset(files)
    return None


def _sha(ref: object) -> str | None:
    sha = ref.get("sha") if isinstance(ref, dict) else None
    if isinstance(sha, str) and len(sha) in (40, 64) and all(c in "0123456789abcdef" for c in sha):
        return sha
    return None


def _git_diff(base: str, head: str, root: str | None) -> frozenset[str] | None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            [*_SAFE_GIT, "diff", "--no-ext-diff", "--no-textconv", "--name-only", "-z", f"{base}...{head}"],
            cwd=root, env=env, capture_output=True, timeout=GIT_TIMEOUT, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return frozenset(name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name)
