"""What a shipped image's Python environment gets: the installs the ML rules read.

One place that turns the model's install view (``Instr.installs``) into the
Python distributions and distro packages an image ends up with, including
requirement files and ``pyproject.toml`` read from the build context. When
something cannot be read (a requirements file we cannot find, ``$PKGS``,
``setup.py``, a shell script, an unknown base image) the environment is
*open*: rules that need to know what is missing stay silent.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property
from typing import NamedTuple

from dockerlint.ml.images import BaseFacts
from dockerlint.model.packages.requirement import canonical_name
from dockerlint.model.shell import parse_commands
from dockerlint.model.start import StartCommand

_PYPI_MANAGERS = frozenset({"pip", "uv", "pipx", "poetry", "pipenv", "pdm"})
_PROJECT_TOOLS = frozenset({"poetry", "pipenv", "pdm"})
_SCRIPT = re.compile(r".*\.(sh|bash|py)$")


def _indexes(cmd) -> tuple[str, ...]:
    """The index and find-links URLs of a package command (as written, values only)."""
    return tuple(w.value for w in (*cmd.index_urls, *cmd.extra_index_urls) if w.value)

# Distro packages that install Python distributions (apt python3-X, apk py3-X), where the names differ.
DISTRO_PYTHON = {"opencv": "opencv-python", "yaml": "pyyaml", "sklearn": "scikit-learn", "pil": "pillow",
                 "skimage": "scikit-image", "dateutil": "python-dateutil", "serial": "pyserial",
                 "zmq": "pyzmq", "gi": "pygobject", "git": "gitpython", "bs4": "beautifulsoup4",
                 "jwt": "pyjwt", "magic": "python-magic", "mysqldb": "mysqlclient", "crypto": "pycryptodome",
                 "torch": "torch", "notebook": "notebook"}
# conda package names that differ from the PyPI distribution they provide.
CONDA_PYTHON = {"pytorch": "torch", "pytorch-cpu": "torch", "pytorch-gpu": "torch", "py-opencv": "opencv-python",
                "opencv": "opencv-python", "libopencv": "opencv-python", "py-xgboost": "xgboost",
                "matplotlib-base": "matplotlib", "pytables": "tables", "tensorflow-gpu": "tensorflow",
                "py-lightgbm": "lightgbm", "lightgbm": "lightgbm", "jupyter": "jupyter"}


class PyInstall(NamedTuple):
    """One Python distribution some step installs."""

    name: str  # PEP 503
    version: str | None  # the exact version, when pinned with ==
    specifier: str | None  # ">=1.2,<2" as written, None when bare
    command: object  # the model's PackageCommand
    span: object  # where it is written in the Dockerfile (the -r word for file entries)
    file: str | None = None  # the context file it comes from (requirements.txt, pyproject.toml)
    line: int | None = None  # its line in that file
    marker: bool = False  # has an environment marker (may not install)
    extras: tuple[str, ...] = ()
    text: str | None = None  # as written
    indexes: tuple[str, ...] = ()  # index / find-links URLs it may come from (command line and file options)


def final_stages(df) -> list:
    """The stages whose image someone runs: the target, or every stage nothing else builds on."""
    if df.target is not None:
        return [df.target]
    used = {d.index for s in df.stages for d in s.dependencies}
    return [s for s in df.stages if s.index not in used]


_EXTRAS = re.compile(r"\[([^\]]*)\]$")


def _wanted_groups(cmd) -> set[str] | None:
    """The extras an install asks for (``.[gpu]``, ``-E gpu``, ``--extra gpu``); None when it asks for
    all of them (``--all-extras``)."""
    if cmd.args.has("all-extras"):
        return None
    wanted = {canonical_name(a.value) for a in cmd.args.values("extras", "extra") if a.value}
    for package in cmd.packages:
        found = _EXTRAS.search(package.text or "") if package.pin == "local" else None
        if found:
            wanted |= {canonical_name(e.strip()) for e in found.group(1).split(",") if e.strip()}
    return wanted


def _group_installed(entry, role: str, wanted: set[str] | None) -> bool:
    """A manifest entry is installed: an extra of a project (PEP 621 optional-dependencies, Poetry's
    ``optional = true``) only when asked for; everything else counts (dependency groups are installed
    by default by poetry, uv and pdm: counting them is the safe side)."""
    if not entry.optional or entry.group is None or role != "project" or wanted is None:
        return True
    return any(canonical_name(g) in wanted for g in entry.group.split(","))


class ImageEnv:
    """The Python side of the image one final stage builds."""

    def __init__(self, df, stage):
        self.df = df
        self.stage = stage
        self.chain = list(stage.chain)  # this stage and the stages it is FROM
        self.facts: BaseFacts | None = stage.base_facts
        self.open_reasons: list[str] = []

    # -- where things come from -------------------------------------------------------

    @cached_property
    def feeding_stages(self) -> list:
        """The chain plus every stage whose files are COPY --from'd into it (transitively)."""
        seen: list = []
        todo = list(self.chain)
        while todo:
            stage = todo.pop()
            if stage in seen:
                continue
            seen.append(stage)
            for instr in stage.instructions:
                spec = instr.copy if instr.keyword in ("COPY", "ADD") else None
                if spec is not None and spec.from_stage is not None:
                    todo.extend(spec.from_stage.chain)
                if spec is not None and spec.from_stage is None and spec.from_ is not None:
                    self.open_reasons.append(f"COPY --from={spec.from_}")
        return seen

    def runs(self, stages) -> Iterator:
        for stage in stages:
            for instr in stage.instructions:
                for inner in (instr, instr.onbuild):
                    if inner is not None and inner.keyword == "RUN":
                        yield inner

    # -- Python distributions --------------------------------------------------------

    @cached_property
    def python_installs(self) -> list[PyInstall]:
        """Every Python distribution installed in a stage that feeds the image."""
        out: list[PyInstall] = []
        for run in self.runs(self.feeding_stages):
            self._scan_run(run)
            for cmd in run.installs:
                if cmd.ecosystem == "pypi" or cmd.manager in _PYPI_MANAGERS:
                    out.extend(self._pypi(cmd))
                elif cmd.ecosystem == "conda":
                    out.extend(self._conda(cmd))
                elif cmd.ecosystem in ("deb", "apk"):
                    out.extend(self._distro_python(cmd))
        return out

    @cached_property
    def installed_names(self) -> set[str]:
        return {i.name for i in self.python_installs}

    @property
    def is_open(self) -> bool:
        """True when some install could not be read: what is missing cannot be known."""
        self.python_installs  # noqa: B018 - fills open_reasons
        return bool(self.open_reasons)

    def _scan_run(self, run) -> None:
        for cmd in run.commands:
            program = cmd.program or ""
            if program in ("sh", "bash") and len(cmd.argv) > 1 and not (cmd.argv[1].value or "").startswith("-"):
                self.open_reasons.append(f"`{program} {cmd.argv[1].value}`")
            elif _SCRIPT.fullmatch(program) or program in ("make", "conda-env", "pip-sync", "micromamba"):
                self.open_reasons.append(f"`{program}`")
            elif re.fullmatch(r"python[0-9.]*", program) and any(
                    (w.value or "").endswith("setup.py") for w in cmd.argv[1:3]):
                self.open_reasons.append("`setup.py`")
            elif program is None or "$" in program:
                self.open_reasons.append("a command from a variable")

    def _pypi(self, cmd) -> Iterator[PyInstall]:
        for package in cmd.packages:
            if package.pin == "local":
                if (package.text or "").lower().endswith((".whl", ".tar.gz", ".zip", ".tgz")):
                    self.open_reasons.append(f"`{package.text}`")
                continue  # a project directory: its pyproject.toml is read below
            if package.name is None:
                if package.pin in ("unknown",) or package.url:
                    self.open_reasons.append(f"`{package.text or package.word.raw}`")
                continue
            yield PyInstall(package.name, package.version, package.specifier, cmd, package.span or package.word.span,
                            marker=package.marker is not None, extras=package.extras, text=package.text,
                            indexes=_indexes(cmd))
        yield from self._manifests(cmd)

    def _conda(self, cmd) -> Iterator[PyInstall]:
        if cmd.requirement_files:
            self.open_reasons.append("a conda environment file")
        for package in cmd.packages:
            if package.name is None:
                self.open_reasons.append(f"`{package.text or package.word.raw}`")
                continue
            name = package.name.split("::")[-1].lower()
            yield PyInstall(CONDA_PYTHON.get(name, canonical_name(name)), package.version, package.specifier, cmd,
                            package.span or package.word.span, text=package.text)

    def _distro_python(self, cmd) -> Iterator[PyInstall]:
        for package in cmd.packages:
            name = (package.name or "").lower()
            for prefix in ("python3-", "py3-"):
                if name.startswith(prefix):
                    bare = name[len(prefix):]
                    yield PyInstall(DISTRO_PYTHON.get(bare, canonical_name(bare)), None, None, cmd,
                                    package.span or package.word.span, text=package.text)

    # -- files from the context (read through the context engine) -------------------

    def image_to_context(self, path: str, instr) -> str | None:
        """The context file at image ``path`` (relative to ``instr``'s WORKDIR) when ``instr`` runs, or None."""
        context = self.df.context
        if context is None or not path or "$" in path:
            return None
        found = context.origin(instr, path)
        return found[1] if found is not None else None

    def read_context(self, path: str) -> str | None:
        context = self.df.context
        try:
            return context.read_text(path) if context is not None else None
        except OSError:
            return None

    def _manifests(self, cmd) -> Iterator[PyInstall]:
        """The distributions the manifests ``cmd`` reads declare (``BuildContext.installed``).

        Opens the environment for a file that is not from the context, cannot be read,
        or does not list everything it installs (``setup.py``, dynamic dependencies,
        ``-e``/path entries, ``${VAR}``, a URL without ``#egg=``).
        """
        context = self.df.context
        wants_project = any(p.pin == "local" for p in cmd.packages) or (
            cmd.manager in _PROJECT_TOOLS and not cmd.packages) or (
            cmd.manager == "uv" and cmd.action == "sync" and not cmd.requirement_files)
        if context is None:
            if cmd.requirement_files or wants_project:
                self.open_reasons.append("files from a build context that is not given")
            return
        try:
            reads = context.installed(cmd)
        except OSError:
            self.open_reasons.append("an unreadable build context")
            return
        if wants_project and not any(r.role == "project" for r in reads):
            self.open_reasons.append("a local project without a readable pyproject.toml")
        first = cmd.requirement_files[0].span if cmd.requirement_files else cmd.command.span
        wanted = _wanted_groups(cmd)
        for read in reads:
            if read.role not in ("requirements", "project"):
                continue  # constraints install nothing; a lock pins what its project lists
            manifest = read.manifest
            label = read.path or read.image_path
            if manifest is None or manifest.errors or manifest.kind in ("setup.py", "setup.cfg") or manifest.dynamic:
                self.open_reasons.append(f"`{label}`")
                continue
            span = read.written.span if read.written is not None else first
            indexes = _indexes(cmd) + manifest.indexes
            for entry in manifest.entries:
                if entry.ecosystem != "pypi" or not _group_installed(entry, read.role, wanted):
                    continue
                if entry.name is None or entry.pin in ("local", "unknown"):
                    self.open_reasons.append(f"`{entry.text}` in {label}")
                    continue
                spec = entry.specifier or None
                version = spec[2:] if spec and entry.pin == "exact" and spec.startswith("==") \
                    and "," not in spec and "*" not in spec else None
                yield PyInstall(entry.name, version, spec, cmd, span, read.path, entry.line,
                                marker=entry.marker is not None, extras=entry.extras, text=entry.text,
                                indexes=indexes)

    # -- distro packages -------------------------------------------------------------

    @cached_property
    def system_packages(self) -> set[str] | None:
        """Distro packages the image's own stages install (None when one cannot be read)."""
        names: set[str] = set()
        for run in self.runs(self.chain):
            for cmd in run.installs:
                if cmd.ecosystem not in ("deb", "apk", "rpm"):
                    continue
                if cmd.requirement_files:
                    return None
                for package in cmd.packages:
                    if package.name is None:
                        return None
                    names.add(package.name.split("=")[0].split(":")[0].lower())
                if cmd.ecosystem == "deb" and not cmd.no_install_recommends and \
                        names & {"python3-pip", "python3-dev", "python3-venv"}:
                    names.add("build-essential")  # python3-pip recommends build-essential and python3-dev
        return names

    @cached_property
    def opaque_system(self) -> bool:
        """A step may install distro packages we cannot see (a script, make, a variable)."""
        for run in self.runs(self.chain):
            for cmd in run.commands:
                program = cmd.program or ""
                if program in ("sh", "bash") and len(cmd.argv) > 1 and not (cmd.argv[1].value or "").startswith("-"):
                    return True
                if _SCRIPT.fullmatch(program) or program in ("make",) or not program or "$" in program:
                    return True
                if program in ("conda", "mamba", "micromamba"):
                    return True  # conda packages bring their own shared libraries
        return False


