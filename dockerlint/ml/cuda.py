"""CUDA facts of PyTorch and TensorFlow wheels, and the packages that compile CUDA code.

Sources: /work/shared/knowledge/ml_deps.md §3: pytorch/pytorch ``RELEASE.md``
"Release Compatibility Matrix" (wheel CUDA tags per release; index
``https://download.pytorch.org/whl/cuXYZ``), the E-pip reads of what plain
``pip install torch==X`` bundles, tensorflow/docs ``site/en/install/source.md``
"Tested build configurations" (Linux GPU), and the nvcc rows (§1, §3f:
Dao-AILab/flash-attention#1229, #1736; sgl-project/sglang#3952;
TransformerOptimus/SuperAGI#1410).
"""
from __future__ import annotations

import re

TORCH_INDEX = re.compile(r"download\.pytorch\.org/whl/(?:nightly/)?(?P<variant>cpu|cu\d{2,3}|rocm[\d.]+)", re.I)
TORCH_PACKAGES = frozenset({"torch", "torchvision", "torchaudio"})
# CuPy wheels name their CUDA major and load that CUDA's libraries from the system (ml_deps.md §3e;
# BLAST-WarpX/warpx#4621: cupy-cuda11x on CUDA 12, "CuPy failed to load libnvrtc.so.11.2").
# Names: cupy-cuda12x (v10+: a CUDA major) and cupy-cuda112 (older: major and minor, 11.2).
CUPY = re.compile(r"cupy-cuda(\d+)x|cupy-cuda(\d+)(\d)")

# What plain `pip install torch==X.Y` gets from PyPI on Linux x86_64: the CUDA major it bundles.
TORCH_PYPI_CUDA: dict[tuple[int, ...], str] = {
    (1, 13): "11.7", (2, 0): "11.7", (2, 1): "12.1", (2, 2): "12.1", (2, 3): "12.1",
                   (2, 4): "12.1", (2, 5): "12.4", (2, 6): "12.4", (2, 7): "12.6", (2, 8): "12.8",
                   (2, 9): "12.8", (2, 10): "12.8", (2, 11): "13.0", (2, 12): "13.0", (2, 13): "13.0",
                   (2, 14): "13.0", (2, 15): "13.0"}

# Minimum Linux host driver per CUDA major (NVIDIA "CUDA Minor Version Compatibility",
# docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html; ml_deps.md §3b).
DRIVER_FLOOR: dict[int, int] = {11: 450, 12: 525, 13: 580}

# TensorFlow tested build configurations, Linux GPU: (CUDA, cuDNN) per release.
TF_TESTED: dict[tuple[int, ...], tuple[str, str]] = {
    (2, 18): ("12.5", "9.3"), (2, 17): ("12.3", "8.9"), (2, 16): ("12.3", "8.9"), (2, 15): ("12.2", "8.9"),
             (2, 14): ("11.8", "8.7"), (2, 13): ("11.8", "8.6"), (2, 12): ("11.8", "8.6"), (2, 11): ("11.2", "8.1"),
             (2, 10): ("11.2", "8.1"), (2, 9): ("11.2", "8.1"), (2, 8): ("11.2", "8.1"), (2, 7): ("11.2", "8.1"),
             (2, 6): ("11.2", "8.1"), (2, 5): ("11.2", "8.1"), (2, 4): ("11.0", "8.0"), (2, 3): ("10.1", "7.6"),
             (2, 2): ("10.1", "7.6"), (2, 1): ("10.1", "7.6")}

# Packages whose install compiles CUDA code with nvcc (no Linux wheel on PyPI, or a source build).
NEEDS_NVCC = {
    "flash-attn": "flash_attn was requested, but nvcc was not found",
    "apex": "OSError: CUDA_HOME environment variable is not set",
    "mamba-ssm": "OSError: CUDA_HOME environment variable is not set",
    "causal-conv1d": "OSError: CUDA_HOME environment variable is not set",
    "auto-gptq": "OSError: CUDA_HOME environment variable is not set",
    "mmcv-full": "OSError: CUDA_HOME environment variable is not set",
}


def version_tuple(version: str | None, parts: int = 2) -> tuple[int, ...] | None:
    """(2, 4) of "2.4.1+cu121"; None when not numeric."""
    if not version:
        return None
    found = re.findall(r"\d+", version.split("+")[0])[:parts]
    return tuple(int(p) for p in found) if len(found) == parts else None


def cuda_of_tag(variant: str) -> str | None:
    """"12.1" of "cu121", "11.8" of "cu118"; None for cpu/rocm."""
    if not variant.lower().startswith("cu"):
        return None
    digits = variant[2:]
    return f"{digits[:-1]}.{digits[-1]}"
