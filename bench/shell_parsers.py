"""Which shell parser should read RUN bodies? bashlex, tree-sitter-bash or our own.

    python bench/shell_parsers.py [CORPUS_DIR] [--repeat N] [--show N]

For every shell-form RUN body of the corpus (continuation lines joined the way
BuildKit joins them, flags removed, exec form and heredoc bodies skipped) it
measures, per parser:
  * understood: share of bodies parsed without any error;
  * names: agreement on the command names found (same multiset of names) with
    each other parser, over the bodies both understood;
  * speed: bodies per second (best of N runs), name extraction included.

Commands only our parser finds inside ``sh -c '...'`` strings and behind
wrappers (``sudo X``) are left out of the comparison, which is on the commands
as written. bashlex and tree-sitter-bash are benchmark peers, not dependencies.
Prints a markdown table for the README design notes.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "real"

_RUN = re.compile(r"\s*run(\s|$)", re.I)
_SHELL = re.compile(r"\s*shell\s", re.I)
_FROM = re.compile(r"\s*from\s", re.I)
_FLAG = re.compile(r"\s*--[A-Za-z-]+(=(\"[^\"]*\"|'[^']*'|\S*))?(?=\s)")
_ESCAPE = re.compile(r"#\s*escape\s*=\s*(\S)", re.I)
_HEREDOC = re.compile(r"<<-?\s*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\1")


def run_bodies(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(body, SHELL argv) of each shell-form RUN of one Dockerfile, continuation lines joined."""
    lines = text.splitlines()
    shell: tuple[str, ...] = ("/bin/sh", "-c")
    escape = "\\"
    for line in lines[:5]:
        m = _ESCAPE.match(line.strip())
        if m:
            escape = m.group(1)
    bodies = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if _SHELL.match(line):
            try:
                shell = tuple(json.loads(_SHELL.sub("", line, count=1)))
            except (ValueError, TypeError):
                pass
            continue
        if _FROM.match(line):
            shell = ("/bin/sh", "-c")
        if not _RUN.match(line):
            continue
        body = _RUN.sub("", line, count=1)
        while body.rstrip().endswith(escape) and i < len(lines):
            body = body.rstrip()[:-1]
            while i < len(lines) and (lines[i].lstrip().startswith("#") or not lines[i].strip()):
                i += 1  # BuildKit drops comment and empty lines inside a continuation
            if i < len(lines):
                body += lines[i]
                i += 1
        while True:
            m = _FLAG.match(body)
            if not m:
                break
            body = body[m.end():]
        body = body.strip()
        if not body or body.startswith("["):
            continue
        for m in _HEREDOC.finditer(body):  # the Dockerfile's heredoc: skip its body lines
            while i < len(lines) and lines[i].strip() != m.group(2):
                i += 1
            i += 1
        bodies.append((body, shell))
    return bodies


# ------------------------------------------------------------------ parsers

def own_parse(body: str, dialect: str) -> tuple[bool, list[str]]:
    from dockerlint.model.shell import parse_script

    script = parse_script(body, dialect=dialect)
    names = [c.name or "?" for c in script.commands if c.wrapper is None]
    return script.understood, names


def bashlex_parse(body: str, dialect: str) -> tuple[bool, list[str]]:
    import bashlex

    try:
        trees = bashlex.parse(body)
    except Exception:  # bashlex raises ParsingError, NotImplementedError, IndexError ...
        return False, []
    names: list[str] = []

    class Visitor(bashlex.ast.nodevisitor):
        def visitcommand(self, node, parts):
            words = [p for p in parts if p.kind == "word"]
            if words:
                names.append(words[0].word if "$" not in words[0].word else "?")

    try:
        for tree in trees:
            Visitor().visit(tree)
    except Exception:
        return False, names
    return True, names


_TS_PARSER = None


def tree_sitter_parse(body: str, dialect: str) -> tuple[bool, list[str]]:
    global _TS_PARSER
    if _TS_PARSER is None:
        import tree_sitter
        import tree_sitter_bash

        _TS_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))
    data = body.encode("utf-8", "surrogateescape")
    tree = _TS_PARSER.parse(data)
    names: list[str] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        kind = node.type
        if kind == "command":
            name = node.child_by_field_name("name")
            if name is not None:
                text = name.text.decode("utf-8", "replace")
                names.append("?" if "$" in text or "`" in text else _unquote(text))
        elif kind == "test_command":
            names.append("[[" if node.text.startswith(b"[[") else "[")
        elif kind in ("declaration_command", "unset_command"):
            names.append(node.children[0].text.decode())
        stack.extend(node.children)
    return not tree.root_node.has_error, names


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text.replace("'", "").replace('"', ""))


