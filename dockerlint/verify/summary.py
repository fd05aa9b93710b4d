"""The human summary under the tty findings: verdict, builder, one row per layer.

Machine formats carry the same data in ``Report.extra["verify"]``.
"""
from __future__ import annotations

from typing import TextIO

_VERDICT_COLOR = {
    "reproducible": "32",  # green
    "reproducible except metadata": "33",  # yellow
    "not reproducible": "31",  # red
}


def render_summary(info: dict, stream: TextIO, color: bool = False, quiet: bool = False,
                   list_paths: bool = False) -> None:
    """Verdict line, then (unless ``quiet``) builder, variations and the layer table;
    with ``list_paths`` every differing path with both sides (``--list``)."""
    verdict = str(info.get("verdict", ""))
    builder = info.get("builder") or {}
    lines = ["", _paint(f"verdict: {verdict}", _VERDICT_COLOR.get(verdict, "0"), color)]
    if quiet:
        stream.write("\n".join(lines + _path_lines(info, list_paths)) + "\n")
        return
    lines.append(_how(info, builder))
    if info.get("source_date_epoch") is not None:
        lines.append(f"SOURCE_DATE_EPOCH={info['source_date_epoch']}"
                     + (" with rewrite-timestamp" if builder.get("rewrite_timestamp") else ""))
    if info.get("varied"):
        lines.append("varied between the builds: " + ", ".join(info["varied"]))
    rows = info.get("layers") or []
    if rows:
        lines.append("")
        table = [("layer", "line", "instruction", "size", "entries", "wasted", "status", "differing",
                  "causes")]
        for row in rows:
            index = row["index"] if row["index"] is not None else f"B{row['index_b']}"
            by_cause = row.get("differing_by_cause") or {}
            causes = (", ".join(f"{cause} {count:,}" for cause, count in by_cause.items())
                      if by_cause else ", ".join(row["causes"]))
            table.append((
                str(index), str(row["line"] or ""), _clip(row["instruction"] or "", 48),
                human_size(row.get("size")), _count(row.get("entries")), human_size(row.get("wasted_bytes"), ""),
                row["status"], str(row["entries_differing"] or ""), causes,
            ))
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
        right = {3, 4, 5, 7}
        for n, row in enumerate(table):
            text = "  ".join(cell.rjust(width) if i in right else cell.ljust(width)
                             for i, (cell, width) in enumerate(zip(row, widths))).rstrip()
            lines.append(_paint(text, "1", color) if n == 0 else text)
    lines.extend(_totals(info.get("image") or {}))
    config = info.get("config") or {}
    if config.get("semantic"):
        lines.append("config differs: " + _clip(", ".join(config["semantic"]), 2000))
    if config.get("volatile"):
        lines.append("volatile metadata differs: " + _clip(", ".join(config["volatile"]), 2000))
    lines.extend(_dump_lines(info.get("dump")))
    stream.write("\n".join(lines + _path_lines(info, list_paths)) + "\n")


_VERDICT_COUNTED = {"error": "could not be checked"}


def render_verdicts(runs: list[dict], stream: TextIO, color: bool = False) -> None:
    """``verify DIR``: one row per Dockerfile (verdict or error, findings, exit code), then a count."""
    table = [("Dockerfile", "verdict", "findings", "exit")]
    for run in runs:
        verdict = run["verdict"] if not run["error"] else f"error: {run['error']}"
        if run["thresholds_failed"]:
            verdict += f" (thresholds: {len(run['thresholds_failed'])} failed)"
        table.append((_clip(run["path"], 200), _clip(verdict, 90),
                      "" if run["findings"] is None else f"{run['findings']:,}",
                      "" if run["exit_code"] is None else str(run["exit_code"])))
    widths = [max(len(r[i]) for r in table) for i in range(4)]
    lines = ["", f"verdicts ({len(runs)} Dockerfile{'s' if len(runs) != 1 else ''}):"]
    for n, row in enumerate(table):
        text = "  ".join(cell.rjust(width) if i >= 2 else cell.ljust(width)
                         for i, (cell, width) in enumerate(zip(row, widths))).rstrip()
        if n == 0:
            text = _paint(text, "1", color)
        elif runs[n - 1]["verdict"] in _VERDICT_COLOR and not runs[n - 1]["error"]:
            text = _paint(text, _VERDICT_COLOR[runs[n - 1]["verdict"]], color)
        lines.append(text)
    counts: dict[str, int] = {}
    for run in runs:
        counts[run["verdict"]] = counts.get(run["verdict"], 0) + 1
    lines.append(", ".join(f"{count} {_VERDICT_COUNTED.get(verdict, verdict)}" for verdict, count in counts.items()))
    stream.write("\n".join(lines) + "\n")


