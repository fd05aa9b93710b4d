"""``--statistics``: only a table of findings per rule, as ruff prints it.

One row per rule, most frequent first: the count, the rule id, ``[*]`` when
``--fix`` can repair some of its findings (``[ ]`` otherwise, shown only when
some rule is fixable), and the rule's name. ``tty`` and ``json`` render it
when ``Report.statistics`` is set (``-f json`` gives the rows as a JSON array);
the CI formats always carry every finding.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, NamedTuple, TextIO

from dockerlint.fixes import fixable

if TYPE_CHECKING:
    from dockerlint.report import Report


class Row(NamedTuple):
    findings: int
    rule: str
    name: str
    fixable: int  # findings of this rule that --fix can repair


def rows(report: Report) -> list[Row]:
    counts = Counter(f.rule_id for f in report.findings)
    repairable = Counter(f.rule_id for f in fixable(report.findings))
    names: dict[str, str] = {}
    for f in report.findings:
        rule = report.rules.get(f.rule_id)
        names.setdefault(f.rule_id, f.rule_name or (rule.name if rule else ""))
    return [Row(n, rule_id, names[rule_id], repairable[rule_id])
            for rule_id, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def render_text(report: Report, stream: TextIO) -> None:
    table = rows(report)
    if not table:
        return
    count_width = max(len(str(r.findings)) for r in table)
    rule_width = max(len(r.rule) for r in table)
    any_fixable = any(r.fixable for r in table)
    for r in table:
        marker = ("[*] " if r.fixable else "[ ] ") if any_fixable else ""
        line = f"{str(r.findings).rjust(count_width)}  {r.rule.ljust(rule_width)}  {marker}{r.name}".rstrip()
        stream.write(line.translate(_CONTROLS) + "\n")


_CONTROLS = {c: "\ufffd" for c in [*range(0x00, 0x20), *range(0x7f, 0xa0)]}


def render_json(report: Report, stream: TextIO) -> None:
    data = [{"code": r.rule, "name": r.name, "count": r.findings, "fixable": r.fixable > 0, "fixable_count": r.fixable}
            for r in rows(report)]
    stream.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
