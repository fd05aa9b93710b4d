"""The code an image runs and the imports nothing installs (ML004's reading, ML008 shares start commands)."""
from __future__ import annotations

import posixpath
import re
from typing import NamedTuple

from dockerlint.context.copies import UNKNOWN_CWD
from dockerlint.context.imports import Import, local_modules, notebook_imports, python_imports
from dockerlint.ml.pypi import (
    DEPENDENCIES,
    IMPORT_TO_DISTRIBUTIONS,
    UBIQUITOUS,
    distributions_for,
    provided_imports,
    squashed,
    with_dependencies,
)
from dockerlint.ml.tools import TOOLS
from dockerlint.model.packages.requirement import canonical_name
from dockerlint.rules.ml._env import ImageEnv, final_stages, python_code_args, start_commands

MAX_FILES = 3000
MAX_BYTES = 1 << 20
# Top-level names shared by many distributions: only a known dotted prefix decides.
NAMESPACES = frozenset({"google", "azure", "zope", "jaraco", "backports", "ruamel", "sphinxcontrib", "plone",
                        "oslo", "nvidia"})
# Code that does not run when the container starts.
_NOT_RUN = re.compile(r"(^|/)(tests?|testing|docs?|examples?|benchmarks?|\.[^/]+)/|(^|/)(test_[^/]*|[^/]*_test|"
                      r"conftest|setup|noxfile|fabfile|tasks|manage)\.py$")
_JUPYTER = re.compile(r"jupyter|voila|papermill|nbconvert|ipython")


class CodeFile(NamedTuple):
    path: str  # relative to the context
    copy: object  # the COPY/ADD that brings it


class Place(NamedTuple):
    """Where code imports a module: a file of the context (``file``, ``line``, ``column``), or inline code
    on a Dockerfile instruction (``file`` None, ``instr`` set)."""

    label: str  # "app/main.py:3", "the `python -c` code on line 4"
    file: str | None = None  # context-relative path of the .py / .ipynb
    line: int = 0
    column: int = 0
    instr: object | None = None


class Missing(NamedTuple):
    """A distribution the code needs and no step installs."""

    distribution: str
    module: str
    places: tuple[Place, ...]
    anchor: object  # the Dockerfile instruction for inline code (the install step, else the first COPY)
    install: object | None  # the PackageCommand to extend
    via_file: str | None  # the requirements file that install reads

    def finding(self, df):
        """Reported at the first import in a file of the context (file, line, column of the import);
        at the instruction when the only imports are inline ``python -c``/``-m`` code."""
        top = self.module.split(".")[0]
        first = next((p for p in self.places if p.file is not None), None)
        named = first or self.places[0]  # the place the message names first
        others = [p.label for p in self.places if p is not named]
        here = first is not None and df.context is not None
        also = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        if here:
            where = f"`{self.module}` is imported here" + (f" (and in {also})" if also else "")
        else:
            where = named.label + (f" (and {also})" if also else "") + f" imports `{self.module}`"
        if self.install is not None and self.via_file:
            fix = f"add `{self.distribution}` to {self.via_file} (installed on line {self.install.instr.span.line})"
        elif self.install is not None:
            fix = f"add `{self.distribution}` to the install on line {self.install.instr.span.line}"
        else:
            fix = f"add `RUN pip install --no-cache-dir {self.distribution}` before the code runs"
        if first is not None and self.install is not None:
            fix = fix.replace("(installed on line", "(installed on Dockerfile line").replace(
                "the install on line", "the install on Dockerfile line")
        message = (f"{where}, but nothing in the image installs `{self.distribution}`: the "
                   f"program fails with `ModuleNotFoundError: No module named '{top}'`; {fix}")
        if first is None or df.context is None:
            return self.anchor.finding(message)
        from dockerlint.findings import Finding
        from dockerlint.model import Span

        text = df.context.read_text(first.file) or ""
        lines = text.splitlines()
        line = lines[first.line - 1] if 0 < first.line <= len(lines) else ""
        column = max(first.column, 1)
        span = Span(0, 0, first.line, column, first.line, max(len(line.rstrip()) + 1, column + 1))
        return Finding(message=message, span=span, path=df.context.shown_path(first.file, df.path))


