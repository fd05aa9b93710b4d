"""Python package managers: pip (pip3, python -m pip), uv, pipx, poetry, pipenv, pdm.

Requirements are read as pip reads them, with ``packaging`` (PEP 508/440):
``torch==2.3.1`` exact, ``numpy>=1.26`` a range, ``name @ https://...`` a
URL, ``git+https://...@v1.2`` VCS with a ref. With constraint files or
``--require-hashes`` a bare name is ``unknown``: the file may pin it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from dockerlint.model.options import Arguments, OptionSpec
from dockerlint.model.packages.common import (
    BOOL_WORDS,
    TRUE_WORDS,
    URL_SCHEME,
    cache_state,
    flags_span,
    is_truthy,
    joined_span,
    read_line,
    values,
)
from dockerlint.model.packages.requirement import canonical_name, parse_requirement
from dockerlint.model.packages.types import (
    EXACT,
    LOCAL,
    RANGE,
    UNKNOWN,
    UNPINNED,
    URL,
    VCS,
    CacheState,
    Package,
    PackageCommand,
)
from dockerlint.model.shell import Command, Word

if TYPE_CHECKING:
    from dockerlint.model.dockerfile import Instr

# pip's and uv's options that take a value (pip install --help, pip --help, uv pip install --help).
PIP_OPTIONS = OptionSpec("rceiftCbpP", frozenset({
    "requirement", "constraint", "editable", "index-url", "extra-index-url", "find-links",
    "target", "prefix", "root", "src", "platform", "python-version", "implementation", "abi",
    "no-binary", "only-binary", "progress-bar", "upgrade-strategy", "global-option",
    "config-settings", "install-option", "build-option", "report", "root-user-action", "group",
    "build", "proxy", "retries", "timeout", "exists-action", "trusted-host", "cert", "client-cert",
    "cache-dir", "log", "log-file", "python", "keyring-provider", "use-feature",
    "use-deprecated", "resume-retries",
    # uv
    "override", "overrides", "index", "default-index", "index-strategy", "python-platform",
    "resolution", "prerelease", "torch-backend", "link-mode", "exclude-newer",
    "reinstall-package", "upgrade-package", "refresh-package", "build-constraint",
    "build-constraints", "extra", "no-build-isolation-package", "config-setting", "directory",
    "project", "config-file", "color", "fork-strategy", "allow-insecure-host",
    "no-binary-package", "only-binary-package", "with", "with-editable", "with-requirements",
    "package", "env-file", "optional", "dev-group", "only-group", "no-group", "output-file", "o",
}), long_names={"r": "requirement", "c": "constraint", "e": "editable", "i": "index-url",
                "f": "find-links", "t": "target", "C": "config-settings", "b": "build",
                "p": "python", "P": "upgrade-package", "U": "upgrade", "q": "quiet",
                "v": "verbose", "I": "ignore-installed", "n": "no-cache", "y": "yes"})
# python(1): the options before `-m MODULE` (-c CMD, -W ARG and -X OPT take a value).
PYTHON_OPTIONS = OptionSpec("cmWX", posix=True)
# poetry, pipenv, pdm, pipx: their options that take a value.
TOOL_OPTIONS = OptionSpec("CGEPpgLs", frozenset({
    "directory", "project", "group", "only", "without", "with", "extras", "source", "python",
    "index-url", "pip-args", "suffix", "spec", "extra-index-url", "pypi-mirror", "categories",
    "lockfile", "venv", "global-project", "editable", "dev-group", "requirements", "include-deps",
}), long_names={"C": "directory", "G": "group", "E": "extras", "e": "editable", "v": "verbose",
                "q": "quiet", "n": "no-interaction", "d": "dev", "D": "dev", "g": "global"})

_PIP = re.compile(r"pip[0-9.]*")
_PYTHON = re.compile(r"python[0-9.]*")
_VCS = re.compile(r"(git|hg|svn|bzr)\+[a-z+]+://|git://", re.IGNORECASE)
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip", ".egg")

PIP_ACTIONS = {"install": "install", "uninstall": "remove", "download": "download", "wheel": "wheel",
               "cache": "cache"}
UV_ACTIONS = {"add": "add", "remove": "remove", "sync": "sync", "lock": "lock", "pip": "pip", "tool": "tool",
              "cache": "cache", "export": "lock"}
UV_PIP_ACTIONS = {"install": "install", "uninstall": "remove", "sync": "sync", "compile": "lock"}
TOOL_ACTIONS = {
    "poetry": {"install": "install", "add": "add", "lock": "lock", "update": "upgrade", "remove": "remove",
               "sync": "sync"},
    "pipenv": {"install": "install", "sync": "sync", "lock": "lock", "update": "upgrade",
               "uninstall": "remove", "upgrade": "upgrade"},
    "pdm": {"install": "install", "add": "add", "sync": "sync", "lock": "lock", "update": "upgrade",
            "remove": "remove"},
    "pipx": {"install": "install", "inject": "add", "upgrade": "upgrade", "uninstall": "remove",
             "reinstall": "install", "install-all": "install"},
}
_NO_CACHE_FLAGS = {"pip": ("no-cache-dir",), "uv": ("no-cache", "no-cache-dir")}
_NO_CACHE_ENV = {"pip": ("PIP_NO_CACHE_DIR", BOOL_WORDS), "uv": ("UV_NO_CACHE", TRUE_WORDS)}
_CACHE_DIR_ENV = {"pip": "PIP_CACHE_DIR", "uv": "UV_CACHE_DIR"}


def parse_pip(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    """pip, pip3, pip3.11, ``python3 -m pip``."""
    program = cmd.program or ""
    start: int | None = 1
    tool = program
    if _PYTHON.fullmatch(program):
        start, tool = _after_dash_m_pip(cmd), "pip"
    elif not _PIP.fullmatch(program):
        return None
    if start is None:
        return None
    line = read_line(cmd, PIP_OPTIONS, start, depth=2)
    if not line.verbs:
        return None
    action = PIP_ACTIONS.get(line.verbs[0].value or "")
    if action is None:
        return None
    verbs, operands = line.verbs[:1], line.verbs[1:] + line.operands
    if action == "cache":  # pip cache purge|remove
        if len(line.verbs) < 2 or line.verbs[1].value not in ("purge", "remove"):
            return None
        action, verbs, operands = "clean", line.verbs, line.operands
    return _pip_like(cmd, instr, later, "pip", tool, action, verbs, operands, line.args)


def parse_uv(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    """``uv pip install``, ``uv add``, ``uv sync``, ``uv lock``, ``uv tool install``, ``uv cache clean``."""
    if cmd.program != "uv":
        return None
    line = read_line(cmd, PIP_OPTIONS, depth=2)
    if not line.verbs:
        return None
    action = UV_ACTIONS.get(line.verbs[0].value or "")
    verbs, operands = line.verbs[:1], line.verbs[1:] + line.operands
    second = line.verbs[1].value if len(line.verbs) > 1 else None
    if action == "pip":
        action = UV_PIP_ACTIONS.get(second or "")
        verbs, operands = line.verbs, line.operands
    elif action == "tool":
        action = {"install": "install", "upgrade": "upgrade", "uninstall": "remove"}.get(second or "")
        verbs, operands = line.verbs, line.operands
    elif action == "cache":
        action = "clean" if second in ("clean", "prune") else None
        verbs, operands = line.verbs, line.operands
    if action is None:
        return None
    return _pip_like(cmd, instr, later, "uv", "uv", action, verbs, operands, line.args)


def parse_tool(cmd: Command, instr: Instr, later: Sequence[Command]) -> PackageCommand | None:
    """poetry, pipenv, pdm and pipx: project (lock file) tools; ``add``/``install NAME`` name packages."""
    tool = cmd.program or ""
    actions = TOOL_ACTIONS.get(tool)
    if actions is None:
        return None
    line = read_line(cmd, TOOL_OPTIONS)
    verb = line.verb
    action = actions.get(verb.value or "") if verb is not None else None
    if action is None:
        return None
    args = line.args
    words = line.operands
    if tool == "pipx" and action == "add":
        words = words[1:]  # pipx inject VENV PACKAGE...
    packages = tuple(poetry_package(w) if tool == "poetry" else pypi_package(w) for w in words) \
        if action in ("install", "add", "upgrade") else ()
    packages += tuple(pypi_package(w, is_option_value=True) for w in values(args, "spec"))
    files = values(args, "requirements") if tool == "pipenv" else ()
    cache = None
    if tool == "poetry":
        cache = cache_state(cmd, instr, later, flag=args.has("no-cache"), dirs=(cmd.env("POETRY_CACHE_DIR"),),
                            suffixes=("/.cache/pypoetry", "/.cache"),
                            cleans=lambda c: c.program == "poetry" and c.args[:2] == ("cache", "clear"))
    return PackageCommand(
        manager=tool, tool=tool, ecosystem="pypi", action=action, subcommand=line.subcommand, command=cmd,
        instr=instr, verb=verb, args=args, packages=packages, requirement_files=files,
        index_urls=values(args, "index-url", "source", "pypi-mirror"),
        extra_index_urls=values(args, "extra-index-url"), assume_yes=True, cache=cache,
        flags_span=flags_span(instr, args),
    )


def _pip_like(cmd: Command, instr: Instr, later: Sequence[Command], manager: str, tool: str, action: str,
              verbs: tuple[Word, ...], operands: tuple[Word, ...], args: Arguments) -> PackageCommand:
    files: tuple[Word, ...] = values(args, "requirement")
    if manager == "uv" and action in ("sync", "lock"):
        files, operands = files + operands, ()  # uv pip sync requirements.txt
    constraints = values(args, "constraint", "build-constraint", "build-constraints", "override", "overrides")
    env_constraint = cmd.env("PIP_CONSTRAINT" if manager == "pip" else "UV_CONSTRAINT")
    hashes = args.has("require-hashes") or is_truthy(cmd.env("PIP_REQUIRE_HASHES"))
    open_ended = bool(constraints) or bool(env_constraint and env_constraint.strip()) or hashes
    packages: list[Package] = []
    editables: list[Package] = []
    if action in ("install", "add", "download", "wheel", "upgrade"):
        packages = _requirements(instr, operands)
        for option in args.values("editable", "with-editable"):
            word = option.value_word or option.word
            editable = pypi_package(word, is_option_value=True)
            if editable.pin == UNPINNED and not _VCS.match(editable.text or ""):
                editable = editable._replace(pin=LOCAL)  # -e takes a directory or a VCS URL, not an index name
            editables.append(editable)
        packages = sorted(packages + editables, key=lambda p: p.word.start)  # as written
        if open_ended:
            packages = [p._replace(pin=UNKNOWN) if p.pin == UNPINNED else p for p in packages]
    return PackageCommand(
        manager=manager, tool=tool, ecosystem="pypi", action=action,
        subcommand=" ".join(w.value or "" for w in verbs), command=cmd, instr=instr, verb=verbs[-1],
        args=args, packages=tuple(packages), requirement_files=files, constraint_files=constraints,
        editables=tuple(editables),
        index_urls=values(args, "index-url", "index", "default-index"),
        extra_index_urls=values(args, "extra-index-url", "find-links"),
        trusted_hosts=values(args, "trusted-host", "allow-insecure-host"),
        assume_yes=action != "remove" or args.has("yes") or manager == "uv",
        cache=_pip_cache(cmd, instr, later, manager, args), flags_span=flags_span(instr, args),
    )


def _pip_cache(cmd: Command, instr: Instr, later: Sequence[Command], manager: str, args: Arguments) -> CacheState:
    """pip reads PIP_NO_CACHE_DIR with strtobool and, for backward compatibility, disables the
    cache for *any* valid boolean, "0" and "false" included; uv reads UV_NO_CACHE as a boolean."""
    name, disabling = _NO_CACHE_ENV[manager]
    xdg = cmd.env("XDG_CACHE_HOME")
    dirs = [a.value for a in args.values("cache-dir")] + [cmd.env(_CACHE_DIR_ENV[manager])]
    dirs.append(f"{xdg.rstrip('/')}/{manager}" if xdg else None)

    def cleans(other: Command) -> bool:
        if manager == "pip":
            return bool(_PIP.fullmatch(other.program or "")) and other.args[:2] in (("cache", "purge"),)
        return other.program == "uv" and other.args[:2] in (("cache", "clean"), ("cache", "prune"))

    return cache_state(cmd, instr, later, flag=args.has(*_NO_CACHE_FLAGS[manager]),
                       env=is_truthy(cmd.env(name), disabling), dirs=dirs,
                       suffixes=(f"/.cache/{manager}", "/.cache"), cleans=cleans)


def _after_dash_m_pip(cmd: Command) -> int | None:
    """Index of the word after ``-m pip`` in a python command line; None if not ``-m pip``."""
    for arg in cmd.options(PYTHON_OPTIONS):
        if arg.option == "m":
            return arg.end if arg.value == "pip" else None
        if arg.option in (None, "c"):  # a script (python setup.py), or -c CODE
            return None
    return None


def _requirements(instr: Instr, words: Sequence[Word]) -> list[Package]:
    """The requirements of a command line; ``name @ URL`` written as three words is one."""
    out = []
    i = 0
    while i < len(words):
        word = words[i]
        if i + 2 < len(words) and words[i + 1].value == "@" and word.value:
            target = words[i + 2].value
            text = f"{word.value} @ {target}" if target is not None else None
            package = pypi_package(word, text)
            out.append(package._replace(span=joined_span(instr, words[i:i + 3])))
            i += 3
            continue
        out.append(pypi_package(word))
        i += 1
    return out


def pypi_package(word: Word, text: str | None = None, is_option_value: bool = False) -> Package:
    """One pip requirement argument (``text`` defaults to the word's value)."""
    text = word.value if text is None else text
    base = Package(word, text, None, UNKNOWN, is_option_value=is_option_value, span=word.span)
    if not text or not text.strip():
        return base._replace(text=None)
    stripped = text.strip()
    if _VCS.match(stripped):
        return _vcs(base, None, stripped)
    if URL_SCHEME.match(stripped) or stripped.startswith("file:"):
        return base._replace(pin=URL, url=stripped)
    req = parse_requirement(stripped)
    if req is None or not req.url:
        if stripped.startswith((".", "/", "~")) or "\\" in stripped or stripped.lower().endswith(_ARCHIVES) \
                or "/" in stripped:
            return base._replace(pin=LOCAL)
        if req is None:
            return base
    name = canonical_name(req.name)
    base = base._replace(name=name, extras=req.extras, marker=req.marker)
    if req.url:
        return _vcs(base, name, req.url) if _VCS.match(req.url) else base._replace(pin=URL, url=req.url)
    specs = req.specifiers
    if not specs:
        return base._replace(pin=UNPINNED)
    if all(op == "!=" for op, _ in specs):  # exclusions alone allow every new release
        return base._replace(pin=UNPINNED, specifier=req.specifier)
    if len(specs) == 1 and specs[0][0] in ("==", "===") and "*" not in specs[0][1]:
        return base._replace(pin=EXACT, version=specs[0][1], specifier=req.specifier)
    return base._replace(pin=RANGE, specifier=req.specifier)


def _vcs(base: Package, name: str | None, url: str) -> Package:
    """``git+https://host/org/repo@v1.2#egg=x`` has a ref; without one it follows a branch."""
    rest = url.split("://", 1)[-1].split("#", 1)[0]
    path = rest.split("/", 1)[1] if "/" in rest else ""
    ref = path.rsplit("@", 1)[1] if "@" in path else ""
    if name is None:
        egg = re.search(r"[#&]egg=([A-Za-z0-9._-]+)", url)
        if egg:
            name = canonical_name(egg.group(1))
    if ref:
        return base._replace(name=name, pin=VCS, version=ref, url=url)
    return base._replace(name=name, pin=UNPINNED, url=url)


def poetry_package(word: Word) -> Package:
    """``poetry add name@^1.2`` (poetry's constraint syntax), ``name==1.2``, ``name@latest``."""
    text = word.value
    if text and "@" in text and not URL_SCHEME.match(text) and not text.startswith(("git@", "@")):
        name, _, constraint = text.partition("@")
        base = pypi_package(word, name)
        if base.pin != UNPINNED:
            return base._replace(text=text, pin=UNKNOWN)
        constraint = constraint.strip()
        if constraint == "latest" or not constraint:
            return base._replace(text=text)
        if re.fullmatch(r"=?=?\s*[0-9][0-9A-Za-z.+!-]*", constraint):
            version = constraint.lstrip("= ")
            return base._replace(text=text, pin=EXACT, version=version, specifier=constraint)
        return base._replace(text=text, pin=RANGE, specifier=constraint)
    return pypi_package(word)


PROGRAMS = {"uv": parse_uv, "poetry": parse_tool, "pipenv": parse_tool, "pdm": parse_tool, "pipx": parse_tool}


def parser_for(program: str):
    """pip3.11 and python3 are families of names; the rest are exact."""
    if program in PROGRAMS:
        return PROGRAMS[program]
    if _PIP.fullmatch(program) or _PYTHON.fullmatch(program):
        return parse_pip
    return None
