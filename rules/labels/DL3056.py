"""DL3056: a label the schema types `semver` whose value is not a semantic version."""
from __future__ import annotations

import re
from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import RuleOptions, rule
from dockerlint.rules._common import schema_labels


@rule(id="DL3056", name="label-not-semver", severity=Severity.WARNING, category="maintainability", on=("LABEL",))
def label_not_semver(df: Dockerfile, options: RuleOptions) -> Iterator[Finding]:
    """A label the label schema types `semver` must hold a semantic version.

    Why: release tooling sorts and compares `org.opencontainers.image.version`; `v1.2` or `latest`
    breaks the ordering.

    Bad:
        LABEL org.opencontainers.image.version="v1.2"
    Good:
        LABEL org.opencontainers.image.version="1.2.0"

    Options: `required-labels` (hadolint's `label-schema`): label name -> format;
    this rule checks the labels of format `semver`. Without a schema it checks nothing.

    Note: SemVer 2.0.0 exactly (`MAJOR.MINOR.PATCH`, optional `-pre.release` and `+build`, no
    leading zeros, no `v`). Values are checked after variable expansion; a value from an
    unknown variable is not judged.
    """
    for instr, pair, value in schema_labels(df, options, "semver"):
        if not is_semver(value):
            yield instr.finding(f"Label `{pair.key}` is not a semantic version (it must conform to SemVer 2.0.0): "
                                f"`{value}`", span=pair.span)


_NUMBER = r"(?:0|[1-9]\d*)"
_PRE = r"(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
_BUILD = r"[0-9A-Za-z-]+"
_SEMVER = re.compile(rf"{_NUMBER}\.{_NUMBER}\.{_NUMBER}(?:-{_PRE}(?:\.{_PRE})*)?(?:\+{_BUILD}(?:\.{_BUILD})*)?")


def is_semver(value: str) -> bool:
    return _SEMVER.fullmatch(value) is not None