def image_code(env: ImageEnv) -> dict[str, CodeFile]:
    """Python files and notebooks that COPY/ADD put into the image, by their path in the image
    (where each lands: ``BuildContext.landings``, the context engine's reading of the COPY)."""
    context = env.df.context
    if context is None:
        return {}
    out: dict[str, CodeFile] = {}
    for stage in env.feeding_stages:
        for instr in stage.instructions:
            if instr.keyword not in ("COPY", "ADD") or instr.copy is None or instr.copy.from_ is not None:
                continue
            try:
                landed = context.landings(instr)
            except OSError:
                return {}
            for image, path in landed.items():
                if path.endswith((".py", ".ipynb")):
                    out[image] = CodeFile(path, instr)
                    if len(out) >= MAX_FILES:
                        return out
    return out


def _runs_jupyter(env: ImageEnv) -> bool:
    return any(_JUPYTER.search(" ".join(c.argv)) for c in start_commands(env.stage))


def missing_imports(df) -> list[Missing]:
    out: list[Missing] = []
    for stage in final_stages(df):
        env = ImageEnv(df, stage)
        facts = env.facts
        if facts is None or facts.has_python is None or (facts.has_python and not facts.python_complete):
            continue
        if env.is_open:
            continue
        out.extend(_missing_in(env))
    return out


class _Program(NamedTuple):
    scripts: list[str]  # image paths of the scripts the image runs
    modules: list[str]  # modules it runs (python -m, uvicorn app.main:app)
    roots: list[str]  # directories on sys.path (WORKDIR, the script's directory, PYTHONPATH)


_SERVERS = frozenset({"uvicorn", "gunicorn", "hypercorn", "daphne", "granian"})
_RUNNERS = {"streamlit": "run", "chainlit": "run", "solara": "run", "fastapi": None, "panel": "serve",
            "gradio": None, "torchrun": None, "accelerate": "launch", "deepspeed": None, "voila": None}


def _program(env: ImageEnv) -> _Program:
    scripts: list[str] = []
    modules: list[str] = []
    roots: list[str] = []
    lines = [(s.argv, s.instr) for s in start_commands(env.stage, env)]
    for run in env.runs(env.chain):
        lines.extend((tuple(w.value or "" for w in c.argv), run) for c in run.commands)
    for argv, instr in lines:
        cwd = instr.cwd or UNKNOWN_CWD  # as the context engine names an unknown WORKDIR
        roots.append(cwd)
        program = argv[0].rsplit("/", 1)[-1] if argv else ""
        positional = [a for a in argv[1:] if not a.startswith("-")]
        if re.fullmatch(r"python[0-9.]*", program):
            code, module = python_code_args(argv)
            if module:
                modules.append(module)
            elif code is None:
                script = _first_script(argv[1:])
                if script:
                    scripts.append(posixpath.normpath(posixpath.join(cwd, script)))
        elif program in _SERVERS:
            for arg in positional:
                if ":" in arg:
                    modules.append(arg.split(":", 1)[0])
            app_dir = _option(argv, "--app-dir", "--chdir")
            if app_dir:
                roots.append(posixpath.join(cwd, app_dir))
        elif program in _RUNNERS:
            script = _first_script(argv[1:])
            if script:
                scripts.append(posixpath.normpath(posixpath.join(cwd, script)))
        elif program in ("celery", "flask", "bentoml"):
            app = _option(argv, "-A", "--app") or next((a for a in positional if ":" in a), None)
            if app:
                modules.append(app.split(":", 1)[0])
    pythonpath = env.stage.final_scope.get("PYTHONPATH") if hasattr(env.stage.final_scope, "get") else None
    if isinstance(pythonpath, str):
        roots.extend(p for p in pythonpath.split(":") if p.startswith("/"))
    roots.extend(posixpath.dirname(s) for s in scripts)
    return _Program(scripts, modules, roots)


def _first_script(args: tuple[str, ...]) -> str | None:
    for arg in args:
        if arg.endswith((".py", ".ipynb")):
            return arg
    return None


def _option(argv: tuple[str, ...], *names: str) -> str | None:
    for i, arg in enumerate(argv):
        for name in names:
            if arg == name and i + 1 < len(argv):
                return argv[i + 1]
            if arg.startswith(name + "="):
                return arg[len(name) + 1:]
    return None


