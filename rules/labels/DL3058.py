"""DL3058: a label the schema types `email` whose value is not an email address."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import RuleOptions, rule
from dockerlint.rules._common import schema_labels


@rule(id="DL3058", name="label-not-email", severity=Severity.WARNING, category="maintainability", on=("LABEL",))
def label_not_email(df: Dockerfile, options: RuleOptions) -> Iterator[Finding]:
    """A label the label schema types `email` must hold an email address.

    Why: people and tools write to the maintainer label's address; `Jane Doe` or `jane at
    example.com` reaches no one.

    Bad:
        LABEL maintainer="Jane Doe"
    Good:
        LABEL maintainer="jane@example.com"

    Options: `required-labels` (hadolint's `label-schema`): label name -> format;
    this rule checks the labels of format `email`. Without a schema it checks nothing.

    Note: an RFC 5322 addr-spec: a dot-atom or quoted local part, `@`, a dot-atom domain or a
    `[literal]`; display names (`Jane <jane@x>`) are not an address, as in hadolint. Values are
    checked after variable expansion; a value from an
    unknown variable is not judged.
    """
    for instr, pair, value in schema_labels(df, options, "email"):
        if not is_email(value):
            yield instr.finding(f"Label `{pair.key}` is not a valid email address (RFC 5322): `{value}`",
                                span=pair.span)


_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = rf"{_ATOM}(?:\.{_ATOM})*"
_QUOTED = r'"(?:[^"\\\r\n]|\\.)*"'
_EMAIL = re.compile(rf"(?:{_DOT_ATOM}|{_QUOTED})@(?:{_DOT_ATOM}|\[[^\[\]\\\s]*\])")


def is_email(value: str) -> bool:
    return len(value) <= 254 and _EMAIL.fullmatch(value) is not None
