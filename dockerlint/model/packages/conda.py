"""conda, mamba, micromamba: ``conda install -y numpy=1.26``, ``conda env create -f environment.yml``."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dockerlint.model.options import OptionSpec
from dockerlint.model.packages.common import cache_state, flags_span, is_truthy, read_line, unknown, values
from dockerlint.model.packages.types import EXACT, LOCAL, RANGE, UNPINNED, URL, Package, PackageCommand
from dockerlint.model.shell import Command, Word

if TYPE_CHECKING:
    from dockerlint.model.dockerfile import Instr

OPTIONS = OptionSpec("npcfr", frozenset({
    "name", "prefix", "channel", "file", "override-channels-not", "repodata-fn", "experimental-solver",
    "solver", "subdir", "platform", "root-prefix", "rc-file", "channel-priority", "log-level",
    "clone", "json-not"}),
    long_names={"n": "name", "p": "prefix", "c": "channel", "f": "file", "y": "yes", "q": "quiet",
                "a": "all", "t": "tarballs", "r": "root-prefix", "d": "dry-run"})
PROGRAMS = frozenset({"conda", "mamba", "micromamba"})
ACTIONS = {"install": "install", "create": "create", "update": "upgrade", "upgrade": "upgrade",
           "remove": "remove", "uninstall": "remove", "clean": "clean", "env": "env"}
ENV_ACTIONS = {"create": "create", "update": "sync", "remove": "remove"}
# name[=version[=build]], name==version, name>=1,<2, channel::name
_V = r"[^=*,|<>!~\s]+"
_EXACT = re.compile(rf"==({_V})|=({_V})=({_V})|([0-9][^=*,|<>!~\s]*)\s+(\S+)")  # ==v, =v=build, "v build"
_SPEC = re.compile(r"(?:(?P<channel>[^:\s]+)::)?(?P<name>[A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*(?P<spec>.*)")


def parse(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    tool = cmd.program
    if tool not in PROGRAMS:
        return None
    line = read_line(cmd, OPTIONS, depth=2)
    if not line.verbs:
        return None
    action = ACTIONS.get(line.verbs[0].value or "")
    verbs, operands = line.verbs[:1], line.verbs[1:] + line.operands
    if action == "env":
        action = ENV_ACTIONS.get(line.verbs[1].value or "") if len(line.verbs) > 1 else None
        verbs, operands = line.verbs, line.operands
    if action is None:
        return None
    args = line.args
    packages = tuple(package(w) for w in operands) if action in ("install", "create", "upgrade") else ()
    files = values(args, "file")
    env_command = len(verbs) > 1
    # conda env create/update never asks; CONDA_ALWAYS_YES answers for the others
    assume_yes = args.has("yes") or env_command or is_truthy(cmd.env("CONDA_ALWAYS_YES"))
    cache = cache_state(cmd, instr, later, dirs=(cmd.env("CONDA_PKGS_DIRS"),), suffixes=("/pkgs",),
                        cleans=_cleans)
    return PackageCommand(
        manager="conda", tool=tool, ecosystem="conda", action=action,
        subcommand=" ".join(w.value or "" for w in verbs), command=cmd, instr=instr, verb=verbs[-1], args=args,
        packages=packages, requirement_files=files, index_urls=values(args, "channel"), assume_yes=assume_yes,
        cache=cache, flags_span=flags_span(instr, args),
    )


def _cleans(other: Command) -> bool:
    """``conda clean -a`` / ``--all`` / ``-t`` / ``--tarballs`` / ``-p`` (removes the package cache)."""
    if other.program not in PROGRAMS or "clean" not in other.args:
        return False
    args = other.arguments(OPTIONS)
    return args.has("all", "tarballs", "packages", "p")


def package(word: Word) -> Package:
    """A MatchSpec: ``numpy==1.26.4`` and ``numpy=1.26.4=py311h`` exact; ``numpy=1.26`` (fuzzy:
    1.26.*) and ``numpy>=1.26`` ranges; a bare name unpinned; a URL or a ``.conda``/``.tar.bz2`` file."""
    text = word.value
    if not text:
        return unknown(word)
    if "://" in text:
        return Package(word, text, None, URL, url=text, span=word.span)
    if text.endswith((".conda", ".tar.bz2")) or text.startswith(("/", "./", "../")):
        return Package(word, text, None, LOCAL, span=word.span)
    match = _SPEC.fullmatch(text.strip())
    if match is None:
        return unknown(word)
    name, spec = match.group("name"), match.group("spec").strip()
    if not spec:
        return Package(word, text, name, UNPINNED, span=word.span)
    exact = _EXACT.fullmatch(spec)
    if exact is not None:
        version = exact.group(1) or exact.group(2) or exact.group(4)
        return Package(word, text, name, EXACT, version, spec, span=word.span)
    if re.fullmatch(r"[=<>!~]=?[^\s]*|[0-9][^\s]*", spec):
        return Package(word, text, name, RANGE, None, spec, span=word.span)
    return unknown(word)
