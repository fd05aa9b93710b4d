"""DL3053: a label the schema types `rfc3339` whose value is not an RFC 3339 time."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import RuleOptions, rule
from dockerlint.rules._common import schema_labels


@rule(id="DL3053", name="label-not-rfc3339", severity=Severity.WARNING, category="maintainability", on=("LABEL",))
def label_not_rfc3339(df: Dockerfile, options: RuleOptions) -> Iterator[Finding]:
    """A label the label schema types `rfc3339` must hold an RFC 3339 time.

    Why: `org.opencontainers.image.created` and the like are parsed by registries and audit tools;
    `2024/05/01` or a bare date is not a timestamp they can read.

    Bad:
        LABEL org.opencontainers.image.created="2024-05-01"
    Good:
        LABEL org.opencontainers.image.created="2024-05-01T12:00:00Z"

    Options: `required-labels` (hadolint's `label-schema`): label name -> format;
    this rule checks the labels of format `rfc3339`. Without a schema it checks nothing.

    Note: `YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z` or `+HH:MM`/`-HH:MM` (`t`/`z` and a
    space for `T` accepted, as RFC 3339 allows); the date must exist. Values are checked after
    variable expansion; a value from an
    unknown variable is not judged.
    """
    for instr, pair, value in schema_labels(df, options, "rfc3339"):
        if not is_rfc3339(value):
            yield instr.finding(f"Label `{pair.key}` is not a valid time format (RFC 3339): `{value}`", span=pair.span)


_RFC3339 = re.compile(r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def is_rfc3339(value: str) -> bool:
    match = _RFC3339.fullmatch(value)
    if match is None:
        return False
    zone = match.group(4)
    if zone not in ("Z", "z") and (int(zone[1:3]) > 23 or int(zone[4:6]) > 59):
        return False
    try:
        datetime.strptime(f"{match.group(1)} {match.group(2).replace(':60', ':59')}", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return False
    return True
