"""``-f html``: one self-contained page for an audit of the images.

No network and no external assets: styles, the chart (inline SVG) and the
path filter (a few lines of script) are in the page. Every text that comes
from a Dockerfile, an image or a build goes through :func:`html.escape`, so
a hostile path or instruction is shown, never interpreted.
"""
from __future__ import annotations

import hashlib
from html import escape
from typing import TextIO

PATHS_SHOWN = 20_000        # differing paths listed in the page (all are in the json report)
BAR_WIDTH = 360

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d1d1f;background:#fff}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:28px 0 8px}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;font-weight:600;color:#fff}
.v-reproducible{background:#2e7d32}.v-reproducible-except-metadata{background:#b26a00}
.v-not-reproducible{background:#c62828}
table{border-collapse:collapse} td,th{padding:3px 8px;border-bottom:1px solid #e3e3e3;text-align:left;
vertical-align:top} td.n{text-align:right;font-variant-numeric:tabular-nums}
code,pre{font:12px/1.4 ui-monospace,monospace} pre{background:#f6f8fa;padding:8px;margin:4px 0 12px;
overflow-x:auto} .sev-error{color:#c62828}.sev-warning{color:#b26a00}.sev-info{color:#1565c0}
.finding{margin:10px 0} .legend span{display:inline-block;margin-right:12px}
.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
details{margin:4px 0} summary{cursor:pointer} ul.paths{margin:4px 0 4px 18px;padding:0}
ul.paths li{font:12px/1.5 ui-monospace,monospace}
"""
_SCRIPT = """
document.getElementById('filter').addEventListener('input', function (e) {
  var q = e.target.value.toLowerCase(), shown = 0;
  document.querySelectorAll('ul.paths li').forEach(function (li) {
    var hit = li.getAttribute('data-path').toLowerCase().indexOf(q) >= 0;
    li.hidden = !hit; if (hit) shown++;
  });
  document.getElementById('shown').textContent = shown;
});
"""


def color(cause: str) -> str:
    """A stable colour per cause id, the same in the chart, its legend and the path list."""
    hue = int(hashlib.sha256(cause.encode()).hexdigest()[:4], 16) % 360
    return f"hsl({hue},60%,48%)"


def render_html(info: dict, findings, source_text: str, path: str, stream: TextIO) -> None:
    """Write the page for one verify run (``info``: ``extra["verify"]``)."""
    from dockerlint.verify.summary import image_totals

    verdict = str(info.get("verdict", ""))
    parts = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
             "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
             f"<title>dockerlint verify: {escape(path)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>dockerlint verify: <code>{escape(path)}</code></h1>",
             f"<p><span id=\"verdict\" class=\"verdict v-{escape(verdict.replace(' ', '-'))}\">"
             f"{escape(verdict)}</span></p>"]
    image = info.get("image") or {}
    totals = [f"<li>{escape(line)}</li>" for line in image_totals(image)]
    if totals:
        parts.append("<ul id=\"totals\">" + "".join(totals) + "</ul>")
    parts.append(_chart(info.get("layers") or []))
    parts.append(_layer_table(info.get("layers") or []))
    parts.append(_findings(findings, source_text))
    parts.append(_wasted(image.get("wasted") or []))
    parts.append(_paths(info.get("paths") or []))
    parts.append(f"<script>{_SCRIPT}</script></body></html>\n")
    stream.write("".join(parts))


def _chart(rows: list[dict]) -> str:
    """Per layer: a bar of its size (linear, to the largest layer) and one of its differing entries,
    stacked by cause."""
    from dockerlint.verify.summary import human_size

    if not rows:
        return ""
    biggest = max((r.get("size") or 0) for r in rows) or 1
    most = max(sum((r.get("differing_by_cause") or {}).values()) or (r.get("entries_differing") or 0)
               for r in rows) or 1
    height, label_width = 22, 200
    total_width = label_width + 2 * BAR_WIDTH + 60
    svg = [f"<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{total_width}\" "
           f"height=\"{height * (len(rows) + 1)}\" role=\"img\" aria-label=\"layer sizes and differences\">",
           f"<text x=\"{label_width}\" y=\"14\" font-size=\"12\">size</text>",
           f"<text x=\"{label_width + BAR_WIDTH + 30}\" y=\"14\" font-size=\"12\">differing entries by cause</text>"]
    causes_seen: dict[str, None] = {}
    for n, row in enumerate(rows, start=1):
        y = n * height
        index = row["index"] if row["index"] is not None else f"B{row['index_b']}"
        name = f"{index}: {row.get('instruction') or ''}"
        name = name if len(name) <= 30 else name[:29] + "…"
        size = row.get("size") or 0
        svg.append(f"<text x=\"0\" y=\"{y + 14}\" font-size=\"12\">{escape(name)}</text>")
        width = max(1, round(BAR_WIDTH * size / biggest)) if size else 0
        svg.append(f"<rect class=\"size-bar\" x=\"{label_width}\" y=\"{y + 3}\" width=\"{width}\" "
                   f"height=\"{height - 8}\" fill=\"#90a4ae\"><title>{escape(human_size(size))}</title></rect>")
        x = label_width + BAR_WIDTH + 30
        for cause, count in (row.get("differing_by_cause") or {}).items():
            causes_seen[cause] = None
            w = max(1, round(BAR_WIDTH * count / most))
            svg.append(f"<rect class=\"cause-bar\" data-cause=\"{escape(cause)}\" x=\"{x}\" y=\"{y + 3}\" "
                       f"width=\"{w}\" height=\"{height - 8}\" fill=\"{color(cause)}\">"
                       f"<title>{escape(cause)}: {count:,}</title></rect>")
            x += w
    svg.append("</svg>")
    legend = "".join(f"<span><i class=\"swatch\" style=\"background:{color(c)}\"></i>{escape(c)}</span>"
                     for c in causes_seen)
    return "<h2>Layers</h2>" + "".join(svg) + (f"<p class=\"legend\">{legend}</p>" if legend else "")


def _layer_table(rows: list[dict]) -> str:
    from dockerlint.verify.summary import human_size

    out = ["<table id=\"layers\"><tr><th>layer</th><th>line</th><th>instruction</th><th>size</th>"
           "<th>entries</th><th>wasted</th><th>status</th><th>differing by cause</th></tr>"]
    for row in rows:
        index = row["index"] if row["index"] is not None else f"B{row['index_b']}"
        by_cause = ", ".join(f"{c} {n:,}" for c, n in (row.get("differing_by_cause") or {}).items())
        out.append(f"<tr><td>{escape(str(index))}</td><td>{row['line'] or ''}</td>"
                   f"<td><code>{escape(row.get('instruction') or '')}</code></td>"
                   f"<td class=\"n\">{escape(human_size(row.get('size')))}</td>"
                   f"<td class=\"n\">{'' if row.get('entries') is None else format(row['entries'], ',')}</td>"
                   f"<td class=\"n\">{escape(human_size(row.get('wasted_bytes'), ''))}</td>"
                   f"<td>{escape(row['status'])}</td><td>{escape(by_cause or ', '.join(row['causes']))}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _findings(findings, source_text: str) -> str:
    lines = source_text.splitlines()
    out = [f"<h2>Findings ({len(findings)})</h2><div id=\"findings\">"]
    for f in findings:
        first, last = f.span.line, min(f.span.end_line, f.span.line + 5)
        frame = "\n".join(f"{n:>4} | {lines[n - 1]}" for n in range(first, last + 1) if 0 < n <= len(lines))
        severity = str(f.severity)
        out.append(f"<div class=\"finding\" data-rule=\"{escape(f.rule_id)}\"><b class=\"sev-{escape(severity)}\">"
                   f"{escape(severity)}</b> <code>{escape(f.rule_id)}</code> line {f.span.line}: "
                   f"{escape(f.message)}<pre>{escape(frame)}</pre></div>")
    out.append("</div>")
    return "".join(out)


def _wasted(offenders: list[dict]) -> str:
    from dockerlint.verify.summary import human_size

    if not offenders:
        return ""
    out = ["<h2>Wasted space in image A</h2><table id=\"wasted\"><tr><th>size</th><th>path</th>"
           "<th>added by</th><th>removed by</th></tr>"]
    for item in offenders:
        out.append(f"<tr><td class=\"n\">{escape(human_size(item['size']))}</td>"
                   f"<td><code>{escape(item['path'])}</code></td>"
                   f"<td>line {item['added_line'] or '–'}: <code>{escape(item['added_by'] or '')}</code></td>"
                   f"<td>{escape(item['how'])} by line {item['removed_line'] or '–'}: "
                   f"<code>{escape(item['removed_by'] or '')}</code></td></tr>")
    out.append("</table>")
    return "".join(out)


def _paths(paths: list[dict]) -> str:
    """The differing paths per layer, each layer a collapsible list, with a filter box."""
    shown = paths[:PATHS_SHOWN]
    out = [f"<h2>Differing paths ({len(paths):,})</h2>",
           "<p><input id=\"filter\" type=\"search\" placeholder=\"filter paths\"> "
           f"<span id=\"shown\">{len(shown)}</span> shown"
           + (f" (the first {PATHS_SHOWN:,}; all are in the json report)" if len(paths) > PATHS_SHOWN else "")
           + "</p><div id=\"paths\">"]
    groups: dict[object, list[dict]] = {}
    for row in shown:
        groups.setdefault(row["layer"], []).append(row)
    for layer, rows in groups.items():
        where = f"layer {layer}" if layer is not None else "merged file systems"
        line = f", line {rows[0]['line']}" if rows[0]["line"] else ""
        out.append(f"<details open><summary>{escape(where + line)} ({len(rows):,})</summary><ul class=\"paths\">")
        for row in rows:
            sides = []
            for label in ("a", "b"):
                side = row[label]
                if side is not None:
                    digest = f" sha256:{side['sha256'][:16]}" if side["sha256"] else ""
                    sides.append(f"{label.upper()}: {side['type']} {side['mode']} {side['size']:,} B{digest}")
            what = row["change"].replace("_", " ") + (f" ({', '.join(row['fields'])})" if row["fields"] else "")
            out.append(f"<li data-path=\"{escape(row['path'])}\"><i class=\"swatch\" "
                       f"style=\"background:{color(row['cause'])}\"></i>{escape(row['path'])} "
                       f"<b>{escape(row['cause'])}</b> {escape(what)} — {escape('; '.join(sides))}</li>")
        out.append("</ul></details>")
    out.append("</div>")
    return "".join(out)
