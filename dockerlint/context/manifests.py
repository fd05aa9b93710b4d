"""Dependency manifests of the build context, read as their tools read them.

One ``Manifest`` per file: requirements and constraints files (pip's format:
``-r``/``-c`` includes, ``-e``, ``--hash``, markers, URLs, ``${VAR}``),
``pyproject.toml`` (PEP 621, PEP 735 groups, Poetry, uv, pdm), ``Pipfile``,
conda ``environment.yml`` (conda and pip sections), ``package.json`` and the
lock files of each ecosystem. Every entry keeps its line, so a rule can
report ``requirements.txt:3`` rather than the RUN that reads it.

Pins use the words of the install view (``dockerlint.model.packages``):
exact, range, unpinned, local, url, vcs, unknown. Nothing is guessed: a
``${VAR}`` pip would expand from the build environment is ``unknown``.
PyYAML is imported only when an ``environment.yml`` is read.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from dockerlint.model.packages.requirement import canonical_name, parse_requirement

EXACT, RANGE, UNPINNED, LOCAL, URL, VCS, UNKNOWN = "exact", "range", "unpinned", "local", "url", "vcs", "unknown"

__all__ = ["Entry", "Manifest", "parse_manifest", "manifest_kind", "EXACT", "RANGE", "UNPINNED", "LOCAL", "URL",
           "VCS", "UNKNOWN", "LOCK_NAMES"]

# file name (lower case) -> (kind, is a lock file)
_NAMES = {
    "pyproject.toml": ("pyproject", False),
    "setup.py": ("setup.py", False),
    "setup.cfg": ("setup.cfg", False),
    "pipfile": ("pipfile", False),
    "pipfile.lock": ("pipfile.lock", True),
    "poetry.lock": ("poetry.lock", True),
    "uv.lock": ("uv.lock", True),
    "pdm.lock": ("pdm.lock", True),
    "pylock.toml": ("pylock", True),
    "environment.yml": ("conda", False),
    "environment.yaml": ("conda", False),
    "conda-lock.yml": ("conda-lock", True),
    "conda-lock.yaml": ("conda-lock", True),
    "package.json": ("npm", False),
    "package-lock.json": ("npm.lock", True),
    "npm-shrinkwrap.json": ("npm.lock", True),
    "yarn.lock": ("yarn.lock", True),
    "pnpm-lock.yaml": ("pnpm.lock", True),
    "bun.lock": ("bun.lock", True),
    "bun.lockb": ("bun.lock", True),
}
LOCK_NAMES = frozenset(name for name, (_, lock) in _NAMES.items() if lock)
_REQUIREMENTS = re.compile(r"(^|[-_.])requirements?([-_.].*)?\.(txt|in)$", re.IGNORECASE)
_CONSTRAINTS = re.compile(r"(^|[-_.])constraints?([-_.].*)?\.txt$", re.IGNORECASE)
_PYLOCK = re.compile(r"^pylock\.[^/]+\.toml$", re.IGNORECASE)
_CONDA_LOCK = re.compile(r"\.conda-lock\.ya?ml$", re.IGNORECASE)


def manifest_kind(path: str) -> tuple[str, bool] | None:
    """``(kind, is_lock)`` for a file whose name is a known manifest, else None."""
    name = path.rsplit("/", 1)[-1].lower()
    if name in _NAMES:
        return _NAMES[name]
    parent = path.rsplit("/", 2)[-2].lower() if "/" in path else ""
    if _REQUIREMENTS.search(name) or (parent == "requirements" and name.endswith((".txt", ".in"))):
        return ("requirements", False)
    if _CONSTRAINTS.search(name):
        return ("constraints", False)
    if _PYLOCK.match(name):
        return ("pylock", True)
    if _CONDA_LOCK.search(name):
        return ("conda-lock", True)
    return None


class Entry(NamedTuple):
    """One dependency a manifest declares, where it is written.

    ``name`` is PEP 503-normalised for Python; ``group`` is the extra, dependency
    group or section (None for the main dependencies); ``ecosystem`` pypi, conda or npm.
    """

    text: str
    line: int
    column: int
    name: str | None
    pin: str
    specifier: str = ""
    marker: str | None = None
    hashes: tuple[str, ...] = ()
    editable: bool = False
    group: str | None = None
    ecosystem: str = "pypi"
    extras: tuple[str, ...] = ()  # PEP 508 extras: ``torch[cuda]`` -> ("cuda",)
    optional: bool = False  # installed only when one of its extras (``group``) is asked for


@dataclass(frozen=True)
class Manifest:
    """A parsed manifest. ``includes``/``constraints``: the ``-r``/``-c`` files it names,
    relative to the context root (None for one that leaves the context or is a URL);
    ``locked``: names a lock file pins (for lock files); ``errors``: (line, message)."""

    path: str
    kind: str
    lock: bool = False
    entries: tuple[Entry, ...] = ()
    includes: tuple[str | None, ...] = ()
    constraints: tuple[str | None, ...] = ()
    require_hashes: bool = False
    locked: tuple[str, ...] = ()
    tool: str | None = None  # pyproject: the build backend's tool (poetry, uv, pdm, hatch, setuptools)
    indexes: tuple[str, ...] = ()  # requirements: ``--index-url``/``--extra-index-url``/``--find-links`` values
    dynamic: bool = False  # pyproject: the backend computes the dependencies (PEP 621 ``dynamic``, no table)
    errors: tuple[tuple[int, str], ...] = field(default=())

    @property
    def packages(self) -> tuple[str, ...]:
        """Names it installs by default: the locked names of a lock file, else the names of the
        main entries (extras and dependency groups need to be asked for)."""
        if self.lock:
            return self.locked
        return tuple(e.name for e in self.entries if e.name and e.group in (None, "pip"))


def parse_manifest(path: str, text: str) -> Manifest | None:
    """The ``Manifest`` of a context file (``path`` relative to the root), None if not one."""
    kind = manifest_kind(path)
    if kind is None:
        return None
    name, lock = kind
    reader = _READERS.get(name)
    if reader is None:
        return Manifest(path, name, lock)
    try:
        return reader(path, name, lock, text)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # a malformed file is a fact, not a crash
        return Manifest(path, name, lock, errors=((1, f"cannot read {path}: {_short(exc)}"),))


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


normalize = canonical_name  # the one PEP 503 normalisation, shared with the install view


# -- PEP 508 requirements ---------------------------------------------------------------------

_VCS_PREFIX = re.compile(r"(git|hg|svn|bzr)\+|git://", re.IGNORECASE)
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip", ".egg")
_ENV_VAR = re.compile(r"\$\{[A-Z0-9_]+\}")
_EGG = re.compile(r"#.*egg=([A-Za-z0-9][A-Za-z0-9._-]*)")


def classify_requirement(text: str) -> tuple[str | None, str, str, str | None]:
    """``(name, pin, specifier, marker)`` of one requirement as pip reads it."""
    if _ENV_VAR.search(text):
        return None, UNKNOWN, "", None
    if _VCS_PREFIX.match(text):
        return _egg(text), _vcs_pin(text), "", None
    if "://" in text.split(";")[0] and "@" not in text.split("://")[0]:
        return _egg(text), URL, "", None
    if text.startswith((".", "/", "file:")) or ("://" not in text and text.lower().endswith(_ARCHIVES)):
        return _egg(text), LOCAL, "", None
    req = parse_requirement(text)
    if req is None:
        return None, UNKNOWN, "", None
    if req.url:
        pin = _vcs_pin(req.url) if _VCS_PREFIX.match(req.url) else (
            LOCAL if req.url.startswith("file:") else URL)
        return normalize(req.name), pin, "", req.marker
    return normalize(req.name), _specifier_pin(req.specifier), req.specifier, req.marker


def requirement_extras(text: str) -> tuple[str, ...]:
    """The extras of a PEP 508 requirement (``name[a,b]>=1`` -> ("a", "b")), as written."""
    found = _EXTRAS.match(text)
    return tuple(e.strip() for e in found.group(1).split(",") if e.strip()) if found else ()


_EXTRAS = re.compile(r"\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*\[([^\]]*)\]")


def _specifier_pin(spec: str) -> str:
    if not spec:
        return UNPINNED
    parts = spec.split(",")
    if any((p.startswith("==") and not p.endswith(".*")) or p.startswith("===") for p in parts):
        return EXACT
    return RANGE


def _vcs_pin(url: str) -> str:
    """A VCS URL names a ref with ``@ref`` after the repository path."""
    rest = url.split("://", 1)[-1].split("#", 1)[0]
    path = rest.split("/", 1)[1] if "/" in rest else ""
    return VCS if "@" in path else UNPINNED


def _egg(text: str) -> str | None:
    found = _EGG.search(text)
    return normalize(found.group(1)) if found else None


# -- requirements files (pip's format) --------------------------------------------------------

_COMMENT = re.compile(r"(^|\s+)#.*$")
_OPTION_VALUE = re.compile(r"^(-[rcefi]|--requirement|--constraint|--editable|--index-url|--extra-index-url|"
                           r"--find-links|--trusted-host|--no-binary|--only-binary|--use-feature|"
                           r"--config-settings|--global-option)(?:\s*=\s*|\s+)(\S+)")
_HASH = re.compile(r"\s--hash[=\s]\s*(\S+)")
_PER_REQUIREMENT = re.compile(r"\s--(hash|config-settings|global-option)[=\s]\s*\S+")


def logical_lines(text: str):
    """``(line number, column, text)`` of pip's logical lines: comments dropped, ``\\`` joined."""
    pending: list[str] = []
    start = 0
    raw_lines = text.splitlines()
    for number, raw in enumerate(raw_lines, start=1):
        line = _COMMENT.sub("", raw)
        if not pending:
            start = number
        if line.endswith("\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        joined = " ".join(pending)
        pending = []
        stripped = joined.strip()
        if stripped:
            first = raw_lines[start - 1]
            yield start, len(first) - len(first.lstrip()) + 1, stripped
    if pending and " ".join(pending).strip():
        yield start, 1, " ".join(pending).strip()


def _read_requirements(path: str, kind: str, lock: bool, text: str) -> Manifest:
    entries: list[Entry] = []
    includes: list[str | None] = []
    constraints: list[str | None] = []
    require_hashes = False
    indexes: list[str] = []
    directory = path.rsplit("/", 1)[0] if "/" in path else ""
    for number, column, line in logical_lines(text):
        option = _OPTION_VALUE.match(line)
        if option:
            flag, value = option.groups()
            if flag in ("-i", "-f", "--index-url", "--extra-index-url", "--find-links"):
                indexes.append(value)
            elif flag in ("-r", "--requirement"):
                includes.append(_relative(directory, value))
            elif flag in ("-c", "--constraint"):
                constraints.append(_relative(directory, value))
            elif flag in ("-e", "--editable"):
                name, pin, spec, marker = classify_requirement(value)
                entries.append(Entry(value, number, column, name, pin if pin != UNKNOWN else LOCAL, spec, marker,
                                     editable=True))
            continue
        if line.startswith("-"):
            require_hashes = require_hashes or line.startswith("--require-hashes")
            continue
        hashes = tuple(h for h in _HASH.findall(" " + line))
        requirement = _PER_REQUIREMENT.sub("", " " + line).strip()
        name, pin, spec, marker = classify_requirement(requirement)
        entries.append(Entry(requirement, number, column, name, pin, spec, marker, hashes,
                             extras=requirement_extras(requirement)))
    return Manifest(path, kind, lock, tuple(entries), tuple(includes), tuple(constraints),
                    require_hashes or any(e.hashes for e in entries), indexes=tuple(indexes))


def _relative(directory: str, value: str) -> str | None:
    """An included file's path in the context (pip resolves it against the including file)."""
    from dockerlint.context.ignore import clean_path

    if "://" in value or value.startswith("/") or _ENV_VAR.search(value):
        return None
    joined = clean_path(f"{directory}/{value}" if directory else value)
    return None if joined.startswith("..") else joined


# -- TOML manifests ---------------------------------------------------------------------------

def _toml(text: str) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef,unused-ignore]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(str(exc)) from None