# -- what the container runs ---------------------------------------------------------

def start_commands(stage, env: ImageEnv | None = None) -> list[StartCommand]:
    """The stage's start command lines (``Stage.start_commands``) and, with ``env``, the commands
    of a start script from the context (``CMD ["./start.sh"]``, ``sh start.sh``), one level deep."""
    lines = list(stage.start_commands)
    if env is not None:
        for line in list(lines):
            script = _script_of(line.argv)
            path = env.image_to_context(script, line.instr) if script else None
            text = env.read_context(path) if path else None
            if text is not None:
                for c in parse_commands(text):
                    values = tuple(w.value for w in c.argv)
                    if values and all(v is not None for v in values):
                        lines.append(StartCommand(values, line.instr, line.span))  # type: ignore[arg-type]
    return lines


def _script_of(argv: tuple[str, ...]) -> str | None:
    if argv[0].endswith(".sh"):
        return argv[0]
    if argv[0].rsplit("/", 1)[-1] in ("sh", "bash") and len(argv) > 1 and argv[1].endswith(".sh"):
        return argv[1]
    return None


def python_code_args(argv: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(``-c`` code, ``-m`` module) of a python command line."""
    if not argv or not re.fullmatch(r"python[0-9.]*", argv[0].rsplit("/", 1)[-1]):
        return None, None
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg == "-c" and i + 1 < len(argv):
            return argv[i + 1], None
        if arg == "-m" and i + 1 < len(argv):
            return None, argv[i + 1]
        if arg.startswith("-m") and len(arg) > 2:
            return None, arg[2:]
        if not arg.startswith("-"):
            return None, None
        i += 2 if arg in ("-W", "-X") else 1
    return None, None


def declared_names(instr) -> set[str]:
    """The names an ENV or ARG instruction sets."""
    if instr.keyword == "ENV":
        return {kv.key for kv in instr.pairs or ()}
    if instr.keyword == "ARG":
        return {decl.name for decl in instr.arg_decls or ()}
    return set()