def _dump_lines(dump: dict | None) -> list[str]:
    """``--dump``: how many versions were written where, and why the others were not."""
    if dump is None:
        return []
    where = _clip(dump["directory"], 300).rstrip("/")
    line = (f"dump: {files_phrase(dump['written'])} ({human_size(dump['bytes'])}) in {where}/a and "
            f"{where}/b (diff -r {where}/a {where}/b)")
    if dump["skipped"]:
        line += f"; {files_phrase(dump['skipped'])} not written, listed in {_clip(dump['manifest'], 300)}"
    lines = [line]
    for reason, count in dump["skipped_because"].items():
        lines.append(f"  {count:,} {reason}")
    return lines


def image_totals(image: dict) -> list[str]:
    """One line per image: layers, size, entries, wasted bytes and efficiency (the tty and the HTML page)."""
    lines = []
    for label in ("a", "b"):
        totals = image.get(label)
        if totals:
            lines.append(f"image {label.upper()}: {totals['layers']} layers, {human_size(totals['size'])} in "
                         f"{totals['entries']:,} entries; wasted {human_size(totals['wasted_bytes'])} in "
                         f"{files_phrase(totals['wasted_files'])} (efficiency {totals['efficiency']:.1%})")
    return lines


def _totals(image: dict) -> list[str]:
    """Image totals and the biggest wasted files (what a later layer overwrote or deleted)."""
    lines = [""] if image else []
    lines += image_totals(image)
    offenders = image.get("wasted") or []
    if offenders:
        lines.append("wasted space in image A (biggest first):")
        for item in offenders[:WASTED_SHOWN]:
            added = f"line {item['added_line']}" if item["added_line"] else f"layer {item['added_layer']}"
            removed = (f"line {item['removed_line']}" if item["removed_line"]
                       else f"layer {item['removed_layer']}")
            lines.append(f"  {human_size(item['size']):>9}  {_clip(item['path'], 200)}  added by {added} "
                         f"({_clip(item['added_by'] or '?', 40)}), {item['how']} by {removed} "
                         f"({_clip(item['removed_by'] or '?', 40)})")
        if len(offenders) > WASTED_SHOWN:
            lines.append(f"  … {len(offenders) - WASTED_SHOWN} more in the json report")
    return lines


WASTED_SHOWN = 5


def human_size(value, zero: str = "0 B") -> str:
    """Decimal units, like docker and dive: 999 B, 1.2 kB, 3.4 MB, 5.6 GB."""
    if value is None:
        return ""
    if value == 0:
        return zero
    for unit, step in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if value >= step:
            return f"{value / step:.1f} {unit}"
    return f"{value} B"


def files_phrase(count: int) -> str:
    return "1 file" if count == 1 else f"{count:,} files"


def _count(value) -> str:
    return "" if value is None else f"{value:,}"


def _path_lines(info: dict, wanted: bool) -> list[str]:
    """``--list``: one line per differing path, then one per side that has it."""
    paths = info.get("paths") or []
    if not wanted or not paths:
        return []
    lines = ["", f"differing paths ({len(paths):,}):"]
    for row in paths:
        where = f"layer {row['layer']}" if row["layer"] is not None else "merged"
        if row["line"]:
            where += f", line {row['line']}"
        what = row["change"].replace("_", " ") + (f" ({', '.join(row['fields'])})"
                                                  if row["fields"] else "")
        lines.append(f"  {_clip(row['path'], 300)}  [{where}] {row['cause']}: {what}")
        for label in ("a", "b"):
            side = row[label]
            if side is not None:
                digest = f" sha256:{side['sha256'][:16]}" if side["sha256"] else ""
                link = f" -> {_clip(side['linkname'], 200)}" if side["linkname"] else ""
                lines.append(f"    {label.upper()}: {side['type']} {side['mode']} "
                             f"{side['uid']}:{side['gid']} {side['size']:,} B "
                             f"mtime {_stamp(side['mtime'])}{digest}{link}")
    return lines


def _stamp(value: float) -> str:
    import datetime as dt
    try:
        return dt.datetime.fromtimestamp(value, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return str(value)


def _how(info: dict, builder: dict) -> str:
    """What was compared: two existing images, a build and an image, or two builds."""
    if info.get("compared"):
        a, b = info["compared"]
        return (f"compared image A {_clip(a['ref'], 200)} ({a['source']}) with image B "
                f"{_clip(b['ref'], 200)} ({b['source']}), no build")
    how = "built once" if info.get("against") else "built twice"
    built = f"{how} with the {builder.get('kind', '?')} builder via {builder.get('via', '?')}"
    if builder.get("engine_version"):
        built += f", Docker Engine {builder['engine_version']} (API {builder.get('api_version', '?')})"
    if builder.get("kind") == "buildkit" and builder.get("buildkit_version"):
        built += f", BuildKit {builder['buildkit_version']}"
    if info.get("against"):
        built += (f"; compared with {_clip(info['against']['ref'], 200)} "
                  f"({info['against']['source']})")
    return built


def _clip(text: str, width: int) -> str:
    """Escaped (a Dockerfile line may hold escape sequences), then cut to ``width``."""
    from dockerlint.verify.textsafe import visible

    text = visible(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text
