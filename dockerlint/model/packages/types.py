"""The records of the install view: a package-manager command, its packages, its cache.

Plain values (NamedTuples) built by the family modules (``apt``, ``apk``,
``rpm``, ``python``, ``conda``, ``node``, ``toolchains``); rules read them
through ``Instr.package_commands`` / ``installs``. Unknown is None (or pin
``"unknown"``): nothing here is guessed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from dockerlint.model.options import Arguments
from dockerlint.model.shell import Command, Word
from dockerlint.syntax.nodes import Span

if TYPE_CHECKING:
    from dockerlint.model.dockerfile import Instr

# How a package argument is pinned, as written on the command line.
EXACT = "exact"  # one version: apt pkg=1.2, pip ==1.2, npm pkg@1.2.3, go pkg@v1.2.3
RANGE = "range"  # a set of versions: pip >=1, apk pkg~1.2 / pkg<2, apt pkg/bookworm, conda pkg=1.2
UNPINNED = "unpinned"  # a bare name (or a VCS URL without a ref, a moving tag like npm @latest)
LOCAL = "local"  # a path, ``.``, an archive or package file in the build
URL = "url"  # a direct archive URL (pip name @ https://..., npm tarball URL)
VCS = "vcs"  # a VCS URL with a ref (git+https://...@v1.2, github:org/repo#sha)
UNKNOWN = "unknown"  # not resolvable ($DEPS), or a form we do not read: never guessed
PINS = (EXACT, RANGE, UNPINNED, LOCAL, URL, VCS, UNKNOWN)

# Why a manager's download cache does not stay in the layer (CacheState.disabled_by).
CACHE_FLAG = "flag"  # --no-cache-dir, apk --no-cache, uv --no-cache
CACHE_ENV = "env"  # PIP_NO_CACHE_DIR, UV_NO_CACHE
CACHE_MOUNT = "mount"  # RUN --mount=type=cache covering the cache directory
CACHE_TMPFS = "tmpfs"  # RUN --mount=type=tmpfs covering it
CACHE_CLEANED = "cleaned"  # removed later in the same RUN (rm -rf /var/lib/apt/lists/*, yum clean all)


class Package(NamedTuple):
    """One package argument of a package command.

    ``text`` is the argument after expansion (None when not resolvable; then
    ``pin`` is ``"unknown"``). ``name`` is PEP 503-normalised for PyPI and as
    written elsewhere. ``version`` is set for exact pins (and VCS refs),
    ``specifier`` for what follows the name (``>=1,<2``, ``=1.2``, ``~1.2``).
    """

    word: Word
    text: str | None
    name: str | None
    pin: str
    version: str | None = None
    specifier: str | None = None
    extras: tuple[str, ...] = ()
    marker: str | None = None
    url: str | None = None  # the URL of a url/vcs requirement
    is_option_value: bool = False  # given as an option's value (pip -e URL, gem -v's package)
    span: Span | None = None  # of all the words it takes (``name @ URL`` is three); else word.span

    @property
    def pinned(self) -> bool:
        """True when the version is fixed by what is written (exact, range, vcs ref, url, local)."""
        return self.pin not in (UNPINNED, UNKNOWN)


class CacheState(NamedTuple):
    """Whether the manager's download cache stays in the layer after the command."""

    disabled_by: str | None  # one of CACHE_*; None when the cache is kept (as far as we can tell)
    dir: str | None = None  # the cache directory, when known

    @property
    def kept(self) -> bool:
        return self.disabled_by is None


class PackageCommand(NamedTuple):
    """One package-manager command line: ``apt-get install -y curl``, ``pip install -r req.txt``."""

    manager: str  # canonical: apt, apk, yum, dnf, microdnf, zypper, rpm, pip, uv, pipx, conda, ...
    tool: str  # the program as written: apt-get, aptitude, pip3, mamba; ``python3 -m pip`` is "pip"
    ecosystem: str  # deb, apk, rpm, pypi, conda, npm, gem, go, cargo
    action: str  # normalised verb: install, update (refresh indexes), upgrade, remove, clean, ...
    subcommand: str  # the verb words as written after the options: "install", "pip install", "env create"
    command: Command
    instr: Instr
    verb: Word | None  # the (last) subcommand word; None when the action is an option (rpm -i)
    args: Arguments  # the whole line read with the tool's OptionSpec
    packages: tuple[Package, ...] = ()
    requirement_files: tuple[Word, ...] = ()  # pip -r, conda --file, conda env create -f
    constraint_files: tuple[Word, ...] = ()  # pip -c, uv --override/--build-constraint
    editables: tuple[Package, ...] = ()  # pip -e (also in ``packages``, is_option_value)
    index_urls: tuple[Word, ...] = ()  # pip -i, npm --registry, uv --index/--default-index
    extra_index_urls: tuple[Word, ...] = ()  # pip --extra-index-url, -X of apk, --find-links
    trusted_hosts: tuple[Word, ...] = ()  # pip --trusted-host, uv --allow-insecure-host
    assume_yes: bool = False  # never stops to ask (-y, --yes, -qq, a manager that never asks)
    no_install_recommends: bool = False  # apt --no-install-recommends (or the -o setting)
    cache: CacheState | None = None  # None: we do not know this manager's cache
    flags_span: Span | None = None  # from the first option to the last (None without options)

    @property
    def local_paths(self) -> tuple[Package, ...]:
        """The packages installed from the build (``.``, ``./pkg``, wheels, .deb files)."""
        return tuple(p for p in self.packages if p.pin == LOCAL)

    @property
    def unpinned(self) -> tuple[Package, ...]:
        return tuple(p for p in self.packages if p.pin == UNPINNED)

    @property
    def stage_ships(self) -> bool:
        """True when the command's result reaches a shipped image: its stage ships, or it is an
        ONBUILD RUN (which runs in every image built FROM this one)."""
        instr = self.instr
        return instr.parent is not None or instr.stage is None or instr.stage.ships

    @property
    def span(self) -> Span | None:
        return self.command.span
