"""SEC007: ADD of a URL without --checksum."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule


@rule(id="SEC007", name="add-url-without-checksum", severity=Severity.WARNING, category="security",
      on=("ADD",), causes=("REPRO-CONTENT",), hadolint=())
def add_url_without_checksum(df: Dockerfile) -> Iterator[Finding]:
    """Give `ADD <url>` a `--checksum=sha256:...` so the build refuses a changed download.

    Why: the server decides what the URL returns; without a checksum a
    replaced or tampered file goes into the image unnoticed, and two builds
    of the same Dockerfile differ.

    Bad:
        ADD https://example.com/model.onnx /models/
    Good:
        ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \\
            https://example.com/model.onnx /models/

    Note: http(s) sources only; a git source (`https://host/repo.git#ref`)
    is pinned by its ref instead. Needs Dockerfile syntax 1.6 or later.
    References:
    - https://docs.docker.com/reference/dockerfile/#add---checksum
    """
    for instr in df.walk():
        spec = instr.copy if instr.keyword == "ADD" else None
        if spec is None or spec.checksum is not None:
            continue
        for source in spec.sources:
            url = source.value
            if url is None or not url.startswith(("http://", "https://")):
                continue
            path = url.split("#", 1)[0].split("?", 1)[0]
            if path.endswith(".git"):
                continue
            yield instr.finding(f"`ADD {url}` has no `--checksum`: any change to the download goes unnoticed",
                                span=source.span)
