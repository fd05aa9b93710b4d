"""apk (Alpine): ``apk add --no-cache curl=8.5.0-r0``, ``apk add 'git<2.50'``."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dockerlint.model.options import OptionSpec
from dockerlint.model.packages.common import cache_state, flags_span, read_line, unknown, values
from dockerlint.model.packages.types import EXACT, LOCAL, RANGE, UNPINNED, Package, PackageCommand
from dockerlint.model.shell import Command, Word

if TYPE_CHECKING:
    from dockerlint.model.dockerfile import Instr

# apk(8) and apk-add(8): options that take a value.
OPTIONS = OptionSpec("pXt", frozenset({
    "root", "repository", "virtual", "arch", "cache-dir", "cache-max-age", "keys-dir",
    "repositories-file", "timeout", "wait", "progress-fd", "uvol-manager"}),
    long_names={"p": "root", "X": "repository", "t": "virtual", "U": "update-cache", "i": "interactive",
                "q": "quiet", "v": "verbose", "s": "simulate", "l": "latest", "u": "upgrade"})
ACTIONS = {"add": "install", "del": "remove", "update": "update", "upgrade": "upgrade", "fix": "fix",
           "fetch": "download", "cache": "cache"}
CACHE_DIR = "/var/cache/apk"
# name[@tag][op version]: = exact; ~ (fuzzy), <, >, <=, >=, >< ranges
_SPEC = re.compile(r"(?P<name>[A-Za-z0-9_.+-]+?)(?P<tag>@[A-Za-z0-9_.-]+)?"
                   r"(?:(?P<op>~=|~|><|<=|>=|<|>|=)(?P<version>.+))?")


def parse(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    if cmd.program != "apk":
        return None
    line = read_line(cmd, OPTIONS)
    verb = line.verb
    action = ACTIONS.get(verb.value or "") if verb is not None else None
    if action is None:
        return None
    operands = line.operands
    subcommand = line.subcommand
    if action == "cache":  # apk cache clean|download|sync|purge
        if not operands or operands[0].value not in ("clean", "purge", "download", "sync"):
            return None
        action = "clean" if operands[0].value in ("clean", "purge") else "download"
        verb, subcommand, operands = operands[0], f"cache {operands[0].value}", operands[1:]
    args = line.args
    virtual = {id(w) for w in values(args, "virtual")}
    packages = tuple(package(w) for w in operands if id(w) not in virtual) if action in ("install",) else ()
    cache = cache_state(cmd, instr, later, flag=args.has("no-cache"), dirs=(args_cache_dir(args), CACHE_DIR),
                        cleans=lambda c: c.program == "apk" and c.args[:1] == ("cache",)
                        and c.args[1:2] in (("clean",), ("purge",)))
    return PackageCommand(
        manager="apk", tool="apk", ecosystem="apk", action=action, subcommand=subcommand,
        command=cmd, instr=instr, verb=verb, args=args, packages=packages,
        extra_index_urls=values(args, "repository"), assume_yes=not args.has("interactive"),
        cache=cache, flags_span=flags_span(instr, args),
    )


def args_cache_dir(args) -> str | None:
    given = args.values("cache-dir")
    return given[-1].value if given else None


def package(word: Word) -> Package:
    text = word.value
    if not text:
        return unknown(word)
    if text.endswith(".apk") or text.startswith(("/", "./", "../")):
        return Package(word, text, None, LOCAL, span=word.span)
    match = _SPEC.fullmatch(text)
    if match is None or text.startswith("!") or "*" in text:
        return unknown(word)  # `!pkg` (a conflict) or a pattern
    name, op, version = match.group("name"), match.group("op"), match.group("version")
    if op is None:
        return Package(word, text, name, UNPINNED, span=word.span)
    pin = EXACT if op == "=" else RANGE
    return Package(word, text, name, pin, version if pin == EXACT else None, op + version, span=word.span)
