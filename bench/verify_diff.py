"""Benchmark the streaming image diff against the physical limit (sha256sum).

Generates two synthetic ``docker save`` archives (legacy layout, uncompressed
layers) of at least ``--gb`` GB and ``--files`` files each in a temporary
directory, with a few planted differences in the second one (build-time
mtimes, .pyc header timestamps, a log, one big file's content, config
``created``).  Then measures, each in a fresh child process:

* ``diff_images`` + ``classify`` over the two archives: wall time, MB/s, max RSS
* the per-layer picture (sizes, wasted space) and the carried scan (secrets, weights,
  caches) alone, over image A's layer summaries (they run inside ``diff_images`` too)
* ``--dump``: the second read of both archives that writes each differing regular file's
  two versions (default limits: the 64 MiB blob is over the 64 MB file limit)
* the same child doing nothing but imports (baseline RSS)
* ``sha256sum`` over the same two archives (reads and hashes every byte once),
  one process for both and two processes in parallel

Everything is deleted at the end.  Usage::

    python bench/verify_diff.py [--gb 1.0] [--files 50000] [--keep DIR]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

EPOCH = 1_700_000_000
BLOCK = os.urandom(1 << 20)


class Pattern(io.RawIOBase):
    """``size`` bytes of incompressible data without holding them in memory."""

    def __init__(self, size: int, salt: int):
        self.left, self.offset = size, salt * 4099 % len(BLOCK)

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        out = bytearray()
        while len(out) < n:
            take = min(n - len(out), len(BLOCK) - self.offset)
            out += BLOCK[self.offset:self.offset + take]
            self.offset = (self.offset + take) % len(BLOCK)
        self.left -= n
        return bytes(out)


def _pyc(mtime: int) -> bytes:
    return (3495).to_bytes(2, "little") + b"\r\n" + bytes(4) + mtime.to_bytes(4, "little") \
        + (1234).to_bytes(4, "little") + BLOCK[:600]


def _add(tar: tarfile.TarFile, name: str, data: bytes | None = None, *, size: int = 0,
         salt: int = 0, mtime: int = EPOCH, kind: bytes = tarfile.REGTYPE) -> None:
    info = tarfile.TarInfo(name)
    info.type, info.mtime = kind, mtime
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    if kind == tarfile.REGTYPE:
        info.size = len(data) if data is not None else size
        tar.addfile(info, io.BytesIO(data) if data is not None else Pattern(size, salt))
    else:
        tar.addfile(info)


def write_layer(path: Path, index: int, files: int, big: int, variant: str) -> None:
    """A layer of ``files`` small files plus big files totalling ``big`` bytes."""
    build_time = EPOCH + (600 if variant == "b" else 0)
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for d in range(files // 500 + 1):
            _add(tar, f"l{index}/d{d:03d}/", kind=tarfile.DIRTYPE,
                 mtime=build_time if index == 1 else EPOCH)
        for i in range(files):
            name = f"l{index}/d{i // 500:03d}/f{i:06d}"
            stamp = build_time if index == 1 and i < 5000 else EPOCH
            if index == 1 and 5000 <= i < 5300:
                _add(tar, name + ".pyc", _pyc(build_time), mtime=EPOCH)
            else:
                _add(tar, name, BLOCK[i % 1000:i % 1000 + 200 + i % 1800], mtime=stamp)
        if index == 1:
            _add(tar, "var/log/build.log", f"built at {build_time}\n".encode())
            # for the picture and the carried scan: waste (a deleted big file, overwritten small
            # files), a secret, a pip cache
            _add(tar, "l0/big/.wh.blob000.bin", b"")
            for i in range(0, 2000, 10):
                _add(tar, f"l0/d{i // 500:03d}/f{i:06d}", b"new")
            _add(tar, "app/.env", b"TOKEN=x\n")
            for i in range(100):
                _add(tar, f"root/.cache/pip/http/{i:03d}", BLOCK[:4096])
        chunk = 64 << 20
        for j in range(big // chunk):
            salt = j + (7 if variant == "b" and index == 1 and j == 0 else 0)
            _add(tar, f"l{index}/big/blob{j:03d}.bin", size=chunk, salt=salt)


def write_image(out: Path, work: Path, variant: str, gb: float, files: int) -> None:
    big_total = int(gb * (1 << 30))
    plan = [(0, files * 2 // 5, big_total * 2 // 5), (1, files - files * 2 // 5,
                                                        big_total - big_total * 2 // 5)]
    layers = []
    for index, count, big in plan:
        path = work / f"{variant}-layer{index}.tar"
        write_layer(path, index, count, big, variant)
        layers.append(path)
    diff_ids = []
    for path in layers:
        digest = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True,
                                check=True).stdout.split()[0]
        diff_ids.append("sha256:" + digest)
    created = "2026-11-26T10:00:00Z" if variant == "a" else "2026-11-26T10:10:00Z"
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "created": created,
        "config": {"Cmd": ["sh"]}, "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": created, "created_by": "base"},
                    {"created": created, "created_by": "RUN generate"}]}).encode()
    ids = [f"{i:064x}" for i in range(1, len(layers) + 1)]
    manifest = json.dumps([{"Config": "config.json", "RepoTags": ["bench:1"],
                            "Layers": [f"{i}/layer.tar" for i in ids]}]).encode()
    with tarfile.open(out, "w") as tar:
        _add(tar, "config.json", config)
        for layer_id, path in zip(ids, layers):
            tar.add(path, arcname=f"{layer_id}/layer.tar")
            path.unlink()
        _add(tar, "manifest.json", manifest)


CHILD = """
import io, json, sys, time
from dockerlint.verify.diff import diff_images
from dockerlint.verify.causes import classify
if sys.argv[1] == "diff":
    start = time.perf_counter()
    with open(sys.argv[2], "rb", buffering=0) as a, open(sys.argv[3], "rb", buffering=0) as b:
        result = diff_images(a, b)
    causes = classify(result, {1: (3, 1, 3, 20, "RUN generate")})
    elapsed = time.perf_counter() - start
    print(json.dumps({"seconds": elapsed,
                      "entries": sum(l.entry_count_a + l.entry_count_b for l in result.layers),
                      "verdict": str(result.verdict),
                      "causes": [[c.id, c.layer, c.count] for c in causes],
                      "wasted": result.picture_a.wasted, "efficiency": result.picture_a.efficiency,
                      "carried": [[g.id, g.layer, g.count] for g in result.carried_a]}))
