"""The code an image runs and the imports nothing installs (ML004's reading, ML008 shares start commands)."""
from __future__ import annotations

import re
from typing import NamedTuple

from dockerlint.context.imports import Import, local_modules, notebook_imports, python_imports
from dockerlint.ml.pypi import distributions_for, normalize, provided_imports, with_dependencies
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


class Missing(NamedTuple):
    """A distribution the code needs and no step installs."""

    distribution: str
    module: str
    places: tuple[str, ...]  # "app/main.py:3"
    anchor: object  # the instruction to report on (the install step to extend, else the COPY)
    install: object | None  # the PackageCommand to extend
    via_file: str | None  # the requirements file that install reads

    def finding(self):
        where = ", ".join(self.places[:3]) + (f" and {len(self.places) - 3} more" if len(self.places) > 3 else "")
        top = self.module.split(".")[0]
        if self.install is not None and self.via_file:
            fix = f"add `{self.distribution}` to {self.via_file} (installed on line {self.install.instr.span.line})"
        elif self.install is not None:
            fix = f"add `{self.distribution}` to the install on line {self.install.instr.span.line}"
        else:
            fix = f"add `RUN pip install --no-cache-dir {self.distribution}` before the code runs"
        return self.anchor.finding(
            f"{where} imports `{self.module}`, but nothing in the image installs `{self.distribution}`: the "
            f"program fails with `ModuleNotFoundError: No module named '{top}'`; {fix}")


def code_files(env: ImageEnv) -> list[CodeFile]:
    """Python files and notebooks of the context that COPY/ADD put into the image's stages."""
    context = env.df.context
    if context is None:
        return []
    try:
        files = context.files
    except OSError:
        return []
    out: list[CodeFile] = []
    seen: set[str] = set()
    for stage in env.feeding_stages:
        for instr in stage.instructions:
            spec = instr.copy if instr.keyword in ("COPY", "ADD") else None
            if spec is None or spec.from_ is not None:
                continue
            for source in spec.sources:
                if source.value is None or "://" in source.value:
                    continue
                rel = context.relative(source.value)
                for path in _under(files, rel):
                    if path not in seen and path.endswith((".py", ".ipynb")):
                        seen.add(path)
                        out.append(CodeFile(path, instr))
                        if len(out) >= MAX_FILES:
                            return out
    return out


def _under(files: tuple[str, ...], rel: str) -> list[str]:
    if rel == ".":
        return list(files)
    if any(ch in rel for ch in "*?["):
        import fnmatch
        return [f for f in files if fnmatch.fnmatch(f, rel)]
    prefix = rel.rstrip("/") + "/"
    return [f for f in files if f == rel or f.startswith(prefix)]


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


def _missing_in(env: ImageEnv) -> list[Missing]:
    facts = env.facts
    assert facts is not None
    code = code_files(env)
    local = set(local_modules(c.path for c in code))
    local |= {normalize(i.name) for i in env.python_installs if i.file and i.file.endswith("pyproject.toml")}
    jupyter = _runs_jupyter(env)
    found: dict[str, tuple[str, list[str], object]] = {}  # distribution -> (module, places, copy)
    for file in code:
        if _NOT_RUN.search(file.path) or (file.path.endswith(".ipynb") and not jupyter):
            continue
        text = env.read_context(file.path)
        if text is None or len(text) >= MAX_BYTES:
            continue
        imports = notebook_imports(text) if file.path.endswith(".ipynb") else python_imports(text)
        for imp in imports:
            _note(found, imp, f"{file.path}:{imp.line}", file.copy, local)
    for instr, code_text, module in _inline_code(env):
        if code_text is not None:
            for imp in python_imports(code_text):
                _note(found, imp, f"the `python -c` code on line {instr.span.line}", instr, local)
        elif module is not None and module.split(".")[0] not in local:
            _note(found, Import(module, 1, 1), f"`python -m {module}` on line {instr.span.line}", instr, local)
    if not found:
        return []
    provided = with_dependencies(env.installed_names | set(facts.python_packages))
    names = {normalize(n) for dist in provided for n in provided_imports(dist)}
    install, via = _install_to_extend(env)
    out = []
    for dist, (module, places, copy) in found.items():
        if _provided(module, dist, provided, names):
            continue
        anchor = install.instr if install is not None else copy
        out.append(Missing(dist, module, tuple(places), anchor, install, via))
    return out


def _note(found: dict, imp: Import, place: str, anchor, local: set[str]) -> None:
    top = imp.top
    if top in local or top.startswith("_"):
        return
    if top in NAMESPACES and imp.names and distributions_for(imp.module) == (normalize(top),):
        for name in imp.names:  # from google.cloud import bigquery
            _note(found, imp._replace(module=f"{imp.module}.{name}", names=()), place, anchor, local)
        return
    dists = distributions_for(imp.module)
    if top in NAMESPACES and dists == (normalize(top),):
        return  # `import google`: which distribution is not known
    dist = dists[0]
    entry = found.setdefault(dist, (imp.module, [], anchor))
    entry[1].append(place)


def _provided(module: str, dist: str, provided: set[str], names: set[str]) -> bool:
    if any(d in provided for d in distributions_for(module)):
        return True
    parts = module.split(".")
    return any(normalize(".".join(parts[:n])) in names for n in range(1, len(parts) + 1))


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


def _install_to_extend(env: ImageEnv):
    """The last pip-like install of the final stage chain (and the requirements file it reads)."""
    last = None
    via = None
    for install in env.python_installs:
        if install.command.manager in ("pip", "uv", "poetry", "pipenv", "pdm") and \
                install.command.instr.stage in env.feeding_stages:
            last = install.command
            via = install.file
    return last, via
