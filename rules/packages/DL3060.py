"""DL3060: yarn's cache left in the image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import kept_cache_findings


@rule(id="DL3060", name="yarn-cache-clean", severity=Severity.INFO, category="performance",
      on=("RUN",), causes=("REPRO-CACHE-NPM",))
def yarn_cache_clean(df: Dockerfile) -> Iterator[Finding]:
    """Run `yarn cache clean` after `yarn install` in the same RUN, or use a cache mount.

    Why: yarn keeps a copy of every package it downloaded in its cache
    (`/usr/local/share/.cache/yarn` for root): often as large as
    node_modules itself, shipped in the image for nothing.

    Bad:
        RUN yarn install --frozen-lockfile
    Good:
        RUN yarn install --frozen-lockfile && yarn cache clean
        # or keep the cache outside the image, across builds:
        RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile
    References:
    - https://classic.yarnpkg.com/en/docs/cli/cache
    - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
    Note: the clean must come after the install; a cache or tmpfs mount on
    the cache (`/usr/local/share/.cache/yarn`, `~/.cache/yarn`,
    `$YARN_CACHE_FOLDER`, `--cache-folder`) counts, as does removing it.
    Only the image that is built is judged: a builder stage others only
    COPY from is not blamed (#619, as hadolint). `yarn add` is not judged
    (as hadolint).
    """
    return kept_cache_findings(df, ("yarn",), ("install",),
                               lambda pc: "`yarn cache clean` missing after `yarn install` was run "
                               "(or mount a cache on the yarn cache)")
