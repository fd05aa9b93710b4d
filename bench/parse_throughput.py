"""Parser throughput over a corpus of real Dockerfiles, single process.

    python bench/parse_throughput.py [DIR] [--repeat N]

Prints files/s and MB/s for ``dockerlint.syntax.parse`` (bytes in, tree out),
plus how many files BuildKit would reject. DIR defaults to the shared corpus.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=5)
    opts = ap.parse_args()
    files = sorted(p for p in opts.corpus.iterdir() if p.is_file() and p.name != "MANIFEST.tsv")
    blobs = [p.read_bytes() for p in files]
    size = sum(map(len, blobs))

    t0 = time.perf_counter()
    from dockerlint.syntax import DockerfileSyntaxError, parse
    import_s = time.perf_counter() - t0

    rejected = 0
    best = best_cpu = float("inf")
    for _ in range(opts.repeat):
        rejected = 0
        t0, c0 = time.perf_counter(), time.process_time()
        for data in blobs:
            try:
                parse(data)
            except DockerfileSyntaxError:
                rejected += 1
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    print(f"corpus: {len(blobs)} files, {size / 1e6:.2f} MB ({opts.corpus})")
    print(f"import dockerlint.syntax: {import_s * 1000:.1f} ms")
    print(f"parse (best of {opts.repeat}): {best:.3f} s  "
          f"{len(blobs) / best:,.0f} files/s  {size / 1e6 / best:.2f} MB/s")
    print(f"parse CPU time (best of {opts.repeat}): {best_cpu:.3f} s  "
          f"{len(blobs) / best_cpu:,.0f} files/s  {size / 1e6 / best_cpu:.2f} MB/s  (wall time suffers on a busy machine)")
    print(f"rejected (DockerfileSyntaxError): {rejected}")


if __name__ == "__main__":
    main()
