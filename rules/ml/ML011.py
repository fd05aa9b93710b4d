"""ML011: two packages that install the same module over each other (opencv-python and -headless)."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.ml.pypi import DEPENDENCIES, EXCLUSIVE
from dockerlint.model import Dockerfile
from dockerlint.model.packages.requirement import canonical_name
from dockerlint.rule import rule
from dockerlint.rules.ml._env import ImageEnv, PyInstall, declared_names, final_stages

# Options that send an install somewhere else than the interpreter's site-packages.
_ELSEWHERE = ("target", "prefix", "root", "user")
# Variables that may point pip at another environment.
_ENV_SWITCHES = frozenset({"PATH", "VIRTUAL_ENV", "PIP_TARGET", "PIP_PREFIX", "PIP_USER", "PYTHONUSERBASE",
                           "UV_PROJECT_ENVIRONMENT", "CONDA_DEFAULT_ENV"})


@rule(id="ML011", name="conflicting-packages", severity=Severity.WARNING, category="ml", on=("RUN",))
def conflicting_packages(df: Dockerfile) -> Iterator[Finding]:
    """Install one OpenCV package and one ONNX Runtime package, not two that overwrite each other.

    Why: `opencv-python`, `opencv-python-headless`, `opencv-contrib-python`
    and `opencv-contrib-python-headless` all install the same `cv2` module,
    and `onnxruntime` and `onnxruntime-gpu` the same `onnxruntime` module.
    pip installs both without a word; the files of the one installed last win,
    and uninstalling one breaks the other. With `onnxruntime` next to
    `onnxruntime-gpu` the GPU goes unused: `Specified provider
    'CUDAExecutionProvider' is not in available provider names. Available
    providers: 'AzureExecutionProvider, CPUExecutionProvider'`. With
    `opencv-python` next to the headless one on a slim image, `import cv2`
    may need libGL again. The pair often comes in through a dependency
    (ultralytics brings opencv-python, easyocr opencv-python-headless).

    Bad:
        FROM python:3.11-slim
        RUN pip install --no-cache-dir onnxruntime==1.19.2 onnxruntime-gpu==1.19.2
    Good:
        FROM python:3.11-slim
        RUN pip install --no-cache-dir onnxruntime-gpu==1.19.2

    Fix: keep one package of each group (the `-gpu` one for GPU inference,
    a `-headless` OpenCV on servers); if a dependency brings the other one,
    `pip uninstall -y` it after the install and reinstall the one you keep
    (`pip install --force-reinstall --no-deps opencv-python-headless`).

    Note: only for installs into one Python environment: the same pip (or
    uv) program with the same PATH and VIRTUAL_ENV, without `--target`,
    `--prefix`, `--root` or `--user`. Dependencies count where the table of
    `dockerlint/ml/pypi.py` is certain of them. Silent when a step
    uninstalls a package of the group (or packages it cannot name:
    `pip uninstall -r file`), and for conda installs.
    References:
    - https://github.com/opencv/opencv-python#installation-and-usage
    - https://github.com/microsoft/onnxruntime/issues/26996
    """
    for stage in final_stages(df):
        env = ImageEnv(df, stage)
        chain = set(map(id, env.chain))
        removed = _removed(env)
        epochs = _epochs(env)
        groups: dict[tuple, dict[str, tuple[PyInstall, str | None]]] = {}
        for install in env.python_installs:
            cmd = install.command
            if cmd.instr.stage is None or id(cmd.instr.stage) not in chain or cmd.manager not in ("pip", "uv") or \
                    install.marker or any(cmd.args.has(o) for o in _ELSEWHERE):
                continue
            if _switches_environment(cmd.instr):
                continue
            where = (*_environment(cmd), epochs.get(id(cmd.instr.parent or cmd.instr)))
            for name, via in [(install.name, None), *((d, install.name) for d in DEPENDENCIES.get(install.name, ()))]:
                for module, members in EXCLUSIVE.items():
                    if name in members and removed is not None and not removed & set(members):
                        groups.setdefault((where, module), {}).setdefault(name, (install, via))
        for (_where, module), found in groups.items():
            if len(found) < 2:
                continue
            (first, (a, a_via)), (second, (b, b_via)) = sorted(found.items(), key=lambda kv: _order(kv[1][0]))[:2]
            yield b.command.instr.finding(_message(module, first, a, a_via, second, b, b_via), span=b.span)


def _environment(cmd) -> tuple:
    """What decides the Python environment a pip/uv command installs into."""
    argv0 = cmd.command.argv[0].value or "" if cmd.command.argv else ""
    directory = argv0.rsplit("/", 1)[0] if "/" in argv0 else None  # /opt/venv/bin/pip: that venv
    system = cmd.manager == "uv" and cmd.args.has("system")
    return directory, system, cmd.command.env("PATH"), cmd.command.env("VIRTUAL_ENV")


def _epochs(env: ImageEnv) -> dict[int, int]:
    """Per instruction of the chain, how many ENVs that may switch the Python environment came before it."""
    out: dict[int, int] = {}
    epoch = 0
    for stage in reversed(env.chain):
        for instr in stage.instructions:
            if instr.keyword == "ENV" and declared_names(instr) & _ENV_SWITCHES:
                epoch += 1
            out[id(instr)] = epoch
    return out


def _switches_environment(instr) -> bool:
    """A RUN that activates a venv or conda env, or exports PATH/VIRTUAL_ENV: which pip runs is not known."""
    for cmd in instr.commands:
        program = cmd.program or ""
        values = [w.value or "" for w in cmd.argv]
        if program in (".", "source") or program in ("conda", "mamba", "micromamba") and "activate" in values:
            return True
        if program == "export" and any(v.split("=", 1)[0] in _ENV_SWITCHES for v in values[1:]):
            return True
    return False


def _removed(env: ImageEnv) -> set[str] | None:
    """Distributions some pip/uv uninstall of the image removes; None when which is not known
    (``pip uninstall -r file``, a name from a variable)."""
    out: set[str] = set()
    for run in env.runs(env.chain):
        for cmd in run.package_commands:
            if cmd.action == "remove" and cmd.manager in ("pip", "uv"):
                if cmd.requirement_files or cmd.args.has("requirement") or cmd.args.has("r"):
                    return None
                words = [w for w in cmd.command.argv if w.start > cmd.verb.start]
                if any(w.value is None for w in words):
                    return None
                out.update(canonical_name(w.value) for w in words if w.value and not w.value.startswith("-"))
    return out


def _order(install: PyInstall) -> tuple:
    span = install.span
    return install.command.instr.index, getattr(span, "line", 0), getattr(span, "column", 0)


def _named(name: str, install: PyInstall, via: str | None) -> str:
    where = f" ({install.file}:{install.line})" if install.file and install.line else ""
    return f"`{name}` (through `{via}`){where}" if via else f"`{name}`{where}"


def _message(module: str, first: str, a: PyInstall, a_via: str | None, second: str, b: PyInstall,
             b_via: str | None) -> str:
    line = a.command.instr.span.line
    both = f"{_named(second, b, b_via)} and {_named(first, a, a_via)} (line {line})"
    if module == "onnxruntime":
        effect = ("with both, the GPU goes unused: `Specified provider 'CUDAExecutionProvider' is not in available "
                  "provider names. Available providers: 'AzureExecutionProvider, CPUExecutionProvider'`")
        keep = "keep only `onnxruntime-gpu` (it runs on the CPU too) or only `onnxruntime`"
    else:
        effect = ("which build you get depends on the install order, and uninstalling one breaks `import cv2` "
                  "for the other")
        keep = "keep only one of them (`opencv-python-headless` on a server)"
    brought = first if a_via else second if b_via else None
    if brought is not None:
        keep += f"; `{brought}` comes with a dependency: `pip uninstall -y {brought}` after the install and " \
                f"reinstall the one you keep with `--force-reinstall --no-deps`"
    return f"{both} install the same `{module}` module over each other: {effect}; {keep}"