class _Lines:
    """Finds the line a TOML/YAML entry is written on (parsers keep no positions)."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def find(self, needle: str, after: int = 0) -> tuple[int, int]:
        for i in range(after, len(self.lines)):
            col = self.lines[i].find(needle)
            if col >= 0:
                return i + 1, col + 1
        return (after + 1 if after < len(self.lines) else 1), 1

    def header(self, section: str) -> int:
        """Index of the line after ``[section]`` (0 if absent)."""
        pattern = re.compile(r"^\s*\[\s*" + re.escape(section).replace(r"\.", r"\s*\.\s*") + r"\s*\]")
        for i, line in enumerate(self.lines):
            if pattern.match(line):
                return i + 1
        return 0


def _pep508_entries(items, lines: _Lines, group: str | None, after: int) -> list[Entry]:
    out = []
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, str):
            continue  # {include-group = "..."} of PEP 735
        line, column = lines.find(item, after)
        name, pin, spec, marker = classify_requirement(item)
        out.append(Entry(item, line, column, name, pin, spec, marker, group=group, extras=requirement_extras(item)))
    return out


def _poetry_pin(value) -> tuple[str, str]:
    if isinstance(value, list):  # multiple-constraint dependency
        return (RANGE, "") if value else (UNPINNED, "")
    if isinstance(value, dict):
        if "git" in value:
            return (VCS if any(k in value for k in ("rev", "tag")) else UNPINNED), ""
        if "path" in value:
            return LOCAL, ""
        if "url" in value:
            return URL, ""
        value = value.get("version", "*")
    text = str(value).strip()
    if text in ("", "*"):
        return UNPINNED, text
    if re.fullmatch(r"=?=?\s*[0-9][0-9A-Za-z.+!-]*", text):
        return EXACT, text
    return RANGE, text


def _poetry_entries(table, lines: _Lines, group: str | None, section: str) -> list[Entry]:
    out = []
    after = lines.header(section)
    for raw_name, value in (table or {}).items() if isinstance(table, dict) else ():
        if raw_name.lower() == "python":
            continue
        line, column = lines.find(raw_name, after)
        pin, spec = _poetry_pin(value)
        out.append(Entry(f"{raw_name} = {json.dumps(value) if not isinstance(value, str) else value}", line, column,
                         normalize(raw_name), pin, spec, group=group))
    return out


def _poetry_optional(entries: list[Entry], poetry: dict) -> list[Entry]:
    """Poetry's ``optional = true`` dependencies install only with an extra: their group is the extras
    (``[tool.poetry.extras]``) that list them, comma-joined, or "optional" when none does."""
    table = poetry.get("dependencies")
    extras = poetry.get("extras")
    table = table if isinstance(table, dict) else {}
    extras = extras if isinstance(extras, dict) else {}
    optional = {normalize(k) for k, v in table.items() if isinstance(v, dict) and v.get("optional") is True}
    out = []
    for entry in entries:
        if entry.name in optional:
            names = [str(x) for x, items in extras.items() if isinstance(items, list) and
                     entry.name in {normalize(str(i)) for i in items}]
            entry = entry._replace(group=",".join(names) or "optional", optional=True)
        out.append(entry)
    return out


def _read_pyproject(path: str, kind: str, lock: bool, text: str) -> Manifest:
    data = _toml(text)
    lines = _Lines(text)
    entries: list[Entry] = []
    project = data.get("project") or {}
    entries += _pep508_entries(project.get("dependencies"), lines, None, lines.header("project"))
    for extra, items in (project.get("optional-dependencies") or {}).items():
        entries += [e._replace(optional=True) for e in
                    _pep508_entries(items, lines, extra, lines.header("project.optional-dependencies"))]
    for group, items in (data.get("dependency-groups") or {}).items():  # PEP 735
        entries += _pep508_entries(items, lines, group, lines.header("dependency-groups"))
    tool = data.get("tool") or {}
    poetry = tool.get("poetry") or {}
    entries += _poetry_optional(_poetry_entries(poetry.get("dependencies"), lines, None, "tool.poetry.dependencies"),
                                poetry)
    entries += _poetry_entries(poetry.get("dev-dependencies"), lines, "dev", "tool.poetry.dev-dependencies")
    for group, table in (poetry.get("group") or {}).items():
        entries += _poetry_entries((table or {}).get("dependencies"), lines, group,
                                   f"tool.poetry.group.{group}.dependencies")
    uv = tool.get("uv") or {}
    entries += _pep508_entries(uv.get("dev-dependencies"), lines, "dev", lines.header("tool.uv"))
    backend = str((data.get("build-system") or {}).get("build-backend") or "")
    tool_name = next((t for t in ("poetry", "uv", "pdm", "hatch", "flit", "maturin", "setuptools") if t in backend),
                     None) or next((t for t in ("poetry", "uv", "pdm", "hatch") if t in tool), None)
    dynamic = "dependencies" in (project.get("dynamic") or ()) or (not data.get("project") and not poetry)
    return Manifest(path, kind, lock, tuple(entries), tool=tool_name, dynamic=dynamic)


def _read_pipfile(path: str, kind: str, lock: bool, text: str) -> Manifest:
    data = _toml(text)
    lines = _Lines(text)
    entries: list[Entry] = []
    for section, group in (("packages", None), ("dev-packages", "dev")):
        entries += _poetry_entries(data.get(section), lines, group, section)
    return Manifest(path, kind, lock, tuple(entries), tool="pipenv")


def _read_toml_lock(path: str, kind: str, lock: bool, text: str) -> Manifest:
    data = _toml(text)
    packages = data.get("package") or data.get("packages") or []
    names = tuple(sorted({normalize(str(p["name"])) for p in packages if isinstance(p, dict) and "name" in p}))
    return Manifest(path, kind, lock, locked=names)


def _read_json_lock(path: str, kind: str, lock: bool, text: str) -> Manifest:
    data = json.loads(text)
    if kind == "pipfile.lock":
        names = {normalize(n) for section in ("default", "develop") for n in (data.get(section) or {})}
    else:  # package-lock.json v2/v3: "packages" keyed by node_modules path; v1: "dependencies"
        names = {k.rsplit("node_modules/", 1)[-1] for k in (data.get("packages") or {}) if k}
        names |= set(data.get("dependencies") or {})
    return Manifest(path, kind, lock, locked=tuple(sorted(names)))


# -- YAML and JSON manifests ------------------------------------------------------------------

def _yaml(text: str):
    import yaml  # only when a conda file exists: PyYAML stays off the lint path

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc)) from None


def _conda_pin(spec: str) -> tuple[str | None, str, str]:
    """``(name, pin, specifier)`` of a conda match spec: ``numpy=1.26`` is fuzzy (1.26.*), a range."""
    text = spec.split("::", 1)[-1].strip()
    found = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", text)
    if not found:
        return None, UNKNOWN, ""
    name, rest = found.group(1), found.group(2).strip()
    if not rest:
        return name.lower(), UNPINNED, ""
    if rest.startswith("==") or re.match(r"^=?[0-9][^=*,|<>]*=[^=]+$", rest):  # ==1.2, =1.2.3=build
        return name.lower(), EXACT, rest
    return name.lower(), RANGE, rest


def _read_conda(path: str, kind: str, lock: bool, text: str) -> Manifest:
    data = _yaml(text) or {}
    lines = _Lines(text)
    entries: list[Entry] = []
    includes: list[str | None] = []
    directory = path.rsplit("/", 1)[0] if "/" in path else ""
    after = lines.find("dependencies")[0] - 1
    for item in (data.get("dependencies") or []) if isinstance(data, dict) else []:
        if isinstance(item, str):
            line, column = lines.find(item, after)
            name, pin, spec = _conda_pin(item)
            entries.append(Entry(item, line, column, name, pin, spec, ecosystem="conda"))
        elif isinstance(item, dict) and isinstance(item.get("pip"), list):
            for req in item["pip"]:
                req = str(req).strip()
                line, column = lines.find(req, after)
                if req.startswith(("-r ", "--requirement")):
                    includes.append(_relative(directory, req.split(None, 1)[-1].lstrip("=")))
                    continue
                if req.startswith("-"):
                    continue
                name, pin, spec, marker = classify_requirement(req)
                entries.append(Entry(req, line, column, name, pin, spec, marker, group="pip"))
    return Manifest(path, kind, lock, tuple(entries), tuple(includes), tool="conda")


def _read_conda_lock(path: str, kind: str, lock: bool, text: str) -> Manifest:
    data = _yaml(text) or {}
    names = {str(p.get("name")) for p in (data.get("package") or []) if isinstance(p, dict) and p.get("name")}
    return Manifest(path, kind, lock, locked=tuple(sorted(names)))


def _npm_pin(value: str) -> str:
    text = value.strip()
    if text in ("", "*", "latest", "x") or text.startswith("latest"):
        return UNPINNED
    if text.startswith(("file:", "link:", "./", "../", "workspace:")):
        return LOCAL
    if text.startswith(("git", "github:")) or re.match(r"^[\w-]+/[\w.-]+(#.*)?$", text):
        return VCS if "#" in text else UNPINNED
    if "://" in text:
        return URL
    if re.fullmatch(r"=?v?[0-9]+\.[0-9]+\.[0-9]+[0-9A-Za-z.+-]*", text):
        return EXACT
    return RANGE


def _read_package_json(path: str, kind: str, lock: bool, text: str) -> Manifest:
    data = json.loads(text)
    lines = _Lines(text)
    entries: list[Entry] = []
    for section, group in (("dependencies", None), ("devDependencies", "dev"), ("optionalDependencies", "optional")):
        after = lines.find(f'"{section}"')[0] - 1
        for name, value in (data.get(section) or {}).items() if isinstance(data, dict) else ():
            line, column = lines.find(f'"{name}"', after)
            entries.append(Entry(f"{name}@{value}", line, column, name, _npm_pin(str(value)), str(value),
                                 group=group, ecosystem="npm"))
    return Manifest(path, kind, lock, tuple(entries), tool="npm")


_READERS = {
    "requirements": _read_requirements,
    "constraints": _read_requirements,
    "pyproject": _read_pyproject,
    "pipfile": _read_pipfile,
    "poetry.lock": _read_toml_lock,
    "uv.lock": _read_toml_lock,
    "pdm.lock": _read_toml_lock,
    "pylock": _read_toml_lock,
    "pipfile.lock": _read_json_lock,
    "npm.lock": _read_json_lock,
    "conda": _read_conda,
    "conda-lock": _read_conda_lock,
    "npm": _read_package_json,
}
