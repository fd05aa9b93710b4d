"""DL3048: a LABEL key that does not follow Docker's key format."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule

_VALID = re.compile(r"[a-z](?:[a-z0-9.-]*[a-z0-9])?")
_RESERVED = ("com.docker.", "io.docker.", "org.dockerproject.")


@rule(id="DL3048", name="invalid-label-key", severity=Severity.STYLE, category="style", on=("LABEL",))
def invalid_label_key(df: Dockerfile) -> Iterator[Finding]:
    """Label keys are lower-case reverse-DNS names: `org.opencontainers.image.title`.

    Why: Docker's label guidelines reserve `com.docker.*`, `io.docker.*` and
    `org.dockerproject.*`, and tools that query labels expect lower-case
    alphanumerics separated by single `.` or `-`; `My_Label` or `app..name`
    will not be found by the name people search for.

    Bad:
        LABEL Version="1.0"
    Good:
        LABEL org.opencontainers.image.version="1.0"

    Note: as hadolint: a key starts with a lower-case letter, ends with a letter
    or digit, holds only `a-z`, `0-9`, `.` and `-`, never `..` or `--`, and is
    in no reserved namespace. A key that comes from an unknown variable is not
    judged: `LABEL invalid$character=x` has a key BuildKit expands (hadolint
    reads the `$` as a character of the key and reports it).
    """
    for instr in df.walk():
        if instr.keyword != "LABEL":
            continue
        for pair in instr.pairs or ():
            key = pair.key
            if "$" in key:
                continue  # not expanded: the value is not known
            if not _VALID.fullmatch(key) or ".." in key or "--" in key or key.startswith(_RESERVED):
                yield instr.finding(f"Invalid label key: `{key}`", span=pair.key_span)
