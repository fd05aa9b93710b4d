"""ML005: PyTorch or TensorFlow built for another CUDA than the image has (or for none)."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.ml.cuda import (
    CUPY,
    NEEDS_NVCC,
    TF_TESTED,
    TORCH_INDEX,
    TORCH_PACKAGES,
    TORCH_PYPI_CUDA,
    cuda_of_tag,
    version_tuple,
)
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.ml._env import ImageEnv, PyInstall, declared_names, final_stages


@rule(id="ML005", name="framework-cuda-mismatch", severity=Severity.WARNING, category="ml", on=("RUN",))
def framework_cuda_mismatch(df: Dockerfile) -> Iterator[Finding]:
    """Install the PyTorch/TensorFlow build that matches the image's CUDA: no CPU wheel on a CUDA base.

    Why: the build succeeds either way; the mistake shows only when the
    model runs. A CPU wheel (`--index-url https://download.pytorch.org/whl/cpu`,
    `torch==2.4.1+cpu`) on an `nvidia/cuda` base gives `torch.cuda.is_available()
    == False`: training silently runs on the CPU. A torch built for CUDA 12.1
    on a CUDA 11.8 devel image breaks every CUDA extension you compile there
    (flash-attn, apex, GPTQ): `RuntimeError: The detected CUDA version (11.8)
    mismatches the version that was used to compile PyTorch (12.1)`. TensorFlow
    only uses the GPU with the CUDA and cuDNN it was tested with (2.15: CUDA
    12.2, cuDNN 8.9); with another CUDA it logs `Cannot dlopen some GPU
    libraries` and runs on the CPU. CuPy wheels name their CUDA (`cupy-cuda11x`,
    `cupy-cuda12x`) and load that CUDA's libraries from the image: on a
    CUDA 12 base `cupy-cuda11x` fails with `CuPy failed to load
    libnvrtc.so.11.2`. ONNX Runtime 1.19 and later is built for cuDNN 9; next to
    torch 2.3 or older (cuDNN 8) on an image without cuDNN 9 it fails with
    `Failed to create CUDAExecutionProvider. Require cuDNN 9.* and CUDA 12.*`.

    Bad:
        FROM nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04
        RUN apt-get update && apt-get install -y --no-install-recommends python3-pip
        RUN pip3 install torch==2.4.1 --index-url https://download.pytorch.org/whl/cpu
    Good:
        FROM nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04
        RUN apt-get update && apt-get install -y --no-install-recommends python3-pip
        RUN pip3 install torch==2.4.1 --index-url https://download.pytorch.org/whl/cu121

    Fix: the message names the wheel index (`https://download.pytorch.org/whl/cuXYZ`)
    or the base image CUDA that matches, or `tensorflow[and-cuda]` (2.15+), which
    brings its own CUDA libraries, or the CuPy package of the base's CUDA.

    Note: the CUDA of the base comes from its tag (`nvidia/cuda:<X.Y.Z>-...`,
    `pytorch/pytorch:<v>-cuda<X.Y>-...`); an image whose CUDA is not known is
    not judged. The CUDA of a PyPI torch is known for pinned releases (2.4:
    12.1, 2.6: 12.4, 2.11+: 13.0); unpinned torch follows the newest release
    and is not judged. A CUDA major mismatch of torch and base matters only
    when CUDA code is compiled in the image (a devel base and a package that
    builds with nvcc): torch bundles its own CUDA runtime. Index options in
    requirements files are read.
    References:
    - https://github.com/pytorch/pytorch/blob/main/RELEASE.md
    - https://www.tensorflow.org/install/source#gpu
    """
    for stage in final_stages(df):
        env = ImageEnv(df, stage)
        facts = env.facts
        if facts is None:
            continue
        image = stage.root_image.text if stage.root_image is not None else facts.image
        yield from _cudnn_conflict(env, image)
        if facts.cuda is None:
            continue
        builds_cuda = facts.has_nvcc is True and _builds_cuda_code(env)
        for install in env.python_installs:
            if install.command.ecosystem != "pypi":
                continue
            if install.name in TORCH_PACKAGES:
                finding = _torch(install, image, facts, builds_cuda)
            elif install.name in ("tensorflow", "tensorflow-gpu") and facts.image == "nvidia/cuda":
                finding = _tensorflow(install, image, facts)
            elif CUPY.fullmatch(install.name) and facts.image == "nvidia/cuda":
                finding = _cupy(install, image, facts, env)
            else:
                finding = None
            if finding is not None:
                yield install.command.instr.finding(finding, span=install.span)


def _torch_variant(install: PyInstall) -> str | None:
    """cpu / cu121 / rocm6.1 of a torch install, None when it comes from PyPI (or is not known)."""
    if install.version and "+" in install.version:
        return install.version.split("+", 1)[1]
    for url in install.indexes:
        m = TORCH_INDEX.search(url)
        if m:
            return m["variant"].lower()
    return None


def _torch(install: PyInstall, image: str, facts, builds_cuda: bool) -> str | None:
    variant = _torch_variant(install)
    if variant == "cpu":
        return (f"`{install.text or install.name}` is the CPU-only build, on {image} (CUDA {facts.cuda}): "
                f"`torch.cuda.is_available()` is False in the container and the GPU goes unused; install it from "
                f"`https://download.pytorch.org/whl/cu{_tag(facts.cuda)}` (or the PyPI default build)")
    if not builds_cuda or install.name != "torch":
        return None
    if variant is not None and variant.startswith("cu"):
        torch_cuda = cuda_of_tag(variant)
    elif variant is None and not install.indexes:
        pinned = version_tuple(install.version) if install.version else None
        torch_cuda = TORCH_PYPI_CUDA.get(pinned) if pinned else None
    else:
        torch_cuda = None
    if torch_cuda is None or torch_cuda.split(".")[0] == str(facts.cuda_major):
        return None
    base = ".".join(facts.cuda.split(".")[:2])
    return (f"`{install.text or install.name}` is built for CUDA {torch_cuda}, but {image} compiles with CUDA {base}: "
            f"building CUDA extensions here fails with `RuntimeError: The detected CUDA version ({base}) mismatches "
            f"the version that was used to compile PyTorch ({torch_cuda}). Please make sure to use the same CUDA "
            f"versions.`; install torch from `https://download.pytorch.org/whl/cu{_tag(base)}` or use a CUDA "
            f"{torch_cuda} devel base")


def _tensorflow(install: PyInstall, image: str, facts) -> str | None:
    if "and-cuda" in install.extras:
        return None  # brings its own CUDA and cuDNN from PyPI
    version = version_tuple(install.version or _star_pin(install.specifier))
    tested = TF_TESTED.get(version) if version else None
    if tested is None:
        return None
    cuda, cudnn = tested
    release = ".".join(map(str, version))  # type: ignore[arg-type]
    alternative = f"`tensorflow[and-cuda]=={install.version}`, which brings its own CUDA, or " \
        if install.version and version >= (2, 15) else ""  # type: ignore[operator]
    if cuda.split(".")[0] != str(facts.cuda_major):
        problem = f"{image} has CUDA {facts.cuda}"
    elif facts.cudnn is None:
        problem = f"{image} has no cuDNN (its tag has no `cudnn`)"
    elif facts.cudnn != cudnn.split(".")[0]:
        problem = f"{image} has cuDNN {facts.cudnn}"
    else:
        return None
    return (f"TensorFlow {release} is built and tested with CUDA {cuda} and cuDNN {cudnn}, but {problem}: it cannot "
            f"load the GPU libraries (`Cannot dlopen some GPU libraries`) and runs on the CPU; use {alternative}"
            f"a base with CUDA {cuda.split('.')[0]}.x and cuDNN {cudnn.split('.')[0]}")


def _cupy(install: PyInstall, image: str, facts, env: ImageEnv) -> str | None:
    """``cupy-cuda11x`` loads the image's CUDA 11 libraries: on a CUDA 12 base it finds none."""
    found = CUPY.fullmatch(install.name)
    assert found is not None
    major = int(found[1] or found[2])
    if major == facts.cuda_major or install.extras or any(
            i.name.startswith(("nvidia-", "cuda-toolkit")) for i in env.python_installs):
        return None  # the [ctk] extra or nvidia-* wheels bring the CUDA libraries from PyPI
    error = ("`CuPy failed to load libnvrtc.so.11.2: OSError: libnvrtc.so.11.2: cannot open shared object file: "
             "No such file or directory`") if major == 11 else f"CuPy failing to load the CUDA {major} libnvrtc"
    return (f"`{install.text or install.name}` is CuPy for CUDA {major}.x, but {image} has CUDA {facts.cuda}: CuPy "
            f"loads the CUDA {major} libraries of the image, which are not there, and its first GPU call ends with "
            f"{error}; install `cupy-cuda{facts.cuda_major}x`" + (" (CuPy 10 or later)" if found[2] else ""))