PARSERS = {"own": own_parse, "bashlex": bashlex_parse, "tree-sitter-bash": tree_sitter_parse}


# --------------------------------------------------------------- measuring

def measure(bodies: list[tuple[str, str]], repeat: int) -> dict[str, dict]:
    results = {}
    for name, parse in PARSERS.items():
        try:
            parse(*bodies[0])  # import and warm up outside the clock
        except ImportError as error:
            print(f"{name} left out: {error} (pip install bashlex tree-sitter tree-sitter-bash)")
            continue
        best = float("inf")
        outcome: list[tuple[bool, list[str]]] = []
        for _ in range(repeat):
            start = time.perf_counter()
            outcome = [parse(body, dialect) for body, dialect in bodies]
            best = min(best, time.perf_counter() - start)
        results[name] = {"outcome": outcome, "seconds": best}
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--show", type=int, default=0, help="print N disagreements / failures per parser")
    args = ap.parse_args(argv)

    files = sorted(p for p in Path(args.corpus).iterdir() if p.name.endswith("Dockerfile") or "Dockerfile" in p.name)
    from dockerlint.model.shell import shell_dialect

    found = [b for p in files for b in run_bodies(p.read_text("utf-8", "replace"))]
    bodies = [(body, shell_dialect(shell)) for body, shell in found if shell_dialect(shell)]
    results = measure(bodies, args.repeat)
    total = len(bodies)

    print(f"{len(files)} Dockerfiles, {total} shell-form RUN bodies under a POSIX shell "
          f"({len(found) - total} under powershell/cmd left out), "
          f"{sum(len(b) for b, _ in bodies) / total:.0f} characters on average\n")
    names = list(results)
    # A body ending in a Dockerfile heredoc marker (`RUN <<EOF`, `RUN cat <<EOF > f`) is
    # complete only with the body BuildKit supplies; shown apart so no parser is blamed for it.
    plain = [i for i, (body, _) in enumerate(bodies) if not _HEREDOC.search(body)]
    print(f"| parser | understood (no error) | without the {total - len(plain)} heredoc-marker bodies | bodies/s | "
          + " | ".join(f"same names as {n}" for n in names) + " |")
    print("| --- | --- | --- | --- | " + " | ".join("---" for _ in names) + " |")
    for name in names:
        outcome = results[name]["outcome"]
        ok = sum(1 for good, _ in outcome if good)
        ok_plain = sum(1 for i in plain if outcome[i][0])
        cells = []
        for other in names:
            if other == name:
                cells.append("–")
                continue
            both = [(a, b) for (ga, a), (gb, b) in zip(outcome, results[other]["outcome"]) if ga and gb]
            same = sum(1 for a, b in both if Counter(a) == Counter(b))
            cells.append(f"{same / len(both):.1%} of {len(both)}" if both else "n/a")
        speed = total / results[name]["seconds"]
        print(f"| {name} | {ok}/{total} ({ok / total:.1%}) | {ok_plain}/{len(plain)} ({ok_plain / len(plain):.1%}) "
              f"| {speed:,.0f} | " + " | ".join(cells) + " |")

    own = results["own"]["outcome"]
    if len(names) == 3:
        lex, ts = results["bashlex"]["outcome"], results["tree-sitter-bash"]["outcome"]
        split = [(a, b, c) for (ga, a), (gb, b), (gc, c) in zip(own, lex, ts)
                 if ga and gb and gc and Counter(a) != Counter(b)]
        sides = sum(1 for a, _, c in split if Counter(a) == Counter(c))
        print(f"\nWhere own and bashlex disagree (all three understood the body: {len(split)}), "
              f"tree-sitter-bash finds the same names as own in {sides}.")
    total_commands = sum(len(n) for _, n in own)
    print(f"own: {total_commands} commands as written, "
          f"{sum(n.count('?') for _, n in own)} with a name that is not literal.")

    if args.show:
        for name in names:
            failures = [b for (b, _), (good, _) in zip(bodies, results[name]["outcome"]) if not good]
            print(f"\n## {name}: {len(failures)} not understood, first {args.show}")
            for body in failures[:args.show]:
                print("  ", body[:160].replace("\n", "⏎"))
        for other in names[1:]:
            print(f"\n## own vs {other}: name disagreements, first {args.show}")
            shown = 0
            for (body, _), (ga, a), (gb, b) in zip(bodies, own, results[other]["outcome"]):
                if ga and gb and Counter(a) != Counter(b) and shown < args.show:
                    shown += 1
                    only_own = Counter(a) - Counter(b)
                    only_other = Counter(b) - Counter(a)
                    print(f"   own+{dict(only_own)} {other}+{dict(only_other)}: {body[:140]}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
