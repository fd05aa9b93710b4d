"""Lint throughput on generated hostile Dockerfiles (issue 8), one process per shape.

    python bench/pathological.py [--size BYTES] [--shape NAME ...]

Each shape is generated to about ``--size`` bytes (default 1 MB; the shapes
are the ones that used to take minutes or gigabytes) and linted once in a
child process; the table gives seconds, files/s, MB/s and the child's peak
memory (ru_maxrss). ``tests/test_pathological.py`` runs the same generators
small, under CPU and memory limits.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def _repeat(head: str, unit: str, size: int, tail: str = "") -> str:
    return head + unit * max(1, (size - len(head) - len(tail)) // len(unit)) + tail


def _numbered(head: str, template: str, size: int, tail: str = "") -> str:
    out, n, i = [head], len(head) + len(tail), 0
    while n < size:
        line = template.format(i=i)
        out.append(line)
        n += len(line)
        i += 1
    return "".join(out) + tail


SHAPES = {
    # ${VAR//pattern/x} whose regex would backtrack; the value is a long run of "a"
    "replace-backtracking": lambda size: _repeat(
        "FROM alpine:3\nARG A=" + "a" * 4000 + "\n", "ENV B=${A//" + "*a" * 12 + "*b/x}\n", size),
    "trim-backtracking": lambda size: _repeat(
        "FROM alpine:3\nARG A=" + "a" * 4000 + "\n", "ENV B=${A##" + "*a" * 12 + "*b}\n", size),
    # each ARG doubles the previous one: 2**40 characters if nothing capped it
    "exponential-args": lambda size: "ARG A0=xx\n" + "".join(
        f"ARG A{i}=${{A{i - 1}}}${{A{i - 1}}}\n" for i in range(1, 40)) + "FROM alpine:3\n",
    "global-args": lambda size: _numbered("", "ARG A{i}=v\n", size, "FROM alpine:3\n"),
    "env-lines": lambda size: _numbered("FROM alpine:3\n", "ENV E{i}=v\n", size),
    # each ENV uses a name nothing defines: UndefinedVar's "did you mean" looked through the whole scope
    "env-undefined": lambda size: _numbered("FROM scratch\n", "ENV E{i}=$U{i}\n", size),
    "onbuild": lambda size: _repeat("FROM alpine:3\n", "ONBUILD RUN true\n", size),
    "deep-nesting": lambda size: "FROM alpine:3\n" + "".join(
        f"ARG Y{i}=" + "${Y:-" * 500 + "x" + "}" * 500 + "\n" for i in range(max(1, size // 3000))),
    # one physical line past BuildKit's 64 KiB limit: a syntax error, found without reading it all
    "long-line": lambda size: _repeat("FROM alpine:3\nRUN echo", " a", size, "\n"),
    # one logical line of continued short lines: every word was an object with a span
    "continued-line": lambda size: _repeat("FROM alpine:3\nRUN echo \\\n", "  a b c d e f g h \\\n", size, "  end\n"),
    # find -exec find -exec ...: each level's command held the rest of the line again
    "find-exec": lambda size: "FROM alpine:3\nRUN " + "find . -exec \\\n" * (size // 18) + "true"
    + " \\;" * (size // 18) + "\n",
}


def _child(shape: str, size: int) -> None:
    text = SHAPES[shape](size)
    from dockerlint import lint_text

    t0 = time.perf_counter()
    findings = lint_text(text)
    assert not any(f.rule_id == "DLINT001" for f in findings), [f.message for f in findings]
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"bytes": len(text.encode()), "seconds": seconds, "findings": len(findings), "peak_mb": peak}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--shape", action="append", choices=sorted(SHAPES))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.child:
        _child(opts.child, opts.size)
        return
    print(f"{'shape':24} {'bytes':>9} {'s':>7} {'files/s':>8} {'MB/s':>6} {'peak MB':>8}")
    for shape in opts.shape or SHAPES:
        proc = subprocess.run([sys.executable, __file__, "--child", shape, "--size", str(opts.size)],
                              capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            print(f"{shape:24} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout)
        print(f"{shape:24} {r['bytes']:9d} {r['seconds']:7.2f} {1 / r['seconds']:8.2f} "
              f"{r['bytes'] / r['seconds'] / 1e6:6.2f} {r['peak_mb']:8.0f}")


if __name__ == "__main__":
    main()
