"""DL3052: a label the schema types `url` whose value is not a valid URL."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import RuleOptions, rule
from dockerlint.rules._common import schema_labels


@rule(id="DL3052", name="label-not-url", severity=Severity.WARNING, category="maintainability", on=("LABEL",))
def label_not_url(df: Dockerfile, options: RuleOptions) -> Iterator[Finding]:
    """A label the label schema types `url` must hold a valid URL.

    Why: tools read the label (registries link `org.opencontainers.image.source`, scanners fetch
    `documentation`); a value that is not an absolute URL is a dead link.

    Bad:
        LABEL org.opencontainers.image.source="github.com/acme/model"
    Good:
        LABEL org.opencontainers.image.source="https://github.com/acme/model"

    Options: `required-labels` (hadolint's `label-schema`): label name -> format;
    this rule checks the labels of format `url`. Without a schema it checks nothing.

    Note: as hadolint, an absolute URI with a scheme (RFC 3986); spaces and the characters
    `<`, `>`, `"`, `{`, `}`, `|`, `^` and backquote are not allowed. Values are checked after
    variable expansion; a value from an unknown variable is not judged.
    """
    for instr, pair, value in schema_labels(df, options, "url"):
        if not is_url(value):
            yield instr.finding(f"Label `{pair.key}` is not a valid URL: `{value}`", span=pair.span)


_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")


def is_url(value: str) -> bool:
    """An absolute URI: a scheme, a colon, and only characters a URI may hold."""
    return _URI.fullmatch(value) is not None