class _Modules:
    """Find the project's modules among the image's code files by their dotted names."""

    def __init__(self, code: dict[str, CodeFile], roots: list[str]):
        self.code = code
        self.roots = [r.rstrip("/") for r in roots]

    def find(self, module: str) -> list[str]:
        """Image paths of ``module`` (its file or package ``__init__``, and its parent packages)."""
        path = module.replace(".", "/")
        out: list[str] = []
        for suffix in (f"{path}.py", f"{path}/__init__.py"):
            rooted = [f"{r}/{suffix}" for r in self.roots if f"{r}/{suffix}" in self.code]
            found = rooted or [p for p in self.code if p.endswith("/" + suffix)]
            out.extend(found)
        return out

    def relative(self, file: str, imp: Import) -> list[str]:
        base = posixpath.dirname(file)
        for _ in range(imp.level - 1):
            base = posixpath.dirname(base)
        target = posixpath.join(base, imp.module.replace(".", "/")) if imp.module else base
        out = [p for p in (f"{target}.py", f"{target}/__init__.py") if p in self.code]
        for name in imp.names:
            out.extend(p for p in (f"{target}/{name}.py", f"{target}/{name}/__init__.py") if p in self.code)
        return out


def program_code(env: ImageEnv) -> list[tuple[str, CodeFile]]:
    """(image path, file) of the Python code the start command reaches through the project's modules
    (ML009 reads the model paths in it); tests, docs and setup scripts left out."""
    code = image_code(env)
    local = set(local_modules(c.path for c in code.values()))
    visited: list[str] = []
    _reachable(env, code, local, visited)
    return [(p, code[p]) for p in visited if p.endswith(".py") and not _NOT_RUN.search(code[p].path)]


def _reachable(env: ImageEnv, code: dict[str, CodeFile], local: set[str],
               visited: list[str] | None = None) -> list[tuple[str, Import]]:
    """(image path, import) of every third-party import in the code the image runs; the files read
    are appended to ``visited``."""
    program = _program(env)
    modules = _Modules(code, program.roots)
    todo = [p for p in program.scripts if p in code]
    for module in program.modules:
        todo.extend(modules.find(module) + modules.find(f"{module}.__main__"))
    seen: set[str] = set()
    out: list[tuple[str, Import]] = []
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        if visited is not None:
            visited.append(path)
        text = env.read_context(code[path].path)
        if text is None or len(text) >= MAX_BYTES:
            continue
        imports = notebook_imports(text) if path.endswith(".ipynb") else python_imports(text, relative=True)
        for imp in imports:
            if imp.level:
                todo.extend(modules.relative(path, imp))
                continue
            found = modules.find(imp.module)
            for name in imp.names:
                found += modules.find(f"{imp.module}.{name}")
            if found:
                todo.extend(found)
                parts = imp.module.split(".")
                todo.extend(p for n in range(1, len(parts)) for p in modules.find(".".join(parts[:n])))
            elif imp.top not in local:
                out.append((path, imp))
    return out


