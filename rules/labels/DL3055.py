"""DL3055: a label the schema types `hash` whose value is not a git commit hash."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import RuleOptions, rule
from dockerlint.rules._common import schema_labels


@rule(id="DL3055", name="label-not-git-hash", severity=Severity.WARNING, category="maintainability", on=("LABEL",))
def label_not_git_hash(df: Dockerfile, options: RuleOptions) -> Iterator[Finding]:
    """A label the label schema types `hash` must hold a git commit hash.

    Why: `org.opencontainers.image.revision` ties the image to the commit it was built from; a
    branch name or a truncated hash of another length points nowhere.

    Bad:
        LABEL org.opencontainers.image.revision="main"
    Good:
        LABEL org.opencontainers.image.revision="3f786850e387550fdab836ed7e6dc881de23001b"

    Options: `required-labels` (hadolint's `label-schema`): label name -> format;
    this rule checks the labels of format `hash`. Without a schema it checks nothing.

    Note: as hadolint: 40 or 7 lower-case hexadecimal digits. Values are checked after variable
    expansion; a value from an
    unknown variable is not judged.
    """
    for instr, pair, value in schema_labels(df, options, "hash"):
        if not is_git_hash(value):
            yield instr.finding(f"Label `{pair.key}` is not a valid git hash: `{value}`", span=pair.span)


_HEX = frozenset("0123456789abcdef")


def is_git_hash(value: str) -> bool:
    return len(value) in (7, 40) and set(value) <= _HEX
