"""ML006: a package that compiles CUDA code, on an image without nvcc."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.ml.cuda import NEEDS_NVCC
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.ml._env import ImageEnv, declared_names

_TOOLKIT = ("cuda-nvcc", "cuda-toolkit", "nvidia-cuda-toolkit", "cuda-compiler", "cuda-minimal-build")
_SKIP_BUILD = {"flash-attn": "FLASH_ATTENTION_SKIP_CUDA_BUILD"}
# Packages that compile CUDA code only when a variable asks for it (DeepSpeed's prebuilt ops: its
# op_builder raises MissingCUDAException without a toolkit, microsoft/DeepSpeed#2772).
_BUILD_WHEN = {"deepspeed": ("DS_BUILD_OPS", "deepspeed.ops.op_builder.builder.MissingCUDAException: CUDA_HOME does "
                                             "not exist, unable to compile CUDA op(s)")}


@rule(id="ML006", name="cuda-build-without-nvcc", severity=Severity.ERROR, category="ml", on=("RUN",))
def cuda_build_without_nvcc(df: Dockerfile) -> Iterator[Finding]:
    """Build CUDA extensions on a `devel` image: flash-attn, apex, mamba-ssm need nvcc.

    Why: these packages ship no Linux wheel on PyPI, so pip compiles them,
    and that needs the CUDA compiler. `python:*` images have no CUDA at all,
    and `nvidia/cuda:*-runtime` / `-base` (and `pytorch/pytorch:*-runtime`)
    have the CUDA libraries but not nvcc: the build fails with
    `flash_attn was requested, but nvcc was not found` or
    `OSError: CUDA_HOME environment variable is not set`.

    Bad:
        FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04
        RUN apt-get update && apt-get install -y --no-install-recommends python3-pip
        RUN pip3 install torch==2.4.1 && pip3 install flash-attn==2.6.3 --no-build-isolation
    Good:
        FROM nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04
        RUN apt-get update && apt-get install -y --no-install-recommends python3-pip
        RUN pip3 install torch==2.4.1 && pip3 install flash-attn==2.6.3 --no-build-isolation

    Fix: build in a `-devel` stage and copy the environment into a `-runtime`
    stage, or install a prebuilt wheel by URL.

    DeepSpeed compiles its ops at install time when `DS_BUILD_OPS=1` is set,
    and fails the same way (`MissingCUDAException: CUDA_HOME does not exist`).

    Note: silent when a step installs the toolkit (`cuda-nvcc`, `cuda-toolkit`,
    `nvidia-cuda-toolkit` with apt or conda), when the package comes as a wheel
    file or URL, for flash-attn with `FLASH_ATTENTION_SKIP_CUDA_BUILD` set
    (it downloads a prebuilt wheel), and for images whose toolkit is not known.
    References:
    - https://github.com/Dao-AILab/flash-attention/issues/1229
    """
    for stage in df.stages:
        facts = stage.base_facts
        if facts is None or facts.has_nvcc is True:
            continue
        if facts.has_nvcc is None and (facts.cuda is not None or facts.python_complete is False):
            continue  # a CUDA image of unknown flavour, or a big image that may have a toolkit
        env = ImageEnv(df, stage)
        if _has_toolkit(env):
            continue
        image = stage.root_image.text if stage.root_image is not None else facts.image
        kind = "has the CUDA libraries but no nvcc" if facts.cuda is not None else "has no CUDA toolkit"
        for install in env.python_installs:
            if install.command.instr.stage is not stage:
                continue
            error = NEEDS_NVCC.get(install.name)
            when = _BUILD_WHEN.get(install.name)
            if when is not None and (install.command.command.env(when[0]) or "").strip() not in ("", "0"):
                error = when[1]
            if error is None:
                continue
            if (install.text or "").endswith(".whl") or "://" in (install.text or ""):
                continue
            skip = _SKIP_BUILD.get(install.name)
            if skip and (install.command.command.env(skip) or _stage_env(stage, skip)):
                continue
            yield install.command.instr.finding(
                f"`{install.text or install.name}` compiles CUDA code when installed, but {image} {kind}: the build "
                f"fails with `{error}`; build it on a `-devel` CUDA image (and copy the result "
                f"into the runtime stage) or install a prebuilt wheel", span=install.span)


def _has_toolkit(env: ImageEnv) -> bool:
    for run in env.runs(env.chain):
        for cmd in run.installs:
            if any((p.name or "").startswith(_TOOLKIT) or p.name is None for p in cmd.packages):
                return True
    return False


def _stage_env(stage, name: str) -> bool:
    return any(name in declared_names(instr) for s in stage.chain for instr in s.instructions)
