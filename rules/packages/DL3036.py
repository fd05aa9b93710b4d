"""DL3036: zypper's cache left in the image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import kept_cache_findings


@rule(id="DL3036", name="zypper-clean", severity=Severity.WARNING, category="performance",
      on=("RUN",), causes=("REPRO-CACHE-OTHER",), trivy=("DS020",))
def zypper_clean(df: Dockerfile) -> Iterator[Finding]:
    """Run `zypper clean` after zypper in the same RUN, or keep the cache in a cache mount.

    Why: zypper keeps repository metadata and packages under
    `/var/cache/zypp`: megabytes in the layer, stale the next day and
    different on every build.

    Bad:
        RUN zypper install -y curl=8.6.0
    Good:
        RUN zypper install -y curl=8.6.0 && zypper clean --all
        # or keep the cache outside the image, across builds:
        RUN --mount=type=cache,target=/var/cache/zypp zypper install -y curl=8.6.0
    References:
    - https://doc.opensuse.org/documentation/leap/reference/html/book-reference/cha-sw-cl.html
    Note: installs and updates (`zypper update`, `patch`, `dup`) are
    checked. `zypper clean` or `zypper cc` must come after the install (as
    hadolint); `rm -rf /var/cache/zypp` counts, and so does a cache or tmpfs
    mount on it (hadolint reports those). Only the image that is built is
    judged: a builder stage others only COPY from is not blamed.
    """
    return kept_cache_findings(df, ("zypper",), ("install", "upgrade", "dist-upgrade"),
                               lambda pc: "`zypper clean` missing after zypper use "
                               "(or mount a cache on /var/cache/zypp)")
