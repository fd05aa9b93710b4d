"""Model and weights files a program loads by a literal path (``joblib.load("models/model.pkl")``).

Read with ``ast``, never executed: only string literals passed to a call
(``torch.load``, ``open``, ``InferenceSession``, ...) whose name ends with a
model or weights suffix, the file of a model-file loader whatever its suffix
(LightGBM ``Booster(model_file="model.txt")``, ``xgb.Booster().load_model("m.json")``),
and the directory of ``from_pretrained("models/bert")`` / ``SentenceTransformer(...)``
(which is also how a Hugging Face Hub id is written: the rules judge those only
against the build context). A path computed at run
time (``Path(__file__).parent / "model.pkl"``, an f-string, a variable) is
not a literal and is left out: what it is cannot be known.
"""
from __future__ import annotations

import ast
import re
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


# Loaders that take a model file of any suffix (LightGBM's text model ``model.txt``, XGBoost's
# ``model.json``, fastText's ``model.bin``): the keyword or the first argument of these calls.
FILE_KEYWORDS = frozenset({"model_file"})
FILE_LOADERS = frozenset({"load_model"})
# Loaders that take a model directory or a Hugging Face Hub id (``from_pretrained("models/bert")``):
# the first argument, or the keyword.
DIR_LOADERS = frozenset({"from_pretrained", "SentenceTransformer"})
DIR_KEYWORDS = frozenset({"pretrained_model_name_or_path", "model_name_or_path"})
_FILE_NAME = re.compile(r"[^\s$`{}*?\[\]]+\.[A-Za-z0-9]{1,12}")
_DIR_NAME = re.compile(r"[^\s$`{}*?\[\]]+")


def is_file_path(text: str) -> bool:
    """A path with a suffix (``model.txt``, ``weights/model.json``): no URL, variable or glob."""
    return bool(text) and len(text) <= 300 and "://" not in text and not text.startswith("~") and \
        _FILE_NAME.fullmatch(text) is not None


def is_dir_path(text: str) -> bool:
    """What may name a local directory (``models/bert``, ``./checkpoint``): no URL, variable or glob."""
    return bool(text) and len(text) <= 300 and "://" not in text and not text.startswith("~") and \
        text not in (".", "..", "/") and _DIR_NAME.fullmatch(text) is not None


class LoadedPath(NamedTuple):
    path: str  # as written in the code
    line: int  # 1-based
    column: int  # 1-based, of the string literal
    kind: str = "model"  # "model" (a model suffix), "file" (a model-file loader), "directory" (from_pretrained)


def loaded_paths(text: str) -> list[LoadedPath]:
    """The model paths written as literal arguments of a call in Python source ``text``."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found: dict[tuple[int, int], LoadedPath] = {}

    def note(arg: ast.expr, kind: str) -> None:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            value = arg.value
            if is_model_path(value):
                kind = "model"
            elif kind == "file" and not is_file_path(value) or kind == "directory" and not is_dir_path(value) or \
                    kind == "model":
                return
            found.setdefault((arg.lineno, arg.col_offset), LoadedPath(value, arg.lineno, arg.col_offset + 1, kind))

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if node.args and name in FILE_LOADERS:
            note(node.args[0], "file")
        if node.args and name in DIR_LOADERS:
            note(node.args[0], "directory")
        for keyword in node.keywords:
            if keyword.arg in FILE_KEYWORDS:
                note(keyword.value, "file")
            elif keyword.arg in DIR_KEYWORDS and name in DIR_LOADERS:
                note(keyword.value, "directory")
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            note(arg, "model")
    return sorted(found.values(), key=lambda p: (p.line, p.column))
