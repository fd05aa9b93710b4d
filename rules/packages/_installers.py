"""Reading package-manager command lines: which packages, which options.

One place that knows how ``apt-get`` and ``pip`` (also ``python -m pip`` and
``uv pip``) take their arguments, so the pin rules and the cache rule agree on
what an install is. Works on the model's shell ``Command``/``Word`` objects.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from dockerlint.model.options import Argument, Arguments, OptionSpec

# -- option tables (from each tool's --help) -------------------------------------

# pip: global options and `install` options that take a value, plus uv's.
PIP_SHORT_VALUE = "rceiftCbpP"
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
PIP_OPTIONS = OptionSpec(PIP_SHORT_VALUE, PIP_LONG_VALUE, long_names=_PIP_SHORT_LONG)

# apt-get(8): -o, -c, -t, -a take a value.
APT_OPTIONS = OptionSpec("octa", frozenset({
    "option", "config-file", "target-release", "default-release", "host-architecture"}))

# python(1): the options before `-m MODULE` (-c CMD, -W ARG and -X OPT take a value).
PYTHON_OPTIONS = OptionSpec("cmWX", posix=True)

_PIP_PROGRAM = re.compile(r"pip[0-9.]*")
_PYTHON_PROGRAM = re.compile(r"python[0-9.]*")
APT_PROGRAMS = frozenset({"apt-get", "apt", "aptitude"})


# -- pip --------------------------------------------------------------------------


class PipInstall(NamedTuple):
    """One ``pip install`` (or ``python -m pip install``, ``uv pip install``)."""

    command: object  # the model's shell Command
    tool: str  # "pip" or "uv"
    install: object  # the Word ``install``
    args: Arguments  # everything after the program (and ``-m pip``)
    requirements: tuple  # Words naming packages, paths or URLs after ``install``

    @property
    def editables(self) -> tuple[Argument, ...]:
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
    start = 1
    tool = "pip"
    if _PYTHON_PROGRAM.fullmatch(program):
        start = _after_dash_m_pip(cmd)
        if start is None:
            return None
    elif program == "uv":
        tool = "uv"
    elif not _PIP_PROGRAM.fullmatch(program):
        return None
    args = cmd.arguments(PIP_OPTIONS, start)
    words = list(args.operands)
    if tool == "uv":
        if not words or words[0].value != "pip":
            return None
        words = words[1:]
    if not words or words[0].value != "install":
        return None
    return PipInstall(cmd, tool, words[0], args, tuple(words[1:]))


def _after_dash_m_pip(cmd) -> int | None:
    """Index of the argv word after ``-m pip`` in a python command line, None if not ``-m pip``."""
    for arg in cmd.options(PYTHON_OPTIONS):
        if arg.option == "m":
            return arg.end if arg.value == "pip" else None
        if arg.option in (None, "c"):  # a script (python setup.py), or -c CODE
            return None
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
        if state == UNPINNED and not _VCS.match(option.value or ""):
            state = LOCAL
        yield option.value_word or option.word, state, option.value


# -- apt ---------------------------------------------------------------------------


class AptInstall(NamedTuple):
    command: object
    program: str  # apt-get, apt or aptitude
    install: object  # the Word ``install``
    args: Arguments
    packages: tuple  # Words after ``install``


def apt_install(cmd) -> AptInstall | None:
    """The ``AptInstall`` when ``cmd`` is ``apt-get install`` (or apt, aptitude)."""
    program = cmd.program
    if program not in APT_PROGRAMS:
        return None
    args = cmd.arguments(APT_OPTIONS)
    words = args.operands
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
