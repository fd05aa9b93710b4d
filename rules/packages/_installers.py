"""Reading package-manager command lines: which packages, which options.

One place that knows how ``apt-get`` and ``pip`` (also ``python -m pip`` and
``uv pip``) take their arguments, so the pin rules and the cache rule agree on
what an install is. Works on the model's shell ``Command``/``Word`` objects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

# -- option tables (from each tool's --help) -------------------------------------

# pip: global options and `install` options that take a value, plus uv's.
PIP_SHORT_VALUE = frozenset("rceiftCbpP")
PIP_LONG_VALUE = frozenset({
    # pip install
    "requirement", "constraint", "editable", "index-url", "extra-index-url", "find-links",
    "target", "prefix", "root", "src", "platform", "python-version", "implementation", "abi",
    "no-binary", "only-binary", "progress-bar", "upgrade-strategy", "global-option",
    "config-settings", "install-option", "build-option", "report", "root-user-action", "group",
    "build",
    # pip general options
    "proxy", "retries", "timeout", "exists-action", "trusted-host", "cert", "client-cert",
    "cache-dir", "log", "log-file", "python", "keyring-provider", "use-feature",
    "use-deprecated", "resume-retries",
    # uv pip install / uv global options
    "override", "overrides", "index", "default-index", "index-strategy", "python-platform",
    "resolution", "prerelease", "torch-backend", "link-mode", "exclude-newer",
    "reinstall-package", "upgrade-package", "refresh-package", "build-constraint",
    "build-constraints", "extra", "no-build-isolation-package", "config-setting", "directory",
    "project", "config-file", "color", "fork-strategy", "allow-insecure-host",
    "no-binary-package", "only-binary-package",
})
_PIP_SHORT_LONG = {"r": "requirement", "c": "constraint", "e": "editable", "i": "index-url",
                   "f": "find-links", "t": "target", "C": "config-settings", "b": "build",
                   "p": "python", "P": "upgrade-package", "U": "upgrade", "q": "quiet",
                   "v": "verbose", "I": "ignore-installed", "n": "no-cache"}

# apt-get(8): -o, -c, -t, -a take a value.
APT_SHORT_VALUE = frozenset("octa")
APT_LONG_VALUE = frozenset({"option", "config-file", "target-release", "default-release",
                            "host-architecture"})

_PIP_PROGRAM = re.compile(r"pip[0-9.]*")
_PYTHON_PROGRAM = re.compile(r"python[0-9.]*")
_PYTHON_VALUE_OPTIONS = frozenset({"-W", "-X"})
APT_PROGRAMS = frozenset({"apt-get", "apt", "aptitude"})


@dataclass(frozen=True)
class Option:
    name: str  # long name without dashes when known (``requirement``), else the letter
    value: str | None  # None: no value, or a value that is not resolvable
    word: object  # the Word that holds the option
    value_word: object = None  # the Word that holds the value (the option's own when attached)


@dataclass(frozen=True)
class ParsedArgs:
    options: tuple[Option, ...]
    positional: tuple  # Words that are not options nor option values

    def has(self, *names: str) -> bool:
        return any(o.name in names for o in self.options)

    def values(self, *names: str) -> list[Option]:
        return [o for o in self.options if o.name in names]


def parse_args(words: Sequence, short_value: frozenset[str], long_value: frozenset[str],
               short_long: dict[str, str] | None = None) -> ParsedArgs:
    """Split words into options (with their values) and positional words.

    Handles ``--name=value``, ``--name value``, ``-xVALUE``, ``-x VALUE``,
    bundles such as ``-qUr req.txt`` and ``--`` (everything after is
    positional). A word whose value is not resolvable counts as positional.
    """
    short_long = short_long or {}
    options: list[Option] = []
    positional: list = []
    i, n = 0, len(words)
    done = False
    while i < n:
        word = words[i]
        text = word.value
        i += 1
        if done or text is None or not text.startswith("-") or text == "-":
            positional.append(word)
            continue
        if text == "--":
            done = True
            continue
        if text.startswith("--"):
            name, eq, value = text[2:].partition("=")
            value_word = word if eq else None
            if not eq and name in long_value and i < n:
                value, eq, value_word = words[i].value, "=", words[i]
                i += 1
            options.append(Option(name, value if eq else None, word, value_word))
            continue
        letters = text[1:]
        for k, letter in enumerate(letters):
            name = short_long.get(letter, letter)
            if letter == "=":
                break
            if letter in short_value:
                value, value_word = letters[k + 1:] or None, word
                if value is None and i < n:
                    value, value_word = words[i].value, words[i]
                    i += 1
                options.append(Option(name, value, word, value_word))
                break
            options.append(Option(name, None, word))
    return ParsedArgs(tuple(options), tuple(positional))


# -- pip --------------------------------------------------------------------------


@dataclass(frozen=True)
class PipInstall:
    """One ``pip install`` (or ``python -m pip install``, ``uv pip install``)."""

    command: object  # the model's shell Command
    tool: str  # "pip" or "uv"
    install: object  # the Word ``install``
    args: ParsedArgs  # everything after the program (and ``-m pip``)
    requirements: tuple  # Words naming packages, paths or URLs after ``install``

    @property
    def editables(self) -> list[Option]:
        return self.args.values("editable")

    @property
    def uses_requirement_file(self) -> bool:
        return self.args.has("requirement")

    @property
    def uses_constraints(self) -> bool:
        return self.args.has("constraint", "build-constraint", "build-constraints", "override",
                             "overrides")


def pip_install(cmd) -> PipInstall | None:
    """The ``PipInstall`` when ``cmd`` installs Python packages with pip or uv."""
    program = cmd.program
    if program is None:
        return None
    argv = cmd.argv[1:]
    tool = "pip"
    if _PYTHON_PROGRAM.fullmatch(program):
        argv = _after_dash_m_pip(argv)
        if argv is None:
            return None
    elif program == "uv":
        tool = "uv"
    elif not _PIP_PROGRAM.fullmatch(program):
        return None
    args = parse_args(argv, PIP_SHORT_VALUE, PIP_LONG_VALUE, _PIP_SHORT_LONG)
    words = list(args.positional)
    if tool == "uv":
        if not words or words[0].value != "pip":
            return None
        words = words[1:]
    if not words or words[0].value != "install":
        return None
    return PipInstall(cmd, tool, words[0], args, tuple(words[1:]))


def _after_dash_m_pip(words: Sequence) -> Sequence | None:
    """The words after ``-m pip`` in a python command line, None if not ``-m pip``."""
    i = 0
    while i < len(words):
        text = words[i].value
        if text is None or not text.startswith("-"):
            return None  # a script: python setup.py ...
        if text == "-m":
            nxt = words[i + 1].value if i + 1 < len(words) else None
            return words[i + 2:] if nxt == "pip" else None
        if text == "-mpip":
            return words[i + 1:]
        if text == "-c":
            return None
        i += 2 if text in _PYTHON_VALUE_OPTIONS else 1
    return None


_VCS = re.compile(r"(git|hg|svn|bzr)\+[a-z+]+://|git://", re.IGNORECASE)
_URL = re.compile(r"[a-z][a-z0-9+.-]*://|file:", re.IGNORECASE)
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip", ".egg")
_REQUIREMENT = re.compile(
    r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?P<extras>\[[^\]]*\])?\s*(?P<spec>[^;]*)"
    r"(?P<marker>;.*)?", re.DOTALL)
_BOUND = re.compile(r"===?|~=|<=?|>=?")

PINNED, UNPINNED, LOCAL, UNKNOWN = "pinned", "unpinned", "local", "unknown"


def pip_requirement_state(text: str | None) -> str:
    """How one pip requirement argument is pinned.

    pinned: a version specifier (``==``, ``~=``, ``>=``, ``<`` … as hadolint
    counts them), a VCS URL with ``@ref``, or a direct URL; local: a path,
    ``.`` or an archive file; unknown: not resolvable or not a requirement
    (we never guess); unpinned: a bare name, with or without extras.
    """
    if not text or not text.strip():
        return UNKNOWN
    text = text.strip()
    if _VCS.match(text):
        return PINNED if _vcs_has_ref(text) else UNPINNED
    if "@" in text and not text.startswith("@"):
        name, _, target = text.partition("@")
        if _REQUIREMENT.fullmatch(name.strip()) and target.strip():
            target = target.strip()
            return (PINNED if _vcs_has_ref(target) else UNPINNED) if _VCS.match(target) else PINNED
    if _URL.match(text):
        return PINNED
    if text.startswith((".", "/", "~")) or "/" in text or "\\" in text or text.lower().endswith(_ARCHIVES):
        return LOCAL
    match = _REQUIREMENT.fullmatch(text)
    if not match:
        return UNKNOWN
    spec = match.group("spec").strip()
    if not spec:
        return UNPINNED
    if _BOUND.search(spec.replace("!=", "")):
        return PINNED
    return UNPINNED if spec.startswith("!=") else UNKNOWN


def _vcs_has_ref(url: str) -> bool:
    """``git+https://host/org/repo@v1.2#egg=x`` has a ref; ``git+ssh://git@host/x`` has not."""
    rest = url.split("://", 1)[-1].split("#", 1)[0]
    path = rest.split("/", 1)[1] if "/" in rest else ""
    return "@" in path and bool(path.rsplit("@", 1)[1])


