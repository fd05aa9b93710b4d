"""DL4000 / MaintainerDeprecated: the MAINTAINER instruction."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="DL4000", name="maintainer-deprecated", severity=Severity.WARNING, category="maintainability",
      on=("MAINTAINER",), buildkit="MaintainerDeprecated", trivy=("DS022",), checkov=("CKV_DOCKER_6",))
def maintainer_deprecated(df: Dockerfile) -> Iterator[Finding]:
    """Use `LABEL org.opencontainers.image.authors="..."` instead of MAINTAINER.

    Why: MAINTAINER is deprecated; it sets a field few tools read, while the
    OCI label is what registries, scanners and `docker inspect` show.

    Bad:
        MAINTAINER Jane Doe <jane@example.com>
    Good:
        LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"

    Note: ONBUILD MAINTAINER is reported too.
    References:
    - https://docs.docker.com/reference/build-checks/maintainer-deprecated/
    """
    for instr in df.walk():
        if instr.keyword == "MAINTAINER":
            yield instr.finding("Maintainer instruction is deprecated in favor of using label")
