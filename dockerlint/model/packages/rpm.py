"""The RPM family: yum, dnf, microdnf, zypper and rpm itself."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dockerlint.model.options import OptionSpec
from dockerlint.model.packages.common import URL_SCHEME, cache_state, flags_span, read_line, unknown
from dockerlint.model.packages.types import EXACT, LOCAL, RANGE, UNPINNED, URL, Package, PackageCommand
from dockerlint.model.shell import Command, Word

if TYPE_CHECKING:
    from dockerlint.model.dockerfile import Instr

# yum(8), dnf(8), microdnf(8): options that take a value (microdnf writes them --opt=value).
DNF_OPTIONS = OptionSpec("cdexR", frozenset({
    "config", "debuglevel", "errorlevel", "exclude", "excludepkgs", "installroot", "enablerepo",
    "disablerepo", "repo", "repoid", "setopt", "releasever", "color", "downloaddir", "destdir",
    "rpmverbosity", "disableplugin", "enableplugin", "forcearch", "comment", "advisory", "advisories",
    "bz", "bzs", "cve", "cves", "sec-severity", "secseverity", "repofrompath", "disableexcludes",
    "randomwait", "setvar", "use-host-config", "from-repo", "what"}),
    long_names={"y": "assumeyes", "q": "quiet", "c": "config", "x": "exclude", "C": "cacheonly"})
DNF_ACTIONS = {
    "install": "install", "in": "install", "reinstall": "install", "localinstall": "install",
    "groupinstall": "install", "remove": "remove", "erase": "remove", "rm": "remove",
    "autoremove": "autoremove", "groupremove": "remove", "update": "upgrade", "upgrade": "upgrade",
    "up": "upgrade", "distro-sync": "dist-upgrade", "dsync": "dist-upgrade", "makecache": "update",
    "check-update": "update", "clean": "clean", "download": "download", "builddep": "build-dep",
    "module": "module", "group": "group",
}
CACHE_DIRS = {"yum": ("/var/cache/yum",), "dnf": ("/var/cache/dnf", "/var/cache/libdnf5"),
              "microdnf": ("/var/cache/yum",)}

# zypper(8): global options and those of install/remove/update that take a value.
ZYPPER_OPTIONS = OptionSpec("cRDCpxrt", frozenset({
    "config", "root", "installroot", "reposd-dir", "cache-dir", "raw-cache-dir", "solv-cache-dir",
    "pkg-cache-dir", "plus-repo", "plus-content", "userdata", "repo", "type", "from", "download",
    "auto-agree-with-product-licenses-not", "name", "capability"}),
    long_names={"n": "non-interactive", "y": "no-confirm", "c": "config", "R": "root", "C": "cache-dir",
                "D": "reposd-dir", "p": "plus-repo", "r": "repo", "t": "type", "q": "quiet",
                "l": "auto-agree-with-licenses"})
ZYPPER_ACTIONS = {
    "install": "install", "in": "install", "remove": "remove", "rm": "remove", "update": "upgrade",
    "up": "upgrade", "dist-upgrade": "dist-upgrade", "dup": "dist-upgrade", "patch": "upgrade",
    "refresh": "update", "ref": "update", "clean": "clean", "cc": "clean", "addrepo": "add-repo",
    "ar": "add-repo", "source-install": "build-dep", "si": "build-dep",
}
ZYPPER_CACHE = "/var/cache/zypp"

# rpm(8): the mode is an option; these take a value.
RPM_OPTIONS = OptionSpec("rD", frozenset({
    "root", "dbpath", "define", "prefix", "relocate", "excludepath", "rcfile", "macros", "eval",
    "pipe", "predefine", "undefine"}),
    long_names={"i": "install", "U": "upgrade", "F": "freshen", "e": "erase", "D": "define", "r": "root"})
_RPM_MODES = {"install": "install", "upgrade": "install", "freshen": "upgrade", "erase": "remove"}

# name-version[-release][.arch], or name-epoch:version-release: a `-` followed by a digit
_NEVRA = re.compile(r"(?P<name>[A-Za-z0-9_.+]+(?:-[A-Za-z_+][A-Za-z0-9_.+]*)*)-(?P<version>[0-9][A-Za-z0-9_.:~^+-]*)")
_NAME = re.compile(r"[A-Za-z0-9_.+-]+")
_ZYPPER_OP = re.compile(r"(?P<name>[A-Za-z0-9_.+-]+?)\s*(?P<op><=|>=|=|<|>)\s*(?P<version>\S+)")


def parse_dnf(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    tool = cmd.program
    if tool is None:
        return None
    manager = "microdnf" if tool == "microdnf" else "yum" if tool == "yum" else "dnf"
    line = read_line(cmd, DNF_OPTIONS, depth=2)
    if not line.verbs:
        return None
    verb = line.verbs[0]
    action = DNF_ACTIONS.get(verb.value or "")
    if action is None:
        return None
    operands = line.operands
    verbs = line.verbs[:1]
    if action in ("module", "group") and len(line.verbs) == 2:  # dnf module install, dnf group install
        sub = line.verbs[1].value or ""
        action = {"install": "install", "remove": "remove", "update": "upgrade", "upgrade": "upgrade",
                  "enable": "enable", "reset": "reset", "disable": "disable"}.get(sub, sub)
        verbs = line.verbs
    else:
        operands = line.verbs[1:] + operands
    args = line.args
    group = verb.value in ("groupinstall", "groupremove", "group")
    packages = tuple(rpm_package(w, group) for w in operands) if action == "install" else ()

    def cleaned(other: Command) -> bool:  # `yum clean all` (hadolint DL3032/DL3040 ask for `all`)
        # yum and dnf clean each other's caches (yum is dnf on EL8+); microdnf keeps its own.
        return other.program in PROGRAMS and other.program not in ("zypper", "rpm") \
            and (other.program == "microdnf") == (tool == "microdnf") \
            and "clean" in other.args and "all" in other.args

    cache = cache_state(cmd, instr, later, dirs=CACHE_DIRS[manager], cleans=cleaned)
    return PackageCommand(
        manager=manager, tool=tool, ecosystem="rpm", action=action,
        subcommand=" ".join(w.value or "" for w in verbs), command=cmd, instr=instr, verb=verbs[-1],
        args=args, packages=packages, assume_yes=args.has("assumeyes"),  # microdnf 3.9+ asks too
        cache=cache, flags_span=flags_span(instr, args),
    )


def parse_zypper(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    if cmd.program != "zypper":
        return None
    line = read_line(cmd, ZYPPER_OPTIONS)
    verb = line.verb
    action = ZYPPER_ACTIONS.get(verb.value or "") if verb is not None else None
    if action is None:
        return None
    args = line.args
    packages = tuple(zypper_package(w) for w in line.operands) if action == "install" else ()

    def cleaned(other: Command) -> bool:
        return other.program == "zypper" and any(a in ("clean", "cc") for a in other.args)

    cache_dir = [a.value for a in args.values("cache-dir")]
    cache = cache_state(cmd, instr, later, dirs=(*cache_dir, ZYPPER_CACHE), cleans=cleaned)
    return PackageCommand(
        manager="zypper", tool="zypper", ecosystem="rpm", action=action, subcommand=line.subcommand,
        command=cmd, instr=instr, verb=verb, args=args, packages=packages,
        assume_yes=args.has("non-interactive", "no-confirm"), cache=cache, flags_span=flags_span(instr, args),
    )


def parse_rpm(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    if cmd.program != "rpm":
        return None
    args = cmd.arguments(RPM_OPTIONS)
    modes = [a for a in args.options if a.option in _RPM_MODES]
    if not modes:
        return None
    action = _RPM_MODES[modes[0].option or ""]
    packages = tuple(rpm_package(w) for w in args.operands) if action == "install" else ()
    return PackageCommand(
        manager="rpm", tool="rpm", ecosystem="rpm", action=action, subcommand="", command=cmd,
        instr=instr, verb=None, args=args, packages=packages, assume_yes=True,
        flags_span=flags_span(instr, args),
    )


def rpm_package(word: Word, group: bool = False) -> Package:
    """``pkg-1.2-3.el9`` exact (``*`` in it: range); ``x.rpm`` local; a URL url; ``@group`` or a
    pattern unknown; a name unpinned. A name is not a version: ``python3-devel`` is unpinned."""
    text = word.value
    if not text:
        return unknown(word)
    if URL_SCHEME.match(text):
        return Package(word, text, None, URL, url=text, span=word.span)
    if text.endswith(".rpm") or text.startswith(("/", "./", "../")):
        return Package(word, text, None, LOCAL, span=word.span)
    if group or text.startswith("@") or not _NAME.fullmatch(text.replace("*", "")):
        return unknown(word)
    match = _NEVRA.fullmatch(text)
    if match is not None:
        version = match.group("version")
        if "*" in version:
            return Package(word, text, match.group("name"), RANGE, None, "-" + version, span=word.span)
        return Package(word, text, match.group("name"), EXACT, version, "-" + version, span=word.span)
    if "*" in text:
        return unknown(word)
    return Package(word, text, text, UNPINNED, span=word.span)


def zypper_package(word: Word) -> Package:
    """zypper also reads ``pkg=1.2`` (exact) and ``pkg>=1.2`` / ``'pkg < 2'`` (ranges)."""
    text = word.value
    if text:
        match = _ZYPPER_OP.fullmatch(text)
        if match is not None:
            op, version = match.group("op"), match.group("version")
            pin = EXACT if op == "=" else RANGE
            return Package(word, text, match.group("name"), pin, version if pin == EXACT else None,
                           op + version, span=word.span)
    return rpm_package(word)


PROGRAMS = {"yum": parse_dnf, "dnf": parse_dnf, "dnf5": parse_dnf, "dnf4": parse_dnf, "tdnf": parse_dnf,
            "microdnf": parse_dnf, "zypper": parse_zypper, "rpm": parse_rpm}
