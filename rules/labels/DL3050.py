"""DL3050: labels the strict label schema does not list."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import RuleOptions, rule


@rule(id="DL3050", name="superfluous-label", severity=Severity.INFO, category="maintainability", on=("LABEL",))
def superfluous_label(df: Dockerfile, options: RuleOptions) -> Iterator[Finding]:
    """With `strict-labels`, every label must be one the label schema lists.

    Why: a team that fixes its label schema wants one vocabulary across its
    images; `team=ml` on one image and `org.example.team=ml` on the next splits every
    query in two.

    Bad:
        LABEL maintainer="ml@example.com" team="ml"
    Good:
        LABEL maintainer="ml@example.com"

    Options: `strict-labels` (hadolint's `strictLabels`, `--strict-labels`) turns
    the rule on; `required-labels` (hadolint's `label-schema`) is the list.
    """
    if not options.strict_labels:
        return
    allowed = set(options.required_labels)
    for instr in df.walk():
        if instr.keyword != "LABEL":
            continue
        for pair in instr.pairs or ():
            if "$" not in pair.key and pair.key not in allowed:
                yield instr.finding(f"Superfluous label present: `{pair.key}` is not in the label schema",
                                    span=pair.key_span)
