"""Reporter cost: render time per format, and what the JSON report would pay for pydantic.

    python bench/report_formats.py [--findings N]

Builds a synthetic report (N findings over N/10 files, every one with a fix)
and times each format's ``render`` into memory, the import of each format
module in a fresh interpreter, and, for comparison, writing the JSON report
through the pydantic models instead of the ``json`` module. Prints a markdown
table. Measures; asserts nothing.
"""
from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dockerlint.findings import Edit, Finding, Fix, Severity  # noqa: E402
from dockerlint.report import FORMATS, Report, render  # noqa: E402
from dockerlint.syntax.nodes import Source  # noqa: E402

TEXT = "FROM python:latest\nRUN apt-get update && apt-get install -y curl\nCMD python serve.py\n" * 20


def synthetic_report(n: int) -> Report:
    source = Source(TEXT)
    files = [f"service {i}/Dockerfile" for i in range(max(n // 10, 1))]
    findings = []
    for i in range(n):
        start = TEXT.index("latest", (i % 20) * (len(TEXT) // 20))
        findings.append(Finding(
            message=f"Base image uses the moving tag `latest` ({i})", span=source.span(start, start + 6),
            rule_id="DL3007", rule_name="no-latest-tag", severity=list(Severity)[i % 4],
            path=files[i % len(files)], category="reproducibility",
            fix=Fix("Pin the tag", (Edit(start, start + 6, "3.12.7-slim"),)),
        ))
    findings.sort(key=lambda f: f.sort_key)
    return Report(findings=findings, files=files, rules={}, sources={p: TEXT for p in files},
                  tool_version="0.1.0")


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def import_ms(module: str, repeat: int = 5) -> float:
    code = f"import time; s = time.perf_counter(); import {module}; print(time.perf_counter() - s)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                 cwd=ROOT).stdout) for _ in range(repeat)]
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--findings", type=int, default=5000)
    args = parser.parse_args()
    report = synthetic_report(args.findings)
    color = Report(**{**report.__dict__, "color": True})
    print(f"{args.findings} findings in {len(report.files)} files\n")
    print("| format | render (ms) | import of the module, fresh process (ms) |")
    print("| --- | ---: | ---: |")
    for fmt in FORMATS:
        ms = best_of(lambda: render(fmt, report, io.StringIO())) * 1000
        print(f"| {fmt} | {ms:.1f} | {import_ms(f'dockerlint.report.{fmt}'):.1f} |")
    print(f"| tty (colour, rich) | {best_of(lambda: render('tty', color, io.StringIO())) * 1000:.1f} "
          f"| {import_ms('rich.console'):.1f} (rich.console) |")

    from dockerlint.report import json as json_report
    from dockerlint.report.schema import Report as ReportModel

    data = json_report.to_dict(report)
    via_models = best_of(lambda: ReportModel.model_validate(data).model_dump_json(indent=2)) * 1000
    print(f"\nJSON through the pydantic models (validate + dump): {via_models:.1f} ms "
          f"on top of building the dict; import of dockerlint.report.schema: "
          f"{import_ms('dockerlint.report.schema'):.1f} ms")


if __name__ == "__main__":
    main()
