"""Model and weights files a program loads by a literal path (``joblib.load("models/model.pkl")``).

Read with ``ast``, never executed: only string literals passed to a call
(``torch.load``, ``open``, ``InferenceSession``, ``Booster(model_file=...)``,
...) whose name ends with a model or weights suffix. A path computed at run
time (``Path(__file__).parent / "model.pkl"``, an f-string, a variable) is
not a literal and is left out: what it is cannot be known.
"""
from __future__ import annotations

import ast
from typing import NamedTuple

# Suffixes of files that hold a trained model or its weights (scikit-learn/joblib, PyTorch, ONNX,
# Keras/TensorFlow, safetensors, Lightning checkpoints, XGBoost/LightGBM/CatBoost, fastText/gensim).
MODEL_SUFFIXES = (".pkl", ".pickle", ".joblib", ".pt", ".pth", ".onnx", ".h5", ".hdf5", ".keras", ".safetensors",
                  ".ckpt", ".pb", ".tflite", ".ubj", ".cbm", ".gguf", ".ggml")


def is_model_path(text: str) -> bool:
    """A relative or absolute file path (no URL, no variable) ending with a model suffix."""
    if not text or "://" in text or "$" in text or "{" in text or "\n" in text or len(text) > 300:
        return False
    return text.lower().endswith(MODEL_SUFFIXES) and not text.startswith("~")


class LoadedPath(NamedTuple):
    path: str  # as written in the code
    line: int  # 1-based
    column: int  # 1-based, of the string literal


def loaded_paths(text: str) -> list[LoadedPath]:
    """The model paths written as literal arguments of a call in Python source ``text``."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found: list[LoadedPath] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and is_model_path(arg.value):
                found.append(LoadedPath(arg.value, arg.lineno, arg.col_offset + 1))
    return sorted(set(found), key=lambda p: (p.line, p.column))
