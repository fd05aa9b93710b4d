"""Command-line tools ML images start with, and the Python distributions that install them.

Source: each distribution's ``[project.scripts]`` / ``console_scripts`` entry points
(jupyter-core: ``jupyter``; jupyterlab: ``jupyter-lab`` and the ``jupyter lab``
subcommand; notebook: ``jupyter-notebook``; streamlit, mlflow, tensorboard,
uvicorn, gunicorn, gradio, bentoml, celery: a script of the same name), and
/work/shared/knowledge/ml_deps.md §2a (``jupyter notebook`` needs notebook,
``jupyter lab`` needs jupyterlab; jupyter-core alone only prints usage:
nsidc/NSIDC-Data-Access-Notebook#12, jupyter/notebook#5558).
"""
from __future__ import annotations

from typing import NamedTuple


class Tool(NamedTuple):
    program: str
    distributions: tuple[str, ...]  # any one provides it (PEP 503 names; dependencies are followed)
    install: str  # what to add to the install
    extras: tuple[tuple[str, str], ...] = ()  # (distribution, extra) pairs that also bring it


_JUPYTER_ANY = ("jupyter-core", "jupyterlab", "notebook", "jupyter", "nbclassic", "voila", "jupyter-server")

TOOLS: dict[str, Tool] = {t.program: t for t in (
    Tool("jupyter", _JUPYTER_ANY, "jupyterlab"),
    Tool("jupyter-lab", ("jupyterlab", "jupyter"), "jupyterlab"),
    Tool("jupyter-notebook", ("notebook", "jupyter"), "notebook"),
    Tool("streamlit", ("streamlit",), "streamlit"),
    Tool("mlflow", ("mlflow", "mlflow-skinny"), "mlflow"),
    Tool("tensorboard", ("tensorboard", "tb-nightly"), "tensorboard"),
    Tool("uvicorn", ("uvicorn",), "uvicorn", extras=(("fastapi", "standard"), ("fastapi", "all"))),
    Tool("gunicorn", ("gunicorn",), "gunicorn"),
    Tool("gradio", ("gradio",), "gradio"),
    Tool("bentoml", ("bentoml",), "bentoml"),
    Tool("celery", ("celery",), "celery"),
    Tool("hypercorn", ("hypercorn",), "hypercorn"),
    Tool("voila", ("voila",), "voila"),
    Tool("papermill", ("papermill",), "papermill"),
    Tool("torchrun", ("torch",), "torch"),
    Tool("accelerate", ("accelerate",), "accelerate"),
    Tool("huggingface-cli", ("huggingface-hub",), "huggingface-hub"),
    Tool("fastapi", ("fastapi-cli",), "fastapi[standard]", extras=(("fastapi", "standard"), ("fastapi", "all"))),
    Tool("flask", ("flask",), "flask"),
    Tool("chainlit", ("chainlit",), "chainlit"),
    Tool("panel", ("panel",), "panel"),
    Tool("dvc", ("dvc",), "dvc"),
)}

# ``jupyter <subcommand>``: the distribution that adds the subcommand.
JUPYTER_SUBCOMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "lab": (("jupyterlab", "jupyter"), "jupyterlab"),
    "notebook": (("notebook", "jupyter"), "notebook"),
    "nbclassic": (("nbclassic",), "nbclassic"),
    "server": (("jupyter-server", "jupyterlab", "notebook", "jupyter"), "jupyter-server"),
    "nbconvert": (("nbconvert", "jupyter", "notebook", "jupyter-server", "jupyterlab"), "nbconvert"),
    "kernelgateway": (("jupyter-kernel-gateway",), "jupyter-kernel-gateway"),
}
