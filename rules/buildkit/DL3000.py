"""DL3000 / WorkdirRelativePath: the first WORKDIR of a build is relative."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

_WINDOWS_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:)?[\\/]")


@rule(id="DL3000", name="workdir-relative-path", severity=Severity.ERROR, category="correctness",
      on=("WORKDIR",), buildkit="WorkdirRelativePath", trivy=("DS009",), checkov=("CKV_DOCKER_10",))
def workdir_relative_path(df: Dockerfile) -> Iterator[Finding]:
    """Start with an absolute WORKDIR: `WORKDIR /app`, not `WORKDIR app`.

    Why: a relative WORKDIR is relative to the base image's working
    directory, which the base image may change in any release: the files
    then land somewhere else and CMD no longer finds them.

    Bad:
        WORKDIR app
    Good:
        WORKDIR /app

    Note: BuildKit's semantics, deliberately: only the first WORKDIR of a
    build is checked, counting the stages a stage is built FROM. Once an
    absolute WORKDIR is set (here or in the parent stage), a relative one is
    well defined and not reported; hadolint, Trivy DS009 and Checkov
    CKV_DOCKER_10 report every relative WORKDIR. A path from an unknown
    variable is not judged.
    References:
    - https://docs.docker.com/reference/build-checks/workdir-relative-path/
    - https://github.com/hadolint/hadolint/wiki/DL3000
    """
    preamble = next((i for i in df.instructions if i.stage is None and i.keyword == "WORKDIR"), None)
    if preamble is not None and preamble.workdir is not None and preamble.workdir.value \
            and not preamble.workdir.value.startswith("/") and not _WINDOWS_ABSOLUTE.match(preamble.workdir.value):
        yield preamble.finding(f'Relative workdir "{preamble.workdir.value}" can have unexpected results '
                               "if the base image changes")  # before any FROM: a build error, judged as hadolint
    for stage in df.stages:
        chain = stage.chain[1:]
        if any(i.keyword == "WORKDIR" for parent in chain for i in parent.instructions):
            continue
        first = next((i for i in stage.instructions if i.keyword == "WORKDIR"), None)
        if first is None or first.workdir is None or first.workdir.value is None:
            continue
        path = first.workdir.value
        windows = _is_windows(stage)
        absolute = path.startswith("/") or (windows and bool(_WINDOWS_ABSOLUTE.match(path)))
        if not absolute:
            yield first.finding(f'Relative workdir "{path}" can have unexpected results if the base image changes')


def _is_windows(stage) -> bool:
    platform = stage.root.platform
    if platform is not None and platform.value and platform.value.lower().startswith("windows"):
        return True
    ref = stage.root_image
    return ref is not None and ref.repository is not None and "windows" in ref.repository.split("/")
