"""What well-known base images carry: libc, distro and release, Python, CUDA, packages.

Derived from the images' published Dockerfiles, never guessed:

- python: docker-library/python ``3.X/<variant>/Dockerfile`` (slim installs only
  ca-certificates, netbase, tzdata and the libraries Python links; the full
  variant is FROM buildpack-deps, see docker-library/buildpack-deps
  ``debian/<suite>/Dockerfile``: gcc, libglib2.0-dev, libpq-dev,
  default-libmysqlclient-dev, imagemagick, ...). Python 3.12+ images carry pip
  only; 3.11 and older also setuptools and wheel. Floating tags (``3.12-slim``)
  moved from bookworm to trixie in Aug-Sep 2025 (ml_deps.md §1 notes,
  CatchTheTornado/text-extract-api#126); a patch tag (``3.12.4-slim``) keeps
  the suite it was built on, which the tag does not say: release unknown.
- nvidia/cuda: tag grammar ``<X.Y.Z>-[cudnn8-|cudnn9-|cudnn-]<base|runtime|devel>-<os>``
  (nvidia.github.io/container-wiki/toolkit/container-images.html): only devel has nvcc.
- pytorch/pytorch: ``<torch>-cuda<X.Y>-cudnn<N>-<runtime|devel>`` (pytorch/pytorch
  ``Dockerfile``: a conda env with torch, torchvision, torchaudio).
- tensorflow/tensorflow: ``<ver>[-gpu][-jupyter]`` (tensorflow/build dockerfiles).
- jupyter/* and quay.io/jupyter/*: jupyter/docker-stacks ``images/*/Dockerfile``
  (base-notebook: jupyterlab, notebook, jupyterhub, nbclassic; scipy-notebook adds
  the list below; tensorflow/pytorch-notebook add the framework).
- continuumio/miniconda3, condaforge/miniforge3, mambaorg/micromamba: their
  Dockerfiles (a conda base env with python and pip; micromamba's base env is empty).
- nvcr.io/nvidia/{pytorch,tensorflow,tritonserver}, huggingface/*: vendor images
  with the framework installed; contents beyond it are not listed here.

A fact the tag does not fix is None. ``python_complete``/``system_complete``
say whether the package sets are everything the image has (minimal images) or
only what it is known to carry (big images: a rule must not conclude absence).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from dockerlint.model.imageref import ImageRef


class BaseFacts(NamedTuple):
    """What one base image carries. None means the tag does not say (unknown)."""

    image: str  # the family: "python", "nvidia/cuda", "jupyter/scipy-notebook", ...
    libc: str | None = None  # "glibc" or "musl"
    distro: str | None = None  # "debian", "ubuntu", "alpine", "rhel"
    release: str | None = None  # "12", "13", "22.04", "3.20"
    python: str | None = None  # "3.11"; None: no Python in the image, or not known
    has_python: bool | None = None  # False: no Python at all (debian, nvidia/cuda)
    cuda: str | None = None  # "12.1.1" / "12.1"
    cuda_flavor: str | None = None  # "base", "runtime", "devel"
    cudnn: str | None = None  # major, "8" / "9"
    python_packages: frozenset[str] = frozenset()  # PEP 503 names known installed
    python_complete: bool = False  # python_packages is all there is
    system_packages: frozenset[str] = frozenset()  # distro packages known installed
    system_complete: bool = False  # nothing beyond the minimal distro and system_packages

    @property
    def has_nvcc(self) -> bool | None:
        """True for devel CUDA images, False for base/runtime ones, None when unknown."""
        if self.cuda_flavor is None:
            return None
        return self.cuda_flavor == "devel"

    @property
    def cuda_major(self) -> int | None:
        return int(self.cuda.split(".")[0]) if self.cuda else None

    @property
    def uses_t64_names(self) -> bool | None:
        """True on Debian 13+ / Ubuntu 24.04+ (the 64-bit time_t rename: ``libglib2.0-0t64``)."""
        if self.distro == "debian" and self.release:
            return _number(self.release) >= 13
        if self.distro == "ubuntu" and self.release:
            return _number(self.release) >= 23.10
        return None

    def carries_python_package(self, name: str) -> bool | None:
        """True when the image has the (PEP 503) distribution, False when it surely has not."""
        if name in self.python_packages:
            return True
        return False if self.python_complete else None

    def carries_system_package(self, name: str) -> bool | None:
        if name in self.system_packages:
            return True
        return False if self.system_complete else None


def _number(release: str) -> float:
    try:
        return float(release)
    except ValueError:
        return 0.0


# -- Debian and Ubuntu suites -------------------------------------------------------

DEBIAN_SUITES = {"buster": "10", "bullseye": "11", "bookworm": "12", "trixie": "13", "forky": "14"}
UBUNTU_SUITES = {"bionic": "18.04", "focal": "20.04", "jammy": "22.04", "noble": "24.04",
                 "oracular": "24.10", "plucky": "25.04", "questing": "25.10"}
# The python3 of each release's own packages (packages.debian.org / packages.ubuntu.com).
SYSTEM_PYTHON = {("debian", "11"): "3.9", ("debian", "12"): "3.11", ("debian", "13"): "3.13",
                 ("ubuntu", "20.04"): "3.8", ("ubuntu", "22.04"): "3.10", ("ubuntu", "24.04"): "3.12"}

_VERSION = re.compile(r"\d+(?:\.\d+){0,2}(?:(?:a|b|rc)\d+)?")
_ALPINE = re.compile(r"alpine(\d+\.\d+)?")

# docker-library/python: what pip sees in the image.
_PIP_ONLY = frozenset({"pip"})
_PIP_SETUPTOOLS = frozenset({"pip", "setuptools", "wheel"})

# docker-library/buildpack-deps debian/<suite>/Dockerfile (what the full python image adds).
_BUILDPACK_DEPS = frozenset({
    "autoconf", "automake", "bzip2", "default-libmysqlclient-dev", "dpkg-dev", "file", "g++", "gcc",
    "imagemagick", "libbz2-dev", "libc6-dev", "libcurl4-openssl-dev", "libdb-dev", "libevent-dev",
    "libffi-dev", "libgdbm-dev", "libglib2.0-dev", "libglib2.0-0", "libglib2.0-0t64", "libgmp-dev",
    "libjpeg-dev", "libkrb5-dev", "liblzma-dev", "libmagickcore-dev", "libmagickwand-dev",
    "libmaxminddb-dev", "libncurses5-dev", "libncursesw5-dev", "libpng-dev", "libpq-dev", "libreadline-dev",
    "libsqlite3-dev", "libssl-dev", "libtool", "libwebp-dev", "libxml2-dev", "libxslt-dev", "libyaml-dev",
    "make", "patch", "unzip", "xz-utils", "zlib1g-dev", "libgomp1", "git", "curl", "wget", "pkg-config",
    "build-essential",
})
_SLIM = frozenset({"ca-certificates", "netbase", "tzdata"})


def _python(tag: str | None) -> BaseFacts | None:
    tag = tag or "latest"
    if tag == "latest":
        return BaseFacts("python", libc="glibc", distro="debian", has_python=True,
                         python_packages=_PIP_ONLY, python_complete=True,
                         system_packages=_BUILDPACK_DEPS)
    if tag.startswith(("windows", "nanoserver")) or "windowsservercore" in tag:
        return None
    tokens = tag.split("-")
    version = tokens.pop(0) if _VERSION.fullmatch(tokens[0]) else None
    slim = bool(tokens) and tokens[0] == "slim"
    if slim:
        tokens.pop(0)
    alpine = _ALPINE.fullmatch(tokens[0]) if tokens else None
    if alpine:
        tokens.pop(0)
    suite = tokens.pop(0) if tokens and not alpine else None
    if tokens or (suite is not None and suite not in DEBIAN_SUITES):
        return None  # onbuild, windowsservercore, ... : not read here
    parts = re.findall(r"\d+", version)[:3] if version else []
    python = ".".join(parts[:2]) if len(parts) >= 2 else None
    packages = _python_packages(python)
    complete = packages is not None
    if alpine:
        release = alpine[1]
        return BaseFacts("python", libc="musl", distro="alpine", release=release, python=python,
                         has_python=True, python_packages=packages or frozenset(), python_complete=complete,
                         system_complete=True)
    release = DEBIAN_SUITES.get(suite) if suite else _floating_suite(version, parts)
    return BaseFacts("python", libc="glibc", distro="debian", release=release, python=python,
                     has_python=True, python_packages=packages or frozenset(), python_complete=complete,
                     system_packages=_SLIM if slim else _SLIM | _BUILDPACK_DEPS, system_complete=slim)


def _python_packages(python: str | None) -> frozenset[str] | None:
    if python is None:
        return None  # python:3-slim: 3.12+ has no setuptools, older ones have: not known
    minor = int(python.split(".")[1]) if python.startswith("3.") else 0
    return _PIP_ONLY if minor >= 12 else _PIP_SETUPTOOLS


def _floating_suite(version: str | None, parts: list[str]) -> str | None:
    """The Debian release of a tag without a suite: trixie for a floating 3.9+ tag."""
    if version is None or version != ".".join(parts) or len(parts) != 2 or parts[0] != "3":
        return None  # a patch tag keeps the suite it was built on; "3" is not known here
    minor = int(parts[1])
    if minor >= 9:
        return "13"
    if minor == 8:
        return "12"  # 3.8 reached end of life (Oct 2024) before the trixie switch
    return None


# -- distributions ------------------------------------------------------------------

def _debian(tag: str | None) -> BaseFacts | None:
    tag = (tag or "latest").removesuffix("-slim")
    if tag.startswith(tuple(DEBIAN_SUITES)):
        release: str | None = DEBIAN_SUITES[tag.split("-")[0]]
    elif re.fullmatch(r"\d+(\.\d+)*", tag):
        release = tag.split(".")[0]
    elif tag in ("latest", "stable", "stable-slim"):
        release = None  # moves with each Debian release
    else:
        return None
    return BaseFacts("debian", libc="glibc", distro="debian", release=release, has_python=False,
                     python_complete=True, system_complete=True)


def _ubuntu(tag: str | None) -> BaseFacts | None:
    tag = tag or "latest"
    m = re.fullmatch(r"(\d\d\.\d\d)(?:\.\d+)?", tag)
    if m:
        release: str | None = m[1]
    elif tag.split("-")[0] in UBUNTU_SUITES:
        release = UBUNTU_SUITES[tag.split("-")[0]]
    elif tag in ("latest", "rolling", "devel"):
        release = None
    else:
        return None
    return BaseFacts("ubuntu", libc="glibc", distro="ubuntu", release=release, has_python=False,
                     python_complete=True, system_complete=True)


def _alpine(tag: str | None) -> BaseFacts | None:
    m = re.fullmatch(r"(\d+\.\d+)(?:\.\d+)?", tag or "")
    return BaseFacts("alpine", libc="musl", distro="alpine", release=m[1] if m else None, has_python=False,
                     python_complete=True, system_complete=True)


_CUDA_TAG = re.compile(
    r"(?P<cuda>\d+\.\d+(?:\.\d+)?)-(?:(?P<cudnn>cudnn\d*)-)?(?P<flavor>base|runtime|devel)-"
    r"(?P<os>ubuntu(?P<ubuntu>\d+\.\d+)|ubi\d+|rockylinux\d+|centos\d+|oraclelinux\d+|amzn\d+|opensuse)")


def _cuda_os(m: re.Match) -> tuple[str | None, str | None]:
    if m["ubuntu"]:
        return "ubuntu", m["ubuntu"]
    return "rhel", None


def _nvidia_cuda(tag: str | None) -> BaseFacts | None:
    m = _CUDA_TAG.fullmatch(tag or "")
    if m is None:
        return None
    distro, release = _cuda_os(m)
    cudnn = m["cudnn"]
    cudnn_major = (cudnn[5:] or "9") if cudnn else None  # plain "cudnn" is cuDNN 9 (12.4+)
    return BaseFacts("nvidia/cuda", libc="glibc", distro=distro, release=release, has_python=False,
                     cuda=m["cuda"], cuda_flavor=m["flavor"], cudnn=cudnn_major,
                     python_complete=True, system_complete=True)


_PYTORCH_TAG = re.compile(r"(?P<torch>\d+\.\d+(?:\.\d+)?)-cuda(?P<cuda>\d+\.\d+)-cudnn(?P<cudnn>\d+)-"
                          r"(?P<flavor>runtime|devel)")
_TORCH = frozenset({"torch", "torchvision", "torchaudio", "pip", "setuptools", "wheel", "conda"})


def _pytorch(tag: str | None) -> BaseFacts | None:
    m = _PYTORCH_TAG.fullmatch(tag or "")
    if m is None:
        return BaseFacts("pytorch/pytorch", libc="glibc", distro="ubuntu", has_python=True,
                         python_packages=_TORCH)
    return BaseFacts("pytorch/pytorch", libc="glibc", distro="ubuntu", has_python=True, cuda=m["cuda"],
                     cuda_flavor=m["flavor"], cudnn=m["cudnn"], python_packages=_TORCH)


def _tensorflow(tag: str | None) -> BaseFacts:
    tag = tag or "latest"
    packages = {"tensorflow", "pip", "setuptools"}
    if "jupyter" in tag:
        packages |= {"jupyter", "notebook", "jupyterlab", "matplotlib"}
    return BaseFacts("tensorflow/tensorflow", libc="glibc", distro="ubuntu", has_python=True,
                     python_packages=frozenset(packages))


# jupyter/docker-stacks images/<name>/Dockerfile, each adding to the one it is FROM.
_JUPYTER_BASE = frozenset({"jupyterlab", "notebook", "jupyterhub", "nbclassic", "jupyter-core",
                           "jupyter-server", "ipykernel", "ipython", "pip", "setuptools", "wheel",
                           "conda", "mamba"})
_JUPYTER_SCIPY = _JUPYTER_BASE | frozenset({
    "altair", "beautifulsoup4", "bokeh", "bottleneck", "cloudpickle", "cython", "dask", "dill", "h5py",
    "ipympl", "ipywidgets", "jupyterlab-git", "matplotlib", "numba", "numexpr", "openpyxl", "pandas",
    "patsy", "protobuf", "tables", "scikit-image", "scikit-learn", "scipy", "seaborn", "sqlalchemy",
    "statsmodels", "sympy", "widgetsnbextension", "xlrd", "numpy"})
_JUPYTER = {
    "base-notebook": _JUPYTER_BASE,
    "minimal-notebook": _JUPYTER_BASE,
    "docker-stacks-foundation": frozenset({"pip", "setuptools", "wheel", "conda", "mamba"}),
    "scipy-notebook": _JUPYTER_SCIPY,
    "r-notebook": _JUPYTER_BASE,
    "julia-notebook": _JUPYTER_BASE,
    "datascience-notebook": _JUPYTER_SCIPY,
    "tensorflow-notebook": _JUPYTER_SCIPY | {"tensorflow", "tensorboard"},
    "pytorch-notebook": _JUPYTER_SCIPY | {"torch", "torchvision", "torchaudio"},
    "pyspark-notebook": _JUPYTER_SCIPY | {"pyspark"},
    "all-spark-notebook": _JUPYTER_SCIPY | {"pyspark"},
}


def _jupyter(name: str, tag: str | None) -> BaseFacts | None:
    packages = _JUPYTER.get(name)
    if packages is None:
        return None
    m = re.search(r"python-(\d+\.\d+)", tag or "")
    cuda = re.search(r"cuda(\d+)", tag or "")
    return BaseFacts(f"jupyter/{name}", libc="glibc", distro="ubuntu", has_python=True,
                     python=m[1] if m else None, python_packages=packages,
                     cuda=cuda[1] if cuda else None)


_CONDA = frozenset({"conda", "pip", "setuptools", "wheel"})


def _conda(family: str) -> BaseFacts:
    distro = "ubuntu" if family == "condaforge/miniforge3" else "debian"
    packages = _CONDA | ({"mamba"} if family.startswith("condaforge") else set())
    return BaseFacts(family, libc="glibc", distro=distro, has_python=True, python_packages=frozenset(packages))


def _micromamba(tag: str | None) -> BaseFacts:
    # mambaorg/micromamba-docker: the base env is empty until `micromamba install python ...`.
    return BaseFacts("mambaorg/micromamba", libc="glibc", distro="debian" if "ubuntu" not in (tag or "")
                     else "ubuntu", has_python=None)


def _ngc(name: str) -> BaseFacts | None:
    framework = {"pytorch": {"torch", "torchvision", "torchaudio"}, "tensorflow": {"tensorflow"},
                 "tritonserver": set()}.get(name)
    if framework is None:
        return None
    # NGC framework containers are development images: the full CUDA toolkit, nvcc included.
    return BaseFacts(f"nvcr.io/nvidia/{name}", libc="glibc", distro="ubuntu", has_python=True,
                     cuda_flavor="devel", python_packages=frozenset(framework | {"pip"}))


def _huggingface(name: str) -> BaseFacts | None:
    packages = {"transformers", "pip"}
    if "pytorch" in name:
        packages |= {"torch"}
    elif "tensorflow" in name:
        packages |= {"tensorflow"}
    elif not name.startswith("transformers"):
        return None
    return BaseFacts(f"huggingface/{name}", libc="glibc", distro="ubuntu", has_python=True,
                     python_packages=frozenset(packages))


def base_facts(image: ImageRef | None) -> BaseFacts | None:
    """The facts of a well-known image, or None (private, unknown, or not fully resolved)."""
    if image is None or not image.resolved or image.repository is None:
        return None
    registry = (image.registry or "docker.io").lower()
    repo = image.repository.lower().removeprefix("library/")
    tag = image.tag
    if registry in ("docker.io", "index.docker.io", "registry-1.docker.io"):
        return _hub(repo, tag)
    if registry == "quay.io" and repo.startswith("jupyter/"):
        return _jupyter(repo.split("/", 1)[1], tag)
    if registry == "nvcr.io" and repo.startswith("nvidia/"):
        if repo.startswith("nvidia/cuda"):
            return _nvidia_cuda(tag)
        return _ngc(repo.split("/", 1)[1])
    if registry == "public.ecr.aws" and repo == "docker/library/python":
        return _python(tag)
    return None


def _hub(repo: str, tag: str | None) -> BaseFacts | None:
    if repo == "python":
        return _python(tag)
    if repo == "debian":
        return _debian(tag)
    if repo == "ubuntu":
        return _ubuntu(tag)
    if repo == "alpine":
        return _alpine(tag)
    if repo == "nvidia/cuda":
        return _nvidia_cuda(tag)
    if repo == "pytorch/pytorch":
        return _pytorch(tag)
    if repo == "tensorflow/tensorflow":
        return _tensorflow(tag)
    if repo.startswith("jupyter/"):
        return _jupyter(repo.split("/", 1)[1], tag)
    if repo in ("continuumio/miniconda3", "continuumio/anaconda3", "condaforge/miniforge3",
                "condaforge/mambaforge"):
        return _conda(repo)
    if repo == "mambaorg/micromamba":
        return _micromamba(tag)
    if repo.startswith("huggingface/"):
        return _huggingface(repo.split("/", 1)[1])
    return None
