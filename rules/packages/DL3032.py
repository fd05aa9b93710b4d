"""DL3032: yum's cache left in the image."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.packages._view import kept_cache_findings


@rule(id="DL3032", name="yum-clean-all", severity=Severity.WARNING, category="performance",
      on=("RUN",), causes=("REPRO-CACHE-OTHER",), trivy=("DS015",))
def yum_clean_all(df: Dockerfile) -> Iterator[Finding]:
    """Run `yum clean all` after yum in the same RUN, or keep the cache in a cache mount.

    Why: yum keeps repository metadata and downloaded packages under
    `/var/cache/yum`: often a hundred megabytes in the layer, stale the next
    day and different on every build.

    Bad:
        RUN yum install -y httpd-2.4.6-99.el7
    Good:
        RUN yum install -y httpd-2.4.6-99.el7 && yum clean all
        # or keep the cache outside the image, across builds:
        RUN --mount=type=cache,target=/var/cache/yum yum install -y httpd-2.4.6-99.el7
    References:
    - https://man7.org/linux/man-pages/man8/yum.8.html
    Note: installs and upgrades (`yum update`) are checked, as hadolint
    does for dnf. `yum clean all` must come after the install (as the layer sees
    it); `rm -rf /var/cache/yum` counts too, and so does a cache or tmpfs
    mount on `/var/cache/yum` (#1139; hadolint reports those). Only the
    image that is built is judged: a builder stage others only COPY from is
    not blamed (hadolint reports it).
    """
    return kept_cache_findings(df, ("yum",), ("install", "upgrade", "dist-upgrade"),
                               lambda pc: "`yum clean all` missing after yum command "
                               "(or mount a cache on /var/cache/yum)")