def pip_requirement_words(install: PipInstall) -> Iterable[tuple[object, str, str | None]]:
    """(word, state, text) for each requirement given on the command line.

    Joins PEP 508 direct references written as three words (``name @ URL``)
    and includes ``-e``/``--editable`` targets.
    """
    words = install.requirements
    i = 0
    while i < len(words):
        word = words[i]
        text = word.value
        if i + 2 < len(words) and words[i + 1].value == "@" and text:
            target = words[i + 2].value
            joined = f"{text}@{target}" if target is not None else None
            yield word, pip_requirement_state(joined), joined
            i += 3
            continue
        yield word, pip_requirement_state(text), text
        i += 1
    for option in install.editables:
        # `-e` takes a project directory or a VCS URL, never a name from an index
        state = pip_requirement_state(option.value)
        yield option.value_word or option.word, (LOCAL if state == UNPINNED and not _VCS.match(option.value or "") else state), option.value


# -- apt ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AptInstall:
    command: object
    program: str  # apt-get, apt or aptitude
    install: object  # the Word ``install``
    args: ParsedArgs
    packages: tuple  # Words after ``install``


def apt_install(cmd) -> AptInstall | None:
    """The ``AptInstall`` when ``cmd`` is ``apt-get install`` (or apt, aptitude)."""
    program = cmd.program
    if program not in APT_PROGRAMS:
        return None
    args = parse_args(cmd.argv[1:], APT_SHORT_VALUE, APT_LONG_VALUE)
    words = args.positional
    if not words or words[0].value != "install":
        return None
    return AptInstall(cmd, program, words[0], args, tuple(words[1:]))


_DEB_NAME = re.compile(r"[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?")


def apt_package_state(text: str | None) -> str:
    """pinned (``pkg=1.2``, or ``pkg/release`` as hadolint accepts), local
    (a ``.deb`` file), unknown (not resolvable, a glob), or unpinned."""
    if not text:
        return UNKNOWN
    if "=" in text:
        return PINNED
    if text.endswith(".deb"):
        return LOCAL
    if "/" in text:
        return PINNED
    if text.endswith("-") or not _DEB_NAME.fullmatch(text):
        return UNKNOWN  # `pkg-` removes pkg; `python3-*` is a pattern
    return UNPINNED
