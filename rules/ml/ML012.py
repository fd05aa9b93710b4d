"""ML012: the image's CUDA needs a newer NVIDIA driver on the host than CUDA 12 did (580+ for CUDA 13)."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.ml.cuda import DRIVER_FLOOR, TORCH_INDEX, TORCH_PYPI_CUDA, cuda_of_tag, version_tuple
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.ml._env import ImageEnv, declared_names, final_stages

_HOST_ERROR = ("nvidia-container-cli: requirement error: unsatisfied condition: cuda>={cuda}, please update your "
               "driver to a newer version, or use an earlier cuda container")
_TORCH_ERROR = "The NVIDIA driver on your system is too old"


@rule(id="ML012", name="cuda-driver-floor", severity=Severity.INFO, category="ml", on=("FROM",),
      default_enabled=False)
def cuda_driver_floor(df: Dockerfile) -> Iterator[Finding]:
    """Know the host driver your CUDA needs: CUDA 13 (a `13.x` base, PyPI torch 2.11+) needs driver 580 or newer.

    Why: a container brings its CUDA libraries but uses the host's NVIDIA
    driver, and each CUDA major version has a minimum driver (CUDA 11: 450,
    CUDA 12: 525, CUDA 13: 580). On a GPU host with an older driver an
    `nvidia/cuda:13.*` image does not start (`nvidia-container-cli:
    requirement error: unsatisfied condition: cuda>=13.0, please update your
    driver`), and a torch built for CUDA 13 (PyPI torch 2.11 and later) sees
    no GPU (`The NVIDIA driver on your system is too old`). CUDA 12 hosts
    (drivers 525-579) are still common in clusters and clouds.

    Bad:
        FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04
        RUN apt-get update && apt-get install -y --no-install-recommends python3-pip
        RUN pip3 install torch==2.11.0
    Good:
        FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04
        RUN apt-get update && apt-get install -y --no-install-recommends python3-pip
        RUN pip3 install torch==2.11.0 --index-url https://download.pytorch.org/whl/cu126

    Fix: if your GPU hosts run a driver older than 580, use a CUDA 12 base
    (`nvidia/cuda:12.8.1-...`) and a CUDA 12 torch
    (`--index-url https://download.pytorch.org/whl/cu126`, or torch 2.10 and
    older from PyPI); otherwise nothing: the finding is information.

    Note: off by default (turn it on with `--extend-select ML012` or in the
    config): information only, and info findings fail a run by default, while
    a CUDA 13 image is right on hosts with new drivers; the linter cannot see
    the host's driver (580 is
    the CUDA 13.0 floor; a later 13.x tag may need a later driver, which the
    start check names). Silent with `ENV NVIDIA_DISABLE_REQUIRES`. Reported
    for the final image's base when its tag names CUDA 13 or later, and for a
    pinned torch from PyPI (or a `cu13x` wheel index) whose CUDA major is above
    the base's. Unpinned torch follows the newest release and is not judged.
    References:
    - https://docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html
    - https://github.com/pytorch/pytorch/blob/main/RELEASE.md
    """
    for stage in final_stages(df):
        facts = stage.base_facts
        if facts is None:
            continue
        major = facts.cuda_major
        image = stage.root_image.text if stage.root_image is not None else facts.image
        if major is not None and major >= 13:
            cuda = ".".join(facts.cuda.split(".")[:2]) if facts.cuda else str(major)
            if facts.image != "nvidia/cuda":  # pytorch/pytorch: torch's CUDA (no start-time driver check)
                yield stage.root.from_.finding(
                    f"{image} has CUDA {facts.cuda}: its torch needs an NVIDIA driver {DRIVER_FLOOR[major]} or newer "
                    f"on the host; with an older driver torch sees no GPU (`{_TORCH_ERROR}`); use a CUDA 12 tag if "
                    f"your GPU hosts run drivers {DRIVER_FLOOR[12]}-{DRIVER_FLOOR[13] - 1}")
            elif not _checks_disabled(stage.chain):
                yield stage.root.from_.finding(
                    f"{image} has CUDA {facts.cuda}: it needs a host NVIDIA driver that supports CUDA {cuda} "
                    f"({DRIVER_FLOOR[major]} or newer at the least); with an older driver the container does not "
                    f"start (`{_HOST_ERROR.format(cuda=cuda)}`); use a CUDA 12 base if your GPU hosts run drivers "
                    f"{DRIVER_FLOOR[12]}-{DRIVER_FLOOR[13] - 1}")
            continue
        if major is None:
            continue  # a CPU base: torch's CUDA matters only where someone runs it on a GPU
        env = ImageEnv(df, stage)
        for install in env.python_installs:
            if install.name != "torch" or install.command.ecosystem != "pypi" or install.marker:
                continue
            torch_cuda = _torch_cuda(install)
            if torch_cuda is None or int(torch_cuda.split(".")[0]) <= major:
                continue
            torch_major = int(torch_cuda.split(".")[0])
            floor = DRIVER_FLOOR.get(torch_major)
            if floor is None:
                continue
            yield install.command.instr.finding(
                f"`{install.text or install.name}` is built for CUDA {torch_cuda}, on {image} (CUDA {facts.cuda}): "
                f"torch brings its own CUDA {torch_major} libraries, which need an NVIDIA driver {floor} or newer on "
                f"the host, not the {DRIVER_FLOOR.get(major, '?')} the base needs; with an older driver torch sees no "
                f"GPU (`{_TORCH_ERROR}`); for CUDA {major} hosts install torch from "
                f"`https://download.pytorch.org/whl/cu{_newest_tag(major)}`", span=install.span)


def _checks_disabled(chain) -> bool:
    """``ENV NVIDIA_DISABLE_REQUIRES=true``: the container runtime does not check the driver at start."""
    return any(i.keyword == "ENV" and "NVIDIA_DISABLE_REQUIRES" in declared_names(i)
               for stage in chain for i in stage.instructions)


def _torch_cuda(install) -> str | None:
    """The CUDA a torch install is built for: its ``+cuXYZ`` or wheel index, else a pinned PyPI release's."""
    if install.version and "+" in install.version:
        return cuda_of_tag(install.version.split("+", 1)[1])
    for url in install.indexes:
        found = TORCH_INDEX.search(url)
        if found:
            return cuda_of_tag(found["variant"])
    if install.indexes:
        return None  # another index: not known
    pinned = version_tuple(install.version) if install.version else None
    return TORCH_PYPI_CUDA.get(pinned) if pinned else None


def _newest_tag(major: int) -> str:
    """A PyTorch wheel index of a CUDA major with the most releases (cu126: torch 2.6-2.14; cu118: to 2.7)."""
    return {11: "118", 12: "126"}.get(major, f"{major}0")
