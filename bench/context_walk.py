"""Benchmark the build context on a large data-science project.

Generates ``--files`` files (default 100,000: sources, notebooks, a node_modules
and a .git tree, sparse data and weight files) in a temporary directory with a
``.dockerignore``, then times, each from a fresh ``BuildContext``:

* the walk (``files``), the total size (``total_bytes``, one lstat per file),
* what every COPY of a typical Dockerfile sends (``sent``: per instruction files and bytes),
* linking the installs to their manifests (``installed``),
* a whole ``dockerlint`` lint of that Dockerfile with the context (CACHE/REPRO rules included).

Usage: python bench/context_walk.py [--files 100000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCKERFILE = """\
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY src/ src/
COPY models/*.pt models/
COPY . .
CMD ["python", "src/serve.py"]
"""


def generate(root: Path, count: int) -> None:
    (root / "requirements.txt").write_text("numpy==1.26.4\ntorch==2.3.1\n")
    (root / "Dockerfile").write_text(DOCKERFILE)
    (root / ".dockerignore").write_text("**/__pycache__\nnode_modules\n")
    layout = [("src/pkg{0}/mod{1}.py", 0.4), ("notebooks/exp{0}/n{1}.ipynb", 0.05),
              ("node_modules/lib{0}/f{1}.js", 0.3), (".git/objects/{0:02x}/{1:038x}", 0.2),
              ("data/part{0}/chunk{1}.parquet", 0.04), ("models/m{0}_{1}.pt", 0.01)]
    made = 0
    for template, share in layout:
        n = int(count * share)
        for i in range(n):
            path = root / template.format(i // 500, i)
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix in (".parquet", ".pt"):
                with open(path, "wb") as fh:
                    fh.truncate(1 << 20)
            else:
                path.write_text("x\n")
            made += 1


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from dockerlint.context import BuildContext
    from dockerlint.model import load

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.files)
        walk, files = timed(lambda: BuildContext(root).files, args.repeat)
        print(f"files generated: {args.files}, sent after .dockerignore: {len(files)}")
        print(f"walk (files):            {walk * 1000:8.1f} ms")
        size, total = timed(lambda: (lambda c: (c.files, c.total_bytes))(BuildContext(root))[1], args.repeat)
        print(f"walk + total_bytes:      {size * 1000:8.1f} ms  ({total / 1e9:.2f} GB)")

        def per_copy():
            df = load(DOCKERFILE, path=str(root / "Dockerfile"), context_dir=str(root))
            out = [df.context.sent(i) for i in df.instructions if i.keyword == "COPY"]
            links = [m for c in df.installs for m in df.context.installed(c)]
            return out, links
        copy_time, (sent, links) = timed(per_copy, args.repeat)
        print(f"walk + sent per COPY + installs linked: {copy_time * 1000:8.1f} ms")
        for s in sent:
            print(f"  line {s.instr.line}: {len(s.files)} files, {s.bytes / 1e6:.1f} MB")
        print(f"  installs read: {[m.path for m in links]}")
        lint = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "dockerlint", "--no-color", str(root / "Dockerfile")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ))
            lint.append(time.perf_counter() - start)
        print(f"dockerlint Dockerfile (whole lint, fresh process): {statistics.median(lint) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
