"""Language toolchains that install packages: gem, go, cargo."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dockerlint.model.options import OptionSpec
from dockerlint.model.packages.common import cache_state, flags_span, option_word_value, read_line, unknown, values
from dockerlint.model.packages.types import EXACT, LOCAL, RANGE, UNPINNED, VCS, Package, PackageCommand
from dockerlint.model.shell import Command, Word

if TYPE_CHECKING:
    from dockerlint.model.dockerfile import Instr

# gem install --help: options that take a value.
GEM_OPTIONS = OptionSpec("viNsp", frozenset({
    "version", "platform", "install-dir", "bindir", "document", "build-root", "source", "proxy",
    "config-file", "target-rbconfig", "format-executable-not", "env-shebang-not", "trust-policy",
    "lock-not", "file", "only-executable-not", "suggestions-not"}),
    long_names={"v": "version", "i": "install-dir", "n": "bindir", "N": "no-document", "s": "source",
                "p": "http-proxy", "g": "file"})
GEM_ACTIONS = {"install": "install", "i": "install", "update": "upgrade", "uninstall": "remove"}
# go help build/install: flags taking a value (go uses one dash for long names).
GO_OPTIONS = OptionSpec("Cop", frozenset({
    "C", "o", "p", "asmflags", "buildmode", "buildvcs", "compiler", "gccgoflags", "gcflags",
    "installsuffix", "ldflags", "mod", "modfile", "overlay", "pgo", "pkgdir", "tags", "toolexec", "exec"}),
    single_dash=frozenset({
        "asmflags", "buildmode", "buildvcs", "compiler", "gccgoflags", "gcflags", "installsuffix",
        "ldflags", "mod", "modfile", "overlay", "pgo", "pkgdir", "tags", "toolexec", "trimpath", "race",
        "msan", "asan", "cover", "linkshared", "modcacherw", "work", "json", "exec", "modcache", "cache",
        "testcache", "fuzzcache"}))
# `go run pkg@version` downloads and builds like `go install`: its package is judged the same way.
GO_ACTIONS = {"install": "install", "get": "add", "run": "install", "mod": "mod", "clean": "clean"}
# go help packages: patterns naming the main module's packages or tools (pinned by go.mod) or the toolchain's.
_GO_META = frozenset({"all", "std", "cmd", "tool"})
# cargo install --help: options that take a value.
CARGO_OPTIONS = OptionSpec("jZFp", frozenset({
    "version", "vers", "git", "branch", "tag", "rev", "path", "root", "index", "registry", "bin",
    "example", "features", "target", "target-dir", "jobs", "profile", "config", "color", "package"}),
    long_names={"j": "jobs", "F": "features", "f": "force", "q": "quiet", "v": "verbose"})
_GO_COMMIT = re.compile(r"[0-9a-f]{12,40}")
_GO_VERSION = re.compile(r"v[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.]+)?")
_VERSION = re.compile(r"=?\s*[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")


def parse_gem(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    if cmd.program != "gem":
        return None
    line = read_line(cmd, GEM_OPTIONS)
    verb = line.verb
    action = GEM_ACTIONS.get(verb.value or "") if verb is not None else None
    if action is None:
        return None
    args = line.args
    version = args.values("version")
    # gem install NAME -- --with-foo: the words after `--` are the extension's build flags, not gems.
    dashdash = next((i for i, w in enumerate(cmd.argv) if w.value == "--"), len(cmd.argv))
    before = {id(w) for w in cmd.argv[:dashdash]}
    operands = [w for w in line.operands if id(w) in before]
    packages = tuple(gem_package(w, version[-1] if version else None) for w in operands) \
        if action in ("install", "upgrade") else ()
    return PackageCommand(
        manager="gem", tool="gem", ecosystem="gem", action=action, subcommand=line.subcommand, command=cmd,
        instr=instr, verb=verb, args=args, packages=packages, index_urls=values(args, "source"),
        assume_yes=True, flags_span=flags_span(instr, args),
    )


def gem_package(word: Word, version) -> Package:
    """``gem install rails:7.1.3`` or ``-v 7.1.3`` exact, ``-v '~> 7.1'`` a range, a ``.gem`` local."""
    text = word.value
    if not text:
        return unknown(word)
    if text.endswith(".gem") or text.startswith(("/", "./", "../")):
        return Package(word, text, None, LOCAL, span=word.span)
    name, colon, pinned = text.partition(":")
    spec = pinned if colon else (version.value if version is not None else None)
    if colon or version is not None:
        if not spec:
            return Package(word, text, name, "unknown", span=word.span)
        if _VERSION.fullmatch(spec.strip()):
            exact = spec.strip().lstrip("= ")
            return Package(word, text, name, EXACT, exact, spec, span=word.span)
        return Package(word, text, name, RANGE, None, spec, span=word.span)
    return Package(word, text, name, UNPINNED, span=word.span)


def parse_go(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    if cmd.program != "go":
        return None
    line = read_line(cmd, GO_OPTIONS, depth=2)
    if not line.verbs:
        return None
    action = GO_ACTIONS.get(line.verbs[0].value or "")
    verbs, operands = line.verbs[:1], line.verbs[1:] + line.operands
    if action == "mod":  # go mod download
        action = "download" if len(line.verbs) > 1 and line.verbs[1].value == "download" else None
        verbs, operands = line.verbs, line.operands
    if action is None:
        return None
    args = line.args
    if action == "clean" and not args.has("modcache", "cache"):
        return None
    if line.verbs[0].value == "run":
        operands = operands[:1]  # go run pkg [arguments to the program]
    packages = tuple(go_package(w) for w in operands) if action in ("install", "add") else ()
    dirs = (cmd.env("GOMODCACHE"), f"{cmd.env('GOPATH')}/pkg/mod" if cmd.env("GOPATH") else None)
    cache = cache_state(cmd, instr, later, dirs=dirs, suffixes=("/go/pkg/mod", "/go/pkg", "/go"),
                        cleans=lambda c: c.program == "go" and "clean" in c.args and "-modcache" in c.args)
    return PackageCommand(
        manager="go", tool="go", ecosystem="go", action=action,
        subcommand=" ".join(w.value or "" for w in verbs), command=cmd, instr=instr, verb=verbs[-1],
        args=args, packages=packages, assume_yes=True, cache=cache, flags_span=flags_span(instr, args),
    )


def go_package(word: Word) -> Package:
    """``pkg@v1.2.3`` (or a commit) exact; ``@latest``/a branch unpinned; ``@v1``/``@>=v1.2`` a range;
    ``./cmd/x`` local; a path without ``@`` unpinned (its version comes from go.mod, if any)."""
    text = word.value
    if not text:
        return unknown(word)
    if text.startswith((".", "/")) or text in _GO_META or text.endswith(".go"):
        return Package(word, text, None, LOCAL, span=word.span)
    name, at, query = text.partition("@")
    if not at:
        return Package(word, text, name, UNPINNED, span=word.span)
    if _GO_VERSION.fullmatch(query) or _GO_COMMIT.fullmatch(query):
        return Package(word, text, name, EXACT, query, "@" + query, span=word.span)
    if re.fullmatch(r"[<>]=?v?[0-9].*|v[0-9]+(\.[0-9]+)?", query):
        return Package(word, text, name, RANGE, None, "@" + query, span=word.span)
    return Package(word, text, name, UNPINNED, None, "@" + query, span=word.span)  # latest, upgrade, a branch


def parse_cargo(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    if cmd.program != "cargo":
        return None
    line = read_line(cmd, CARGO_OPTIONS)
    verb = line.verb
    if verb is None or verb.value not in ("install", "uninstall", "fetch"):
        return None
    action = {"install": "install", "uninstall": "remove", "fetch": "download"}[verb.value or ""]
    args = line.args
    packages: tuple[Package, ...] = ()
    if action == "install":
        git = args.values("git")
        path = args.values("path")
        ref = option_word_value(args, "rev", "tag")
        if git:
            word = git[-1].value_word or git[-1].word
            url = git[-1].value
            named = [w.value for w in line.operands]
            packages = (Package(word, url, named[0] if len(named) == 1 else None, VCS if ref else UNPINNED,
                                ref, url=url, is_option_value=True, span=word.span),)
        elif path:
            word = path[-1].value_word or path[-1].word
            packages = (Package(word, path[-1].value, None, LOCAL, is_option_value=True, span=word.span),)
        else:
            version = option_word_value(args, "version", "vers")
            given = bool(args.values("version", "vers"))
            packages = tuple(cargo_package(w, version, given) for w in line.operands)
    cache = cache_state(cmd, instr, later, dirs=(f"{cmd.env('CARGO_HOME')}/registry" if cmd.env("CARGO_HOME")
                                                 else None,), suffixes=("/.cargo/registry", "/.cargo"))
    return PackageCommand(
        manager="cargo", tool="cargo", ecosystem="cargo", action=action, subcommand=line.subcommand,
        command=cmd, instr=instr, verb=verb, args=args, packages=packages,
        index_urls=values(args, "index", "registry"), assume_yes=True, cache=cache,
        flags_span=flags_span(instr, args),
    )


def cargo_package(word: Word, version: str | None, given: bool) -> Package:
    """``ripgrep@14.1.0`` or ``--version 14.1.0`` exact (cargo install reads a bare version as
    ``=``), ``--version '^14'`` a range."""
    text = word.value
    if not text:
        return unknown(word)
    name, at, spec = text.partition("@")
    if at:
        version, given = spec, True
    if not given:
        return Package(word, text, name, UNPINNED, span=word.span)
    if not version:
        return Package(word, text, name, "unknown", span=word.span)
    if _VERSION.fullmatch(version.strip()):
        return Package(word, text, name, EXACT, version.strip().lstrip("= "), version, span=word.span)
    return Package(word, text, name, RANGE, None, version, span=word.span)


PROGRAMS = {"gem": parse_gem, "go": parse_go, "cargo": parse_cargo}