def _missing_in(env: ImageEnv) -> list[Missing]:
    facts = env.facts
    assert facts is not None
    code = image_code(env)
    local = set(local_modules(c.path for c in code.values()))
    local |= {canonical_name(i.name).replace("-", "_") for i in env.python_installs
              if i.file and i.file.endswith("pyproject.toml")}
    found: dict[str, tuple[str, list[Place], object]] = {}  # distribution -> (module, places, anchor)
    for path, imp in _reachable(env, code, local):
        file = code[path]
        if not _NOT_RUN.search(file.path):
            _note(found, imp, Place(f"{file.path}:{imp.line}", file.path, imp.line, imp.column), file.copy, local)
    if _runs_jupyter(env):
        for file in code.values():
            if file.path.endswith(".ipynb") and not _NOT_RUN.search(file.path):
                text = env.read_context(file.path)
                for imp in notebook_imports(text) if text and len(text) < MAX_BYTES else []:
                    _note(found, imp, Place(f"{file.path}:{imp.line}", file.path, imp.line, imp.column), file.copy,
                          local)
    for instr, code_text, module in _inline_code(env):
        if code_text is not None:
            for imp in python_imports(code_text):
                _note(found, imp, Place(f"the `python -c` code on line {instr.span.line}", instr=instr), instr, local)
        elif module is not None and module.split(".")[0] not in local and _known_module(module):
            _note(found, Import(module, 1, 1), Place(f"`python -m {module}` on line {instr.span.line}", instr=instr),
                  instr, local)
    if not found:
        return []
    provided = with_dependencies(env.installed_names | set(facts.python_packages))
    names = {canonical_name(n) for dist in provided for n in provided_imports(dist)}
    families = {d.split("-")[0] for d in provided if "-" in d and d.split("-")[0] not in _COMMON_PREFIXES}
    squashed_names = [squashed(d) for d in provided]
    unknown_deps = any(d not in DEPENDENCIES for d in env.installed_names)
    install, via = install_to_extend(env)
    out = []
    for dist, (module, places, copy) in found.items():
        if _provided(module, dist, provided, names) or dist.split("-")[0] in families:
            continue
        top = squashed(module if module.split(".")[0] in NAMESPACES else module.split(".")[0])
        if len(top) >= 4 and any(top in name for name in squashed_names):
            continue  # argostranslate from argos-translate-lt: a distribution named after the module
        if unknown_deps and dist in UBIQUITOUS:
            continue  # markupsafe, requests...: some installed package probably depends on it
        anchor = install.instr if install is not None else copy
        out.append(Missing(dist, module, tuple(places), anchor, install, via))
    return out


def _known_module(module: str) -> bool:
    """A ``python -m`` target we know is a third-party module (never the project's own)."""
    top = module.split(".")[0]
    return top in IMPORT_TO_DISTRIBUTIONS or top in TOOLS or canonical_name(top) in DEPENDENCIES


# Name prefixes too common to say two distributions belong together (python-dotenv, python-jose).
_COMMON_PREFIXES = frozenset({"python", "py", "django", "flask", "pytest", "types", "sphinx", "mkdocs", "jupyter",
                              "apache", "google", "azure", "aws", "open", "fast", "simple", "easy", "lib"})


def _note(found: dict, imp: Import, place: Place, anchor, local: set[str]) -> None:
    top = imp.top
    if top in local or top.startswith("_"):
        return
    if top in NAMESPACES and imp.names and distributions_for(imp.module) == (canonical_name(top),):
        for name in imp.names:  # from google.cloud import bigquery
            _note(found, imp._replace(module=f"{imp.module}.{name}", names=()), place, anchor, local)
        return
    dists = distributions_for(imp.module)
    if top in NAMESPACES and dists == (canonical_name(top),):
        return  # `import google`: which distribution is not known
    dist = dists[0]
    entry = found.setdefault(dist, (imp.module, [], anchor))
    if place not in entry[1]:
        entry[1].append(place)


def _provided(module: str, dist: str, provided: set[str], names: set[str]) -> bool:
    if any(d in provided for d in distributions_for(module)):
        return True
    parts = module.split(".")
    return any(canonical_name(".".join(parts[:n])) in names for n in range(1, len(parts) + 1))


def _inline_code(env: ImageEnv):
    """(instruction, ``python -c`` code, ``python -m`` module) of RUN lines and start commands."""
    for run in env.runs(env.chain):
        for cmd in run.commands:
            values = tuple(w.value or "" for w in cmd.argv)
            code, module = python_code_args(values)
            if code is not None or module is not None:
                if module in ("pip", "venv", "ensurepip", "spacy", "nltk", "unittest", "pytest", "compileall"):
                    continue
                yield run, code, None
    for start in start_commands(env.stage):
        code, module = python_code_args(start.argv)
        if module in ("pip", "venv", "http.server", "unittest", "compileall"):
            continue
        if code is not None or module is not None:
            yield start.instr, code, module


def install_to_extend(env: ImageEnv):
    """The last pip-like install of the final stage chain (and the requirements file it reads)."""
    last = None
    via = None
    for install in env.python_installs:
        if install.command.manager in ("pip", "uv", "poetry", "pipenv", "pdm") and \
                install.command.instr.stage in env.feeding_stages:
            last = install.command
            via = install.file
    return last, via
