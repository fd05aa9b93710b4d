"""CI thresholds on the picture of image A: ``--max-wasted-bytes`` and ``--min-efficiency``.

Parsed here (so the CLI reports a bad value as one line) and checked after the
diff; a threshold that is exceeded makes the run exit 1, whatever the verdict.
"""
from __future__ import annotations

import math
import re

_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
          "t": 10**12, "tb": 10**12, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*")


def parse_size(text: str) -> int:
    """``1048576``, ``500kB``, ``10MB``, ``1.5GiB`` (decimal units as docker prints them, binary
    with ``i``) -> bytes. Raises ValueError with the reason."""
    match = _SIZE.fullmatch(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ValueError(f"{text!r} is not a size (a number of bytes, or with a unit: 500kB, 10MB, 1.5GiB)")
    return int(float(match.group(1)) * _UNITS[unit])


def parse_ratio(text: str) -> float:
    """``0.9`` or ``90%`` -> 0.9, between 0 and 1. Raises ValueError with the reason."""
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = float(raw[:-1] if percent else raw)
    except ValueError:
        value = math.nan
    if percent:
        value /= 100
    if not 0.0 <= value <= 1.0:          # also rejects nan
        raise ValueError(f"{text!r} is not an efficiency between 0 and 1 (or 0% and 100%)")
    return value


def check(totals: dict, max_wasted_bytes: int | None, min_efficiency: float | None) -> list[str]:
    """One sentence per threshold that image A's totals exceed ([] when all pass)."""
    from dockerlint.verify.summary import human_size

    failed = []
    wasted, efficiency = totals.get("wasted_bytes", 0), totals.get("efficiency", 1.0)
    if max_wasted_bytes is not None and wasted > max_wasted_bytes:
        failed.append(f"wasted space {human_size(wasted)} ({wasted:,} bytes) exceeds --max-wasted-bytes "
                      f"{human_size(max_wasted_bytes)} ({max_wasted_bytes:,} bytes)")
    if min_efficiency is not None and efficiency < min_efficiency:
        failed.append(f"efficiency {efficiency:.2%} is below --min-efficiency {min_efficiency:.2%}")
    return failed
