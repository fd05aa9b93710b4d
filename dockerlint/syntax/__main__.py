"""``python -m dockerlint.syntax FILE [--json]``: print BuildKit's dump (or JSON) of a file."""
from __future__ import annotations

import json
import sys

from . import DockerfileSyntaxError, parse
from .dump import buildkit_dump, json_dump


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--json"]
    if len(args) != 1:
        print("usage: python -m dockerlint.syntax FILE [--json]", file=sys.stderr)
        return 2
    try:
        with open(args[0], "rb") as f:
            data = f.read()
    except OSError as e:
        print(f"{args[0]}: {e.strerror}", file=sys.stderr)
        return 2
    try:
        tree = parse(data, args[0])
    except DockerfileSyntaxError as e:
        print(f"{args[0]}:{e.span.line}:{e.span.column}: syntax error: {e.message}", file=sys.stderr)
        return 1
    if "--json" in argv:
        print(json.dumps(json_dump(tree), indent=1))
    else:
        sys.stdout.write(buildkit_dump(tree))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
