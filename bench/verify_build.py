"""Wall-clock cost of one --verify-build run, per builder, on this machine's daemon.

    python bench/verify_build.py [--repeat N] [--fixture NAME ...]

Imports the tests' busybox base image, runs ``dockerlint.verify.command.verify``
on fixtures/verify/<NAME> N times per builder and prints a markdown table:
build A, build B, export+diff, and the whole run (which also includes the
one-second pause between the builds, the context archive and cleanup).
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import busybox_rootfs_tar  # noqa: E402  (the tests' base image recipe)

from dockerlint.verify.buildkit import find_buildkit_route  # noqa: E402
from dockerlint.verify.command import Options, verify  # noqa: E402
from dockerlint.verify.daemon import connect  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fixture", action="append", default=None)
    args = parser.parse_args()
    fixtures = args.fixture or ["reproducible", "build-time-mtime"]
    builders = ["classic"] + (["buildkit"] if find_buildkit_route() else [])

    client = connect()
    base = f"dockerlint-bench-base:{os.getpid()}"
    client.api.import_image_from_data(busybox_rootfs_tar(), repository=base.split(":")[0], tag=base.split(":")[1])
    print("| fixture | builder | build A s | build B s | export+diff s | whole run s | verdict |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    try:
        for fixture in fixtures:
            dockerfile = ROOT / "fixtures" / "verify" / fixture / "Dockerfile"
            for builder in builders:
                rows = []
                for _ in range(args.repeat):
                    started = time.monotonic()
                    outcome = verify(Options(str(dockerfile), str(dockerfile.parent), {"BASE": base},
                                             builder=builder, quiet=True), stderr=io.StringIO())
                    info = outcome.extra["verify"]
                    rows.append((*info["build_seconds"], info["diff_seconds"], time.monotonic() - started))
                medians = [statistics.median(column) for column in zip(*rows)]
                print(f"| {fixture} | {builder} | " + " | ".join(f"{m:.2f}" for m in medians)
                      + f" | {outcome.verdict} |")
    finally:
        client.api.remove_image(base)


if __name__ == "__main__":
    main()
