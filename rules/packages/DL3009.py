"""DL3009: apt's package lists left in the image."""
from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.model.packages import CACHE_MOUNT, CACHE_TMPFS
from dockerlint.rule import rule
from dockerlint.rules.packages._view import package_commands, reaches_image

_LISTS = "/var/lib/apt/lists"
_ARCHIVES = "/var/cache/apt"


@rule(id="DL3009", name="apt-lists-not-removed", severity=Severity.INFO, category="performance",
      on=("RUN",), causes=("REPRO-APT-CACHE",))
def apt_lists_not_removed(df: Dockerfile) -> Iterator[Finding]:
    """Delete apt's package lists in the RUN that downloads them, or keep them in a cache mount.

    Why: `apt-get update` writes tens of megabytes of package indexes under
    `/var/lib/apt/lists`. Left there, they ship in the image, are stale the
    day after, and change on every build (a layer that never reproduces).

    Bad:
        RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    Good:
        RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \\
         && rm -rf /var/lib/apt/lists/*
        # or keep the lists outside the image, across builds:
        RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\
            apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    References:
    - https://docs.docker.com/build/building/best-practices/#apt-get
    - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
    Note: only the image that is built is judged: the target stage (else the
    last one) and the stages it is built FROM; a builder stage that others
    only COPY from is not blamed (as hadolint). `ONBUILD RUN` always counts.
    The lists count as removed by `rm -rf /var/lib/apt/lists` (with or
    without `/*`, `lists*`, or a parent), `find /var/lib/apt/lists ... -delete`
    or `apt-get dist-clean` later in the same RUN, after the last update;
    hadolint accepts any `rm -rf` at all (`rm -rf /tmp/x` silences it, and
    so does a removal before a second `apt-get update`), dockerlint does not. A
    cache or tmpfs mount on `/var/lib/apt/lists` keeps them out of the layer;
    one on `/var/lib/apt` counts together with one on `/var/cache/apt` (the
    BuildKit docs' recipe), as in hadolint. `apt update` and `aptitude
    update` are checked too, in exec form and heredocs as well.
    """
    reported: set[int] = set()  # one finding per RUN: its first update whose lists stay
    for pc in package_commands(df, ("apt",), ("update",)):
        instr = pc.instr
        if id(instr) in reported or not reaches_image(instr) or not _lists_kept(pc):
            continue
        reported.add(id(instr))
        yield instr.finding(
            f"Delete the apt lists after `{pc.tool} update`: add `&& rm -rf /var/lib/apt/lists/*` to this RUN, "
            "or mount a cache on them (`--mount=type=cache,target=/var/lib/apt/lists`)",
            span=pc.span,
        )


def _lists_kept(pc) -> bool:
    cache = pc.cache
    if cache is None or cache.kept:
        return True
    if cache.disabled_by not in (CACHE_MOUNT, CACHE_TMPFS):
        return False
    # a mount on /var/lib/apt (a parent of the lists) counts with /var/cache/apt mounted too
    targets = [posixpath.normpath(m.target) for m in pc.instr.run.mounts
               if m.type in ("cache", "tmpfs") and m.target and m.target.startswith("/")]
    if any(t == _LISTS or t.startswith(_LISTS + "/") for t in targets):
        return False
    return not any(t == _ARCHIVES or (_ARCHIVES + "/").startswith(t.rstrip("/") + "/") for t in targets)
