"""DL3054: a label the schema types `spdx` whose value is not an SPDX license identifier."""
from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from importlib.resources import files

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import RuleOptions, rule
from dockerlint.rules._common import schema_labels


@rule(id="DL3054", name="label-not-spdx", severity=Severity.WARNING, category="maintainability", on=("LABEL",))
def label_not_spdx(df: Dockerfile, options: RuleOptions) -> Iterator[Finding]:
    """A label the label schema types `spdx` must hold an SPDX license identifier.

    Why: license scanners and SBOM tools match `org.opencontainers.image.licenses` against the SPDX
    list; `Apache 2.0` or `BSD` matches nothing and the image counts as unlicensed.

    Bad:
        LABEL org.opencontainers.image.licenses="Apache 2.0"
    Good:
        LABEL org.opencontainers.image.licenses="Apache-2.0"

    Options: `required-labels` (hadolint's `label-schema`): label name -> format;
    this rule checks the labels of format `spdx`. Without a schema it checks nothing.

    Note: one identifier of the SPDX License List (3.29, shipped; deprecated ids count, as in
    hadolint), compared exactly; `LicenseRef-…` ids (SPDX's own form for licenses outside the list)
    are accepted, which hadolint does not. Values are checked after variable expansion; a value from
    an
    unknown variable is not judged.
    """
    for instr, pair, value in schema_labels(df, options, "spdx"):
        if not is_spdx(value):
            yield instr.finding(f"Label `{pair.key}` is not a valid SPDX license identifier: `{value}`", span=pair.span)


@lru_cache(maxsize=1)
def _licenses() -> frozenset[str]:
    data = json.loads(files("dockerlint.data").joinpath("spdx-licenses.json").read_text(encoding="utf-8"))
    return frozenset(data["licenses"])


def is_spdx(value: str) -> bool:
    return value in _licenses() or (value.startswith("LicenseRef-") and len(value) > len("LicenseRef-"))
