"""Run the ML rules over the shared corpus and list every finding for review by hand.

    .venv/bin/python bench/ml_precision.py [--contexts DIR] [--real DIR] > /tmp/ml_findings.tsv

Contexts: each folder of ``contexts/`` with its ``SOURCE.json`` (the Dockerfile
and the other Dockerfiles of that context), linted with the folder as the build
context. Real Dockerfiles: the ``ml`` category of ``real/MANIFEST.tsv``, linted
alone (no context). Prints one TSV row per finding (corpus, file, rule, line,
message) and a per-rule count on stderr; the judgement of each finding is in
``bench/ml_precision.md``.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

from dockerlint.engine import lint_text

CORPUS = Path("/work/shared/corpus")
RULES = ["ML"]  # the whole family


def contexts(root: Path):
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        source = folder / "SOURCE.json"
        meta = json.loads(source.read_text()) if source.is_file() else {}
        context = folder / meta.get("context_dir", ".")
        names = [meta["dockerfile"]] if meta.get("dockerfile") else ["Dockerfile"]
        names += meta.get("other_dockerfiles", [])
        for name in names:
            path = folder / name
            if path.is_file():
                yield folder.name, path, context


def real(root: Path):
    with open(root / "MANIFEST.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["category"] == "ml":
                yield "real", root / row["file"], None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contexts", type=Path, default=CORPUS / "contexts")
    parser.add_argument("--real", type=Path, default=CORPUS / "real")
    args = parser.parse_args()
    counts: Counter = Counter()
    files = 0
    started = time.perf_counter()
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["corpus", "file", "rule", "line", "message"])
    for corpus, path, context in [*contexts(args.contexts), *real(args.real)]:
        files += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        kwargs = {"context": str(context)} if context is not None else {}
        for finding in lint_text(text, path=str(path), select=RULES, **kwargs):
            counts[finding.rule_id] += 1
            out.writerow([corpus, str(path.relative_to(CORPUS)), finding.rule_id, finding.span.line,
                          finding.message])
    elapsed = time.perf_counter() - started
    print(f"{files} Dockerfiles in {elapsed:.1f} s; findings: {dict(sorted(counts.items()))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
