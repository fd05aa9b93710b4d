"""DL3040: dnf's cache left in the image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import kept_cache_findings


@rule(id="DL3040", name="dnf-clean-all", severity=Severity.WARNING, category="performance",
      on=("RUN",), causes=("REPRO-CACHE-OTHER",), trivy=("DS019", "DS027"))
def dnf_clean_all(df: Dockerfile) -> Iterator[Finding]:
    """Run `dnf clean all` after dnf in the same RUN, or keep the cache in a cache mount.

    Why: dnf keeps repository metadata and downloaded packages under
    `/var/cache/dnf` (microdnf under `/var/cache/yum`): often a hundred
    megabytes in the layer, stale the next day and different on every build.

    Bad:
        RUN dnf install -y tomcat-9.0.1
    Good:
        RUN dnf install -y tomcat-9.0.1 && dnf clean all
        # or keep the cache outside the image, across builds:
        RUN --mount=type=cache,target=/var/cache/dnf dnf install -y tomcat-9.0.1
    References:
    - https://dnf.readthedocs.io/en/latest/command_ref.html#clean-command
    Note: `microdnf` is checked too (`microdnf clean all`); installs and
    upgrades (`dnf upgrade`, `microdnf update`) are, as in hadolint. The clean must
    come after the install and be `clean all` (`dnf clean packages` leaves
    the metadata; hadolint accepts any `clean`) by the same tool (`microdnf
    clean all` leaves dnf's cache); `rm -rf /var/cache/dnf` counts (for dnf,
    `/var/cache/yum` does not: hadolint accepts it, but dnf caches in
    `/var/cache/dnf`; microdnf's cache is `/var/cache/yum`), and so does a
    cache or tmpfs mount on the cache directory (#1139; hadolint reports
    those). Only the image that is built is judged.
    """
    return kept_cache_findings(df, ("dnf", "microdnf"), ("install", "upgrade", "dist-upgrade"),
                               lambda pc: f"`{pc.tool} clean all` missing after {pc.tool} command "
                               f"(or mount a cache on {pc.cache.dir if pc.cache and pc.cache.dir else 'its cache'})")
