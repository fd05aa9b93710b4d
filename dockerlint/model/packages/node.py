"""npm, yarn, pnpm: ``npm install -g pkg@1.2.3``, ``npm ci``, ``yarn add pkg@^1``, ``pnpm add``."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dockerlint.model.options import OptionSpec
from dockerlint.model.packages.common import URL_SCHEME, cache_state, flags_span, read_line, unknown, values
from dockerlint.model.packages.types import EXACT, LOCAL, RANGE, UNPINNED, URL, VCS, Package, PackageCommand
from dockerlint.model.shell import Command, Word

if TYPE_CHECKING:
    from dockerlint.model.dockerfile import Instr

# npm's, yarn's and pnpm's options that take a value (npm help config, yarn --help, pnpm --help).
OPTIONS = OptionSpec("wC", frozenset({
    "prefix", "registry", "cache", "userconfig", "globalconfig", "workspace", "omit", "include",
    "tag", "loglevel", "only", "cache-folder", "modules-folder", "network-timeout", "mutex", "cwd",
    "dir", "filter", "store-dir", "virtual-store-dir", "global-dir", "reporter", "install-links-not",
    "script-shell", "proxy", "https-proxy", "ca", "cafile", "otp", "link-folder", "global-folder",
    "network-concurrency", "child-concurrency", "lockfile-dir", "config"}),
    long_names={"w": "workspace", "g": "global", "C": "dir", "D": "save-dev", "P": "save-prod",
                "E": "save-exact", "S": "save", "f": "force", "y": "yes"})
ACTIONS = {
    "npm": {"install": "install", "i": "install", "in": "install", "add": "install", "isntall": "install",
            "ci": "ci", "clean-install": "ci", "install-clean": "ci", "update": "upgrade", "up": "upgrade",
            "upgrade": "upgrade", "uninstall": "remove", "remove": "remove", "rm": "remove", "un": "remove",
            "cache": "cache"},
    "yarn": {"install": "install", "add": "add", "global": "global", "upgrade": "upgrade", "up": "upgrade",
             "remove": "remove", "cache": "cache"},
    "pnpm": {"install": "install", "i": "install", "add": "add", "update": "upgrade", "up": "upgrade",
             "remove": "remove", "rm": "remove", "store": "cache"},
}
_VCS = re.compile(r"(git\+[a-z]+://|git://|github:|gitlab:|bitbucket:|gist:)", re.IGNORECASE)
_SEMVER = re.compile(r"v?[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
_RANGE = re.compile(r"[\^~<>=]|[0-9x*]+(\.[0-9x*]+)*$|.* - .*|.*\|\|.*")
_NAME = re.compile(r"(@[a-z0-9][\w.-]*/)?[a-z0-9][\w.-]*", re.IGNORECASE)
_CACHE = {"npm": "/.npm", "yarn": "/.cache/yarn", "pnpm": "/.local/share/pnpm/store"}


def parse(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    tool = cmd.program or ""
    actions = ACTIONS.get(tool)
    if actions is None:
        return None
    line = read_line(cmd, OPTIONS, depth=2)
    if not line.verbs:
        return None
    action = actions.get(line.verbs[0].value or "")
    verbs, operands = line.verbs[:1], line.verbs[1:] + line.operands
    second = line.verbs[1].value if len(line.verbs) > 1 else None
    if action == "global":  # yarn global add
        action = {"add": "add", "remove": "remove", "upgrade": "upgrade"}.get(second or "")
        verbs, operands = line.verbs, line.operands
    elif action == "cache":  # npm cache clean, yarn cache clean, pnpm store prune
        action = "clean" if second in ("clean", "prune") else None
        verbs, operands = line.verbs, line.operands
    if action is None:
        return None
    args = line.args
    packages = tuple(package(w) for w in operands) if action in ("install", "add", "upgrade") else ()
    dirs = [a.value for a in args.values("cache", "cache-folder", "store-dir")]
    dirs += [cmd.env("NPM_CONFIG_CACHE" if tool == "npm" else "YARN_CACHE_FOLDER")]
    if tool == "yarn":
        dirs.append("/usr/local/share/.cache/yarn")  # yarn 1's cache for root
    cache = cache_state(cmd, instr, later, dirs=dirs, suffixes=(_CACHE[tool],),
                        cleans=lambda c: c.program == tool and _is_clean(c))
    return PackageCommand(
        manager=tool, tool=tool, ecosystem="npm", action=action,
        subcommand=" ".join(w.value or "" for w in verbs), command=cmd, instr=instr, verb=verbs[-1], args=args,
        packages=packages, index_urls=values(args, "registry"), assume_yes=True, cache=cache,
        flags_span=flags_span(instr, args),
    )


def _is_clean(cmd: Command) -> bool:
    words = [a for a in cmd.args if a and not a.startswith("-")]
    return words[:2] in (["cache", "clean"], ["store", "prune"])


def package(word: Word) -> Package:
    """``pkg@1.2.3`` exact; ``pkg@^1.2`` a range; ``pkg`` or ``pkg@latest`` (a dist-tag) unpinned;
    git URLs and ``github:org/repo`` with ``#ref`` vcs; tarball URLs url; paths local."""
    text = word.value
    if not text:
        return unknown(word)
    if text.startswith((".", "/", "~", "file:")) or text.endswith((".tgz", ".tar.gz", ".tar")):
        return Package(word, text, None, LOCAL, span=word.span)
    if _VCS.match(text) or re.fullmatch(r"[\w.-]+/[\w.-]+(#.+)?", text):
        ref = text.partition("#")[2]
        return Package(word, text, None, VCS if ref else UNPINNED, ref or None, url=text, span=word.span)
    if URL_SCHEME.match(text):
        return Package(word, text, None, URL, url=text, span=word.span)
    at = text.find("@", 1)  # a scope's @ comes first
    name, spec = (text, "") if at == -1 else (text[:at], text[at + 1:])
    if not _NAME.fullmatch(name):
        return unknown(word)
    if not spec:
        return Package(word, text, name, UNPINNED, span=word.span)
    if spec.startswith("npm:"):  # an alias: name@npm:other@1.2
        return package(word._replace(value=spec[4:]))._replace(word=word, text=text)
    if _SEMVER.fullmatch(spec) or _SEMVER.fullmatch(spec.lstrip("=")):
        return Package(word, text, name, EXACT, spec.lstrip("=v"), spec, span=word.span)
    if _RANGE.match(spec):
        return Package(word, text, name, RANGE, None, spec, span=word.span)
    return Package(word, text, name, UNPINNED, None, spec, span=word.span)  # a dist-tag: latest, next
