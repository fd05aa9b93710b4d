"""apt-get, apt and aptitude (Debian, Ubuntu): ``apt-get install -y --no-install-recommends curl=7.88.1-10``."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dockerlint.model.options import OptionSpec
from dockerlint.model.packages.common import cache_state, flags_span, read_line, unknown
from dockerlint.model.packages.types import EXACT, LOCAL, RANGE, UNPINNED, Package, PackageCommand
from dockerlint.model.shell import Command, Word

if TYPE_CHECKING:
    from dockerlint.model.dockerfile import Instr

# apt-get(8): -o, -c, -t, -a take a value; -q=2 is written attached.
OPTIONS = OptionSpec("octa", frozenset({
    "option", "config-file", "target-release", "default-release", "host-architecture"}),
    long_names={"y": "yes", "t": "target-release", "o": "option", "c": "config-file",
                "a": "host-architecture", "q": "quiet", "f": "fix-broken", "m": "ignore-missing"})
PROGRAMS = frozenset({"apt-get", "apt", "aptitude"})
ACTIONS = {
    "install": "install", "reinstall": "install", "remove": "remove", "purge": "purge",
    "autoremove": "autoremove", "autopurge": "autoremove", "update": "update", "upgrade": "upgrade",
    "safe-upgrade": "upgrade", "dist-upgrade": "dist-upgrade", "full-upgrade": "dist-upgrade",
    "clean": "clean", "autoclean": "clean", "build-dep": "build-dep", "source": "source",
    "download": "download", "satisfy": "install", "dist-clean": "clean",
}
LISTS = "/var/lib/apt/lists"
_NAME = re.compile(r"[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?")


def parse(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    tool = cmd.program
    if tool not in PROGRAMS:
        return None
    line = read_line(cmd, OPTIONS)
    verb = line.verb
    action = ACTIONS.get(verb.value or "") if verb is not None else None
    if action is None:
        return None
    args = line.args
    settings = [(a.value or "").lower().replace(" ", "") for a in args.values("option")]
    quiet = [(a.value or "").lstrip("=") if a.value is not None else None for a in args.values("quiet")]
    quiet_level = sum(1 if v is None else int(v) if v.isdigit() else 0 for v in quiet)
    assume_yes = (args.has("yes", "assume-yes", "force-yes") or quiet_level >= 2 or action == "update"
                  or any(s.startswith("apt::get::assume-yes=") and s.split("=", 1)[1] in ("1", "true", "yes")
                         for s in settings))
    no_recommends = args.has("no-install-recommends") or any(
        s in ("apt::install-recommends=false", "apt::install-recommends=0") for s in settings)
    packages = tuple(package(w) for w in line.operands) if action in ("install", "build-dep", "download") else ()
    cache = cache_state(cmd, instr, later, dirs=(LISTS,), cleans=_dist_clean)
    return PackageCommand(
        manager="apt", tool=tool, ecosystem="deb", action=action, subcommand=line.subcommand,
        command=cmd, instr=instr, verb=verb, args=args, packages=packages, assume_yes=assume_yes,
        no_install_recommends=no_recommends, cache=cache, flags_span=flags_span(instr, args),
    )


def _dist_clean(cmd: Command) -> bool:
    """``apt-get dist-clean`` (apt 2.7+, Debian trixie's images) removes the lists too."""
    return cmd.program in PROGRAMS and "dist-clean" in cmd.args


def package(word: Word) -> Package:
    """``pkg=1.2`` exact; ``pkg/bookworm`` a release (range, as hadolint accepts it); ``./x.deb``
    local; a name unpinned; a pattern, a ``pkg-`` (remove) or anything unresolvable unknown."""
    text = word.value
    if not text:
        return unknown(word)
    if text.endswith(".deb") or text.startswith(("/", "./", "../")):
        return Package(word, text, None, LOCAL, span=word.span)
    name, eq, version = text.partition("=")
    if eq:
        if not _NAME.fullmatch(name) or not version:
            return unknown(word)
        pin = RANGE if "*" in version else EXACT
        return Package(word, text, name, pin, version if pin == EXACT else None, "=" + version, span=word.span)
    name, slash, release = text.partition("/")
    if slash:
        if not _NAME.fullmatch(name) or not release:
            return unknown(word)
        return Package(word, text, name, RANGE, None, "/" + release, span=word.span)
    if text.endswith("-") or not _NAME.fullmatch(text):
        return unknown(word)  # `pkg-` removes pkg; `python3-*` is a pattern
    return Package(word, text, text, UNPINNED, span=word.span)