elif sys.argv[1] == "scan":
    from dockerlint.verify.archive import read_image
    from dockerlint.verify.carried import scan
    from dockerlint.verify.picture import picture
    with open(sys.argv[2], "rb", buffering=0) as a:
        image = read_image(a)
    summaries = [l.summary for l in image.layers]
    start = time.perf_counter()
    carried, flagged = scan(summaries)
    scanned = time.perf_counter()
    picture(summaries, watch=flagged)
    print(json.dumps({"scan": scanned - start, "picture": time.perf_counter() - scanned}))
elif sys.argv[1] == "dump":
    from dockerlint.verify.dump import write
    with open(sys.argv[2], "rb", buffering=0) as a, open(sys.argv[3], "rb", buffering=0) as b:
        result = diff_images(a, b)
    differences = [d for l in result.layers for d in l.entries] + list(result.merged)
    start = time.perf_counter()
    summary = write(sys.argv[4], differences, lambda side: open(sys.argv[2 if side == "a" else 3], "rb"))
    print(json.dumps({"seconds": time.perf_counter() - start, "written": summary["written"],
                      "bytes": summary["bytes"], "skipped": summary["skipped_because"]}))
"""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_child(*args: str) -> tuple[dict | None, float, float]:
    """Run CHILD in a fresh interpreter: its JSON output, max RSS (MB), CPU seconds.

    RUSAGE_CHILDREN's max RSS is the largest child so far, so the no-op child
    runs first and the diff child's figure is its own unless it is smaller.
    """
    cpu = _cpu()
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True,
                          check=True)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    output = json.loads(proc.stdout) if proc.stdout.strip() else None
    return output, rss, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gb", type=float, default=1.0, help="GB of content per image")
    parser.add_argument("--files", type=int, default=50_000, help="files per image")
    parser.add_argument("--keep", type=Path, help="write the archives here and keep them")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="verify-diff-bench-", dir=args.keep))
    try:
        t0 = time.perf_counter()
        a, b = work / "a.tar", work / "b.tar"
        write_image(a, work, "a", args.gb, args.files)
        write_image(b, work, "b", args.gb, args.files)
        size = a.stat().st_size + b.stat().st_size
        print(f"generated 2 archives, {size / 1e9:.2f} GB, {args.files:,} files each "
              f"in {time.perf_counter() - t0:.1f} s")

        def sha256sum() -> tuple[float, float]:
            cpu, start = _cpu(), time.perf_counter()
            subprocess.run(["sha256sum", str(a), str(b)], check=True, capture_output=True)
            return time.perf_counter() - start, _cpu() - cpu

        def sha256sum_parallel() -> float:
            start = time.perf_counter()
            procs = [subprocess.Popen(["sha256sum", str(p)], stdout=subprocess.DEVNULL)
                     for p in (a, b)]
            for proc in procs:
                proc.wait()
            return time.perf_counter() - start

        sha256sum()                                   # warm the page cache for both readers
        _, baseline_rss, _ = run_child("noop")
        result, rss, cpu = run_child("diff", str(a), str(b))
        sha_seconds, sha_cpu = sha256sum()
        sha_parallel = sha256sum_parallel()
        seconds = result["seconds"]
        print(f"diff_images+classify: {seconds:.2f} s wall ({cpu:.2f} s CPU incl. start-up), "
              f"{size / 1e6 / seconds:.0f} MB/s, max RSS {rss:.0f} MB (interpreter + imports "
              f"alone: {baseline_rss:.0f} MB), {result['entries']:,} entries compared")
        print(f"sha256sum (both):     {sha_seconds:.2f} s wall ({sha_cpu:.2f} s CPU), "
              f"{size / 1e6 / sha_seconds:.0f} MB/s")
        print(f"sha256sum a & b:      {sha_parallel:.2f} s wall (two processes), "
              f"{size / 1e6 / sha_parallel:.0f} MB/s")
        print(f"ratio diff/sha256sum: {seconds / sha_seconds:.2f}x wall, "
              f"{cpu / sha_cpu:.2f}x CPU; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} CPUs")
        print(f"verdict: {result['verdict']}; causes: {result['causes']}")
        dumped, _, _ = run_child("dump", str(a), str(b), str(work / "dump"))
        print(f"--dump (after the diff, reading both archives again): {dumped['seconds']:.2f} s wall; "
              f"{dumped['written']:,} files, {dumped['bytes']:,} bytes written; not written: {dumped['skipped']}")
        scans, _, _ = run_child("scan", str(a))
        print(f"picture of image A: {scans['picture']:.2f} s; carried scan: {scans['scan']:.2f} s "
              f"(both included in the diff time above); wasted {result['wasted']:,} bytes, "
              f"efficiency {result['efficiency']:.1%}; carried: {result['carried']}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
