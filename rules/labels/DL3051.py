"""DL3051: a label of the schema set to an empty value."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import RuleOptions, rule


@rule(id="DL3051", name="empty-label", severity=Severity.WARNING, category="maintainability", on=("LABEL",))
def empty_label(df: Dockerfile, options: RuleOptions) -> Iterator[Finding]:
    """A label the label schema requires must not be empty.

    Why: an empty required label passes a "label present" check and still
    tells nobody who maintains the image or where its source is.

    Bad:
        LABEL maintainer=""
    Good:
        LABEL maintainer="ml-platform@example.com"

    Options: `required-labels` (hadolint's `label-schema`): the labels checked.

    Note: a value that comes from an unknown variable is not judged; one from a
    variable that expands to nothing is empty, as at build time.
    """
    required = set(options.required_labels)
    if not required:
        return
    for instr in df.walk():
        if instr.keyword != "LABEL":
            continue
        for pair in instr.pairs or ():
            if pair.key in required and pair.value.value is not None and not pair.value.value.strip():
                yield instr.finding(f"Label `{pair.key}` is empty", span=pair.span)
