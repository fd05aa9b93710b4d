"""Identities of findings that CI systems keep across commits and working directories.

Two kinds: our own (GitLab's ``fingerprint``, SARIF's ``dockerlint/v2``), and
the ``primaryLocationLineHash`` GitHub code scanning computes in its upload
action; writing the latter ourselves lets a SARIF file sent straight to the
REST API deduplicate alerts exactly as an upload through the action does.
"""
from __future__ import annotations

import hashlib
import re
import sys
from array import array
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockerlint.report import Report
    from dockerlint.report._common import Sources


def fingerprints(report: Report, sources: Sources) -> list[str]:
    """One id per finding: the rule, the repository-relative path and the offending text.

    Not the line number, and not the directory dockerlint ran in, so moving code
    down or running from another directory keeps every id. Indentation and
    wrapping do not count. The same rule flagging the same text twice in one file
    must still give two ids (GitLab merges equal ones): the first keeps the plain
    id and each further one adds its rank among those identical findings, so
    only inserting another identical finding above renumbers them.
    """
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for f in report.findings:
        text = " ".join((sources.snippet(f) or f.message).split())  # without the source, the message
        key = (f.rule_id, report.ci_path(f.path), text)
        seen[key] += 1
        parts = [*key] if seen[key] == 1 else [*key, str(seen[key])]
        result.append(hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest())
    return result


# GitHub's line hash (github/codeql-action src/fingerprints.ts): a rolling hash,
# base 37 modulo 2**64, over the first 100 characters from the start of each line
# that are not spaces or tabs; CR and CRLF count as LF; characters are UTF-16
# code units as JavaScript reads them; the end of the file adds the unit 65535
# and then zeros. Equal hashes in one file are numbered ``hash:1``, ``hash:2``….
_BLOCK = 100
_MOD = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_MOD, _BLOCK, 1 << 64)
_EOF = 0xFFFF


def _utf16_units(text: str) -> array[int]:
    # Bytes that were not UTF-8 (lone surrogates here) are U+FFFD to Node's UTF-8 decoder.
    clean = _LONE_SURROGATE.sub("\ufffd", text)
    units = array("H")
    units.frombytes(clean.encode("utf-16-le" if sys.byteorder == "little" else "utf-16-be"))
    return units


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def line_hashes(text: str) -> dict[int, str]:
    """GitHub's ``primaryLocationLineHash`` of every line of ``text`` (1-based line -> value)."""
    window = [0] * _BLOCK
    line_numbers = [-1] * _BLOCK
    value = 0
    index = 0
    line = 0
    line_start = True
    prev_cr = False
    counts: Counter[str] = Counter()
    out: dict[int, str] = {}

    def emit() -> None:
        digest = format(value, "x")
        counts[digest] += 1
        out[line_numbers[index]] = f"{digest}:{counts[digest]}"
        line_numbers[index] = -1

    def update(unit: int) -> None:
        nonlocal value, index
        begin = window[index]
        window[index] = unit
        value = (_MOD * value + unit - _FIRST_MOD * begin) & _MASK
        index = (index + 1) % _BLOCK

    units = _utf16_units(text)
    units.append(_EOF)
    for unit in units:
        if unit in (0x20, 0x09) or (prev_cr and unit == 0x0A):
            prev_cr = False
            continue
        if unit == 0x0D:
            unit, prev_cr = 0x0A, True
        else:
            prev_cr = False
        if line_numbers[index] != -1:
            emit()
        if line_start:
            line_start = False
            line += 1
            line_numbers[index] = line
        if unit == 0x0A:
            line_start = True
        update(unit)
    for _ in range(_BLOCK):
        if line_numbers[index] != -1:
            emit()
        update(0)
    return out
