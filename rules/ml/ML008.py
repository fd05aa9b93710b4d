"""ML008: the container starts a tool (jupyter, streamlit, uvicorn...) that nothing installs."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.ml.pypi import with_dependencies
from dockerlint.ml.tools import JUPYTER_SUBCOMMANDS, TOOLS
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.ml._code import install_to_extend
from dockerlint.rules.ml._env import ImageEnv, final_stages, start_commands


@rule(id="ML008", name="tool-not-installed", severity=Severity.ERROR, category="ml", on=("CMD", "ENTRYPOINT"))
def tool_not_installed(df: Dockerfile) -> Iterator[Finding]:
    """Install the tool the container starts with: `pip install jupyterlab` before `CMD ["jupyter", "lab"]`.

    Why: the build succeeds, then `docker run` fails at once with
    `/bin/sh: 1: jupyter: not found` (shell form) or
    `exec: "jupyter": executable file not found in $PATH` (exec form).
    A tool that came with your laptop's environment (or with the Jupyter image
    you started from) is not in a `python:*-slim` image. `jupyter` alone is not
    enough either: `jupyter lab` needs JupyterLab and `jupyter notebook` needs
    Notebook; with only jupyter-core the container prints a usage text and exits.

    Bad:
        FROM python:3.12-slim
        RUN pip install --no-cache-dir pandas==2.2.2
        CMD ["jupyter", "lab", "--ip=0.0.0.0"]
    Good:
        FROM python:3.12-slim
        RUN pip install --no-cache-dir pandas==2.2.2 jupyterlab==4.2.5
        CMD ["jupyter", "lab", "--ip=0.0.0.0"]

    Fix: add the package the message names to the install step it names.
    Options: none.

    Note: knows jupyter (lab, notebook, server, nbconvert), streamlit, mlflow,
    tensorboard, uvicorn, gunicorn, hypercorn, gradio, bentoml, celery, voila,
    papermill, torchrun, accelerate, huggingface-cli, fastapi, flask, chainlit,
    panel and dvc. Counts what a dependency brings (mlflow brings gunicorn,
    tensorflow brings tensorboard, `fastapi[standard]` brings uvicorn), distro
    packages named after the tool (`apt-get install jupyter-notebook`) and
    what the base image carries (jupyter/* images have JupyterLab).
    Silent for base images whose contents are not fully known, installs it
    cannot read (a requirements file it cannot find, `$PKGS`, scripts), and
    `COPY --from` another image.
    """
    for stage in final_stages(df):
        env = ImageEnv(df, stage)
        facts = env.facts
        if facts is None or facts.has_python is None:
            continue
        for start in start_commands(stage):
            program = start.argv[0].rsplit("/", 1)[-1]
            tool = TOOLS.get(program)
            if tool is None:
                continue
            dists, install = tool.distributions, tool.install
            sub = start.argv[1] if program == "jupyter" and len(start.argv) > 1 else None
            if sub in JUPYTER_SUBCOMMANDS:
                dists, install = JUPYTER_SUBCOMMANDS[sub]
            if any(facts.carries_python_package(d) is not False for d in dists):
                continue  # the base image has it, or may have it
            if env.is_open or _installed(env, dists, tool.extras, program):
                continue
            what = f"`{program} {sub}`" if sub in JUPYTER_SUBCOMMANDS else f"`{program}`"
            error = f"exec: \"{program}\": executable file not found in $PATH" if start.instr.cmd.exec_form \
                and start.instr.cmd.argv and start.instr.cmd.argv[0] == start.argv[0] \
                else f"/bin/sh: 1: {program}: not found"
            if sub in JUPYTER_SUBCOMMANDS and _installed(env, tool.distributions, (), program):
                what = f"`{program} {sub}`, a subcommand that comes with `{install}`"
                error = f"Jupyter command `jupyter-{sub}` not found."  # jupyter-core is there, the subcommand not
            shown = f"\"{error}\"" if "`" in error else f"`{error}`"
            if "Jupyter command" in error:
                provided = with_dependencies(env.installed_names)
                brings = next((i.name for i in env.python_installs if i.name in provided and
                               set(with_dependencies({i.name})) & set(tool.distributions)), None)
                if brings:
                    shown += f" ({brings} brings the `jupyter` program, not this subcommand)"
            command, via = install_to_extend(env)
            if command is not None and via:
                fix = f"add `{install}` to {via} (installed on line {command.instr.span.line})"
            elif command is not None:
                fix = f"add `{install}` to the install on line {command.instr.span.line}"
            else:
                fix = f"add `RUN pip install --no-cache-dir {install}`"
            yield start.instr.finding(
                f"{start.instr.keyword} runs {what}, but no step installs it and {facts.image} does not carry it: "
                f"the container stops at start with {shown}; {fix}")


def _installed(env: ImageEnv, dists: tuple[str, ...], extras: tuple[tuple[str, str], ...], program: str) -> bool:
    provided = with_dependencies(env.installed_names)
    if any(d in provided for d in dists):
        return True
    if any(i.name == d and extra in i.extras for i in env.python_installs for d, extra in extras):
        return True
    system = env.system_packages
    return system is None or any(program in name for name in system)
