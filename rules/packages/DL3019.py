"""DL3019: apk's cache left in the image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import add_after, package_commands, reaches_image


@rule(id="DL3019", name="apk-no-cache", severity=Severity.INFO, category="performance", fixable=True,
      on=("RUN",), causes=("REPRO-CACHE-OTHER",), trivy=("DS025",))
def apk_no_cache(df: Dockerfile) -> Iterator[Finding]:
    """Use `apk add --no-cache`: no `--update`, no `rm -rf /var/cache/apk/*` needed.

    Why: `apk add` (after `apk update` or with `--update`) keeps the package
    index under `/var/cache/apk` in the layer: megabytes that are stale the
    next day and differ on every build.

    Bad:
        RUN apk add --update curl=8.9.1-r1
    Good:
        RUN apk add --no-cache curl=8.9.1-r1
        # or keep the cache outside the image, across builds:
        RUN --mount=type=cache,target=/var/cache/apk apk add curl=8.9.1-r1
    Fix: inserts `--no-cache` after `add`.
    Fix safety: `--no-cache` fetches a fresh index and stores nothing; what
    is installed does not change.
    References:
    - https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper#Local_Cache
    Note: a cache or tmpfs mount on `/var/cache/apk` (or the `--cache-dir`)
    counts (#1139), and so does `rm -rf /var/cache/apk/*` or `apk cache
    clean` later in the same RUN (hadolint still reports those: the cache
    is gone from the layer either way). `apk add --no-network` fetches
    nothing and is not reported. Only the image that is built is
    judged: a builder stage others only COPY from is not blamed (hadolint
    reports it). `ONBUILD RUN` always counts.
    """
    for pc in package_commands(df, ("apk",), ("install",)):
        if pc.cache is None or not pc.cache.kept or pc.args.has("no-network") or not reaches_image(pc.instr):
            continue
        yield pc.instr.finding(
            "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` "
            "(or mount a cache on /var/cache/apk)",
            span=pc.verb.span if pc.verb is not None else pc.span,
            fix=add_after(pc.verb, "--no-cache"),
        )