def _cudnn_conflict(env: ImageEnv, image: str) -> Iterator[Finding]:
    """torch 2.3 or older (cuDNN 8) with onnxruntime-gpu 1.19 or newer (built for cuDNN 9, which the
    image does not have): ONNX Runtime finds no cuDNN 9 and cannot use the GPU."""
    facts = env.facts
    if facts is None or facts.cudnn == "9" or facts.image not in ("python", "nvidia/cuda", "debian", "ubuntu"):
        return  # a cuDNN 9 in the image serves ONNX Runtime; vendor images are not known
    torch = [i for i in env.python_installs if i.name == "torch" and i.command.ecosystem == "pypi" and i.version
             and not i.marker and (version_tuple(i.version) or (99,)) <= (2, 3)]
    if not torch or any(i.name.startswith("nvidia-cudnn") for i in env.python_installs):
        return
    for install in env.python_installs:
        if install.name != "onnxruntime-gpu" or install.marker or install.command.ecosystem != "pypi" or \
                install.indexes:
            continue
        version = version_tuple(install.version) if install.version else None
        if install.version is None and install.specifier:
            continue  # a range: which release is not known
        if version is not None and version < (1, 19):
            continue
        old = torch[0]
        yield install.command.instr.finding(
            f"`{install.text or install.name}` is built for cuDNN 9, but `{old.text or old.name}` brings cuDNN 8 and "
            f"{image} has no cuDNN 9: ONNX Runtime cannot use the GPU (`Failed to create CUDAExecutionProvider. "
            f"Require cuDNN 9.* and CUDA 12.*`) and runs on the CPU; use torch 2.4 or newer (cuDNN 9), or a "
            f"base image with cuDNN 9 (`nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04`)", span=install.span)


def _star_pin(specifier: str | None) -> str | None:
    if specifier and specifier.startswith("==") and specifier.endswith(".*"):
        return specifier[2:-2]
    return None


def _tag(cuda: str) -> str:
    major, minor = (cuda.split(".") + ["0"])[:2]
    return f"{major}{minor}"


def _builds_cuda_code(env: ImageEnv) -> bool:
    """A package that compiles with nvcc is installed, or TORCH_CUDA_ARCH_LIST is set for a build."""
    if any(i.name in NEEDS_NVCC or (i.text or "").startswith("git+") for i in env.python_installs):
        return True
    for stage in env.chain:
        for instr in stage.instructions:
            if "TORCH_CUDA_ARCH_LIST" in declared_names(instr):
                return True
    return False
