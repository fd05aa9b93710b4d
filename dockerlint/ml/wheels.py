"""Which Python versions and platforms PyPI has wheels for, per package (Linux x86_64).

Source: /work/shared/knowledge/python_wheel_windows.md and ml_deps.md §4
(E-pip: ``pip install --dry-run --only-binary=:all: --platform ... --python-version ...``
and PyPI JSON reads, 2026-11-26): the oldest and newest release with a
manylinux x86_64 wheel for each CPython, and the first musllinux wheel.
Alpine facts: tensorflow/tensorflow#85371, pytorch/pytorch#102592,
microsoft/onnxruntime#2909, scikit-learn/scikit-learn#27004, apache/arrow#39846.
"""
from __future__ import annotations

# package -> {python "3.X": (first, last)}
WINDOWS: dict[str, dict[str, tuple[str, str]]] = {
    "numpy": {"3.9": ("1.19.3", "2.0.2"), "3.10": ("1.21.2", "2.2.6"), "3.11": ("1.23.2", "2.4.6"),
              "3.12": ("1.26.0", "2.5.5"), "3.13": ("2.1.0", "2.5.5"), "3.14": ("2.3.2", "2.5.5")},
    "pandas": {"3.9": ("1.1.3", "2.3.3"), "3.10": ("1.3.3", "2.3.3"), "3.11": ("1.5.0", "3.1.1"),
               "3.12": ("2.1.1", "3.1.1"), "3.13": ("2.2.3", "3.1.1"), "3.14": ("2.3.3", "3.1.1")},
    "scipy": {"3.9": ("1.5.4", "1.13.1"), "3.10": ("1.7.2", "1.15.3"), "3.11": ("1.9.2", "1.17.1"),
              "3.12": ("1.11.2", "1.18.1"), "3.13": ("1.14.1", "1.18.1"), "3.14": ("1.16.1", "1.18.1")},
    "scikit-learn": {"3.9": ("0.24.0", "1.6.1"), "3.10": ("1.0.2", "1.7.2"), "3.11": ("1.1.3", "1.9.1"),
                     "3.12": ("1.3.1", "1.9.1"), "3.13": ("1.5.2", "1.9.1"), "3.14": ("1.7.2", "1.9.1")},
    "torch": {"3.9": ("1.7.1", "2.8.0"), "3.10": ("1.11.0", "2.14.1"), "3.11": ("1.13.0", "2.15.0"),
              "3.12": ("2.2.0", "2.15.0"), "3.13": ("2.5.0", "2.15.0"), "3.14": ("2.9.0", "2.15.0")},
    "tensorflow": {"3.9": ("2.5.0", "2.20.0"), "3.10": ("2.8.0", "2.21.0"), "3.11": ("2.12.0", "2.21.0"),
                   "3.12": ("2.16.1", "2.21.0"), "3.13": ("2.20.0", "2.21.0")},
    "jaxlib": {"3.9": ("0.4.13", "0.4.30"), "3.10": ("0.4.13", "0.6.2"), "3.11": ("0.4.13", "0.10.2"),
               "3.12": ("0.4.18", "0.12.0.1"), "3.13": ("0.4.34", "0.12.0.1"), "3.14": ("0.7.1", "0.12.0.1")},
    "pyarrow": {"3.9": ("3.0.0", "21.0.0"), "3.10": ("6.0.0", "25.0.1"), "3.11": ("10.0.1", "26.0.1"),
                "3.12": ("14.0.0", "26.0.1"), "3.13": ("18.0.0", "26.0.1"), "3.14": ("22.0.0", "26.0.1")},
    "onnxruntime": {"3.9": ("1.7.0", "1.19.2"), "3.10": ("1.12.0", "1.23.2"), "3.11": ("1.15.0", "1.32.0"),
                    "3.12": ("1.17.0", "1.32.0"), "3.13": ("1.20.0", "1.32.0"), "3.14": ("1.24.1", "1.32.0")},
}
# No sdist either: outside the window pip finds nothing at all.
WHEEL_ONLY = frozenset({"torch", "tensorflow", "jaxlib", "onnxruntime"})

# Alpine (musllinux): None = no musllinux wheel at any version; else the first release with one.
MUSL_FIRST: dict[str, str | None] = {
    "torch": None, "tensorflow": None, "tensorflow-cpu": None, "scikit-learn": None, "onnxruntime": None,
    "onnxruntime-gpu": None, "opencv-python": None, "opencv-python-headless": None,
    "opencv-contrib-python": None, "opencv-contrib-python-headless": None, "lightgbm": None,
    "xgboost": None, "jaxlib": None, "torchvision": None, "torchaudio": None,
    "pyarrow": "20.0.0", "numpy": "1.25.0", "pandas": "2.1.0", "scipy": "1.11.0",
}
# What Alpine packages instead (aports), where there is one.
MUSL_ALTERNATIVE = {"scikit-learn": "py3-scikit-learn", "opencv-python": "py3-opencv",
                    "opencv-python-headless": "py3-opencv", "opencv-contrib-python": "py3-opencv"}
