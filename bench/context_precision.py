"""Run the CACHE and REPRO rules over the real build contexts of the shared corpus.

Each context of ``/work/shared/corpus/contexts/`` is copied to a temporary
directory, every file ``CONTEXT.tsv`` lists but the folder lacks is recreated
as a sparse file of its size (so sizes, globs and ``.dockerignore`` see the
real tree), and dockerlint lints the Dockerfile ``SOURCE.json`` names (and
its ``other_dockerfiles``) with that context. Prints one line per finding
(``context<TAB>rule<TAB>file:line<TAB>message``) for the hand review recorded
in ``bench/context_precision.md``, then the count per rule.

Usage: python bench/context_precision.py [--corpus DIR] [--select CACHE,REPRO]
"""
from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def recreate(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, symlinks=True)
    for line in (src / "CONTEXT.tsv").read_text(encoding="utf-8").splitlines():
        rel, _, size = line.rpartition("\t")
        target = dst / rel
        if not target.exists() and not target.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as fh:
                fh.truncate(int(size))
    for extra in ("CONTEXT.tsv", "SOURCE.json"):
        listed = any(line.split("\t")[0] == extra for line in (src / "CONTEXT.tsv").read_text().splitlines())
        if not listed:
            (dst / extra).unlink()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default="/work/shared/corpus/contexts")
    parser.add_argument("--select", default="CACHE,REPRO")
    args = parser.parse_args()
    counts: collections.Counter = collections.Counter()
    for folder in sorted(p for p in Path(args.corpus).iterdir() if (p / "SOURCE.json").is_file()):
        source = json.loads((folder / "SOURCE.json").read_text())
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "ctx"
            recreate(folder, root)
            for dockerfile in [source["dockerfile"], *source.get("other_dockerfiles", [])]:
                result = subprocess.run(
                    [sys.executable, "-m", "dockerlint", "--select", args.select, "-f", "json",
                     "--context", str(root), str(root / dockerfile)],
                    capture_output=True, text=True, cwd=root)
                if result.returncode not in (0, 1):
                    print(f"{folder.name}\tERROR\t{dockerfile}\t{result.stderr.strip()[:300]}")
                    continue
                for f in json.loads(result.stdout or "{}").get("findings", []):
                    path = f.get("file") or f.get("path") or ""
                    path = path.replace(str(root) + "/", "")
                    counts[f["rule"]] += 1
                    print(f"{folder.name}\t{f['rule']}\t{path}:{f['line']}\t{f['message']}")
    print("\n" + "\n".join(f"{rule}\t{n}" for rule, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
