"""The ML knowledge the rules stand on: base-image facts, Stage.python, the import scanner."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerlint.context.imports import local_modules, notebook_imports, python_imports
from dockerlint.ml.pypi import distributions_for, with_dependencies
from dockerlint.model import load


def facts(image: str):
    return load(f"ARG BASE\nFROM {image}\n").stages[0].base_facts


@pytest.mark.parametrize("image, libc, distro, release, python", [
    ("python:3.12-slim", "glibc", "debian", "13", "3.12"),  # floating tags moved to trixie in 2025
    ("python:3.10-slim-bookworm", "glibc", "debian", "12", "3.10"),
    ("python:3.11.4-slim", "glibc", "debian", None, "3.11"),  # a patch tag keeps the suite it was built on
    ("python:3.8-slim", "glibc", "debian", "12", "3.8"),
    ("python:3.12-alpine3.20", "musl", "alpine", "3.20", "3.12"),
    ("docker.io/library/python:3.11", "glibc", "debian", "13", "3.11"),
    ("debian:bookworm-slim", "glibc", "debian", "12", None),
    ("ubuntu:24.04", "glibc", "ubuntu", "24.04", None),
    ("nvidia/cuda:12.1.1-cudnn8-devel-ubuntu22.04", "glibc", "ubuntu", "22.04", None),
])
def test_base_facts_from_the_tag(image, libc, distro, release, python):
    found = facts(image)
    assert (found.libc, found.distro, found.release, found.python) == (libc, distro, release, python)


@pytest.mark.parametrize("image", ["$BASE", "registry.example.com/ml/base:1", "python:3.12-windowsservercore-ltsc2022",
                                   "python:3.11-onbuild", "nvidia/cuda:latest", "acme/python:3.12"])
def test_unknown_or_private_images_have_no_facts(image):
    assert facts(image) is None


def test_cuda_flavour_decides_nvcc_and_cudnn_spelling():
    devel = facts("nvidia/cuda:11.8.0-cudnn8-devel-ubuntu22.04")
    runtime = facts("nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04")
    assert (devel.cuda, devel.cuda_major, devel.cudnn, devel.has_nvcc) == ("11.8.0", 11, "8", True)
    assert (runtime.cudnn, runtime.has_nvcc) == ("9", False)  # plain "cudnn" is cuDNN 9
    assert facts("pytorch/pytorch:2.4.1-cuda12.1-cudnn9-runtime").has_nvcc is False


def test_package_lists_are_complete_only_for_minimal_images():
    slim = facts("python:3.12-slim")
    assert slim.carries_python_package("pip") is True
    assert slim.carries_python_package("setuptools") is False  # 3.12 images carry pip only
    assert facts("python:3.11-slim").carries_python_package("setuptools") is True
    scipy = facts("quay.io/jupyter/scipy-notebook:2024-05-27")
    assert scipy.carries_python_package("scikit-learn") is True
    assert scipy.carries_python_package("xgboost") is None  # not listed does not mean absent
    assert facts("python:3.12").carries_system_package("libgl1") is None  # the full image is not minimal
    assert facts("python:3.12-slim").carries_system_package("libgl1") is False


def test_t64_names_on_new_releases_only():
    assert facts("python:3.12-slim").uses_t64_names is True
    assert facts("ubuntu:24.04").uses_t64_names is True
    assert facts("ubuntu:22.04").uses_t64_names is False
    assert facts("python:3.12.4-slim").uses_t64_names is None


def test_stage_python_from_the_base_or_the_distro_python3():
    assert load("FROM python:3.11-slim\n").stages[0].python == "3.11"
    ubuntu = load("FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y python3-pip\n")
    assert ubuntu.stages[0].python == "3.10"
    deadsnakes = load("FROM ubuntu:22.04\nRUN apt-get install -y python3.12 python3.12-venv\n")
    assert deadsnakes.stages[0].python == "3.12"
    assert load("FROM ubuntu:22.04\n").stages[0].python is None
    assert load("FROM registry.example.com/py:3\n").stages[0].python is None
    multi = load("FROM python:3.10-slim AS build\nFROM build\n")
    assert multi.stages[1].python == "3.10"


def test_imports_that_must_succeed():
    source = (
        "import os, numpy as np\n"
        "from sklearn.ensemble import RandomForestClassifier\n"
        "from . import sibling\n"
        "try:\n    import ujson\nexcept (ImportError, ValueError):\n    ujson = None\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import pandas\n"
        "if __name__ == '__main__':\n    import click\n"
        "def later():\n    import torch\n"
        "class Model:\n    import joblib\n"
    )
    assert [(i.module, i.line) for i in python_imports(source)] == [
        ("numpy", 1), ("sklearn.ensemble", 2), ("click", 12), ("joblib", 16)]
    assert [(i.module, i.level, i.names) for i in python_imports(source, relative=True)][2] == ("", 1, ("sibling",))


def test_notebook_imports_point_at_the_notebook_line():
    notebook = json.dumps({"cells": [
        {"cell_type": "markdown", "source": ["import nothing\n"]},
        {"cell_type": "code", "source": ["%pip install seaborn\n", "import seaborn as sns\n"]},
    ]}, indent=1)
    found = notebook_imports(notebook)
    assert [i.module for i in found] == ["seaborn"]
    assert "import seaborn as sns" in notebook.splitlines()[found[0].line - 1]


def test_the_projects_own_modules():
    assert local_modules(["src/titanic/__init__.py", "src/titanic/serve.py", "app.py", "README.md",
                          "data/x.csv"]) == {"src", "titanic", "serve", "__init__", "app"}


def test_import_names_map_to_distributions_and_their_dependencies():
    assert distributions_for("sklearn.ensemble") == ("scikit-learn",)
    assert distributions_for("google.cloud.storage") == ("google-cloud-storage",)
    assert distributions_for("requests") == ("requests",)
    assert {"numpy", "torch", "pillow"} <= with_dependencies({"torchvision"})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_is_read_without_an_exception(text):
    for imp in python_imports(text, relative=True):
        assert 1 <= imp.line <= text.count("\n") + 1
    notebook_imports(text)
    notebook_imports(json.dumps({"cells": [{"cell_type": "code", "source": text}]}))


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[a-z0-9./_:-]{0,40}", fullmatch=True))
def test_any_python_tag_gives_facts_or_none(tag):
    found = facts(f"python:{tag}") if tag else facts("python")
    assert found is None or found.libc in ("glibc", "musl")
