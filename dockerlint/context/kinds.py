"""What a context file is, by its path: source code, clutter, data, weights, a secret.

Shared by the CACHE rules (what busts the layer cache, what bloats the
context, what must never be copied) so each kind is defined once. Only
names are read, except ``.npmrc``: it is a secret only with a token in it
(read, never printed).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from dockerlint.context import BuildContext

__all__ = ["Clutter", "clutter", "is_code", "secret_kind", "DATA_THRESHOLD"]

DATA_THRESHOLD = 10 << 20  # a csv/parquet/json file past 10 MiB is a data set, not configuration

# Files a developer edits all the time: a COPY of one of them invalidates every later layer.
_CODE = frozenset({
    "py", "pyi", "ipynb", "r", "rmd", "jl", "js", "jsx", "ts", "tsx", "mjs", "cjs", "go", "rs", "java", "kt",
    "scala", "c", "cc", "cpp", "h", "hpp", "cu", "rb", "php", "sql", "html", "css", "vue", "svelte",
})
_WEIGHTS = frozenset({"pt", "pth", "ckpt", "safetensors", "onnx", "h5", "hdf5", "pkl", "pickle", "joblib", "bin",
                      "pb", "tflite", "gguf", "ggml", "npz", "npy", "keras", "msgpack", "mar", "engine", "plan"})
_DATA = frozenset({"csv", "tsv", "parquet", "feather", "arrow", "jsonl", "json", "xlsx", "xls", "zip", "tar", "gz",
                   "tgz", "xz", "bz2", "7z", "db", "sqlite", "sqlite3", "avro", "orc", "txt", "zst"})


def _extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name.lstrip(".") else ""


def is_code(path: str) -> bool:
    """Source a developer edits (by extension), outside clutter directories."""
    return _extension(path) in _CODE and clutter_dir(path) is None


class Clutter(NamedTuple):
    """A group of context files that should not be sent: its ``.dockerignore`` line and why."""

    pattern: str  # the line to add to .dockerignore
    label: str  # in the user's words


_DIRS = (
    (re.compile(r"(^|/)\.git(/|$)"), ".git", "the git history"),
    (re.compile(r"(^|/)(\.?venv|env|\.env\.d|virtualenv)/(bin|lib|Scripts|pyvenv\.cfg)"), None, "a virtual env"),
    (re.compile(r"(^|/)node_modules(/|$)"), "**/node_modules", "node_modules"),
    (re.compile(r"(^|/)__pycache__(/|$)"), "**/__pycache__", "Python bytecode caches"),
    (re.compile(r"(^|/)\.ipynb_checkpoints(/|$)"), "**/.ipynb_checkpoints", "notebook checkpoints"),
    (re.compile(r"(^|/)(\.pytest_cache|\.mypy_cache|\.ruff_cache|\.tox)(/|$)"), None, "tool caches"),
    (re.compile(r"(^|/)(wandb|mlruns|lightning_logs|\.dvc/cache)(/|$)"), None, "experiment logs"),
)


def clutter_dir(path: str) -> Clutter | None:
    """The clutter directory ``path`` is inside (.git, a venv, node_modules, caches), if any."""
    for regexp, pattern, label in _DIRS:
        found = regexp.search(path)
        if found:
            if pattern is None:
                start = found.start() + (1 if found.group(0).startswith("/") else 0)
                top = path[start:].split("/", 1)[0]
                pattern = path[:start] + top
            elif pattern == ".git" and found.start() > 0:
                pattern = "**/.git"
            return Clutter(pattern, label)
    return None


def clutter(ctx: BuildContext, path: str) -> Clutter | None:
    """Why ``path`` should be left out of the context (clutter, data set, model weights), or None."""
    found = clutter_dir(path)
    if found is not None:
        return found
    ext = _extension(path)
    if ext in _WEIGHTS and ctx.size(path) >= 1 << 20:
        return Clutter(_group(path), "model weights")
    if ext in _DATA and ctx.size(path) >= DATA_THRESHOLD:
        return Clutter(_group(path), "data sets")
    return None


def _group(path: str) -> str:
    """``data/raw/x.csv`` -> ``data/raw/x.csv``'s top directory when it has one (``data``), else the file."""
    return path.split("/", 1)[0] if "/" in path else path


_SECRET_NAMES = {
    ".env": "an environment file", ".netrc": "netrc credentials", ".pypirc": "PyPI credentials",
    ".git-credentials": "git credentials", "credentials.json": "cloud credentials", "id_rsa": "an SSH key",
    "id_dsa": "an SSH key", "id_ecdsa": "an SSH key", "id_ed25519": "an SSH key", "kubeconfig": "a kubeconfig",
    ".dockercfg": "registry credentials", "service-account.json": "cloud credentials",
}
_SECRET_SUFFIX = ((".pem", "a private key or certificate"), (".key", "a private key"), (".p12", "a key store"),
                  (".pfx", "a key store"))
_ENV_VARIANT = re.compile(r"^\.env\.(?!example$|sample$|template$|dist$|defaults?$)[\w.-]+$")
_TOKEN = re.compile(r"_auth(Token)?\s*=|//[^\s]+:_password\s*=")


def secret_kind(ctx: BuildContext, path: str) -> str | None:
    """What kind of secret ``path`` is (by name; ``.npmrc`` by a token in it), or None."""
    name = path.rsplit("/", 1)[-1]
    lower = name.lower()
    if "/.aws/" in f"/{path}" and lower in ("credentials", "config"):
        return "AWS credentials"
    if "/.kube/" in f"/{path}" and lower == "config":
        return "a kubeconfig"
    if "/.docker/" in f"/{path}" and lower == "config.json":
        return "registry credentials"
    if lower in _SECRET_NAMES:
        return _SECRET_NAMES[lower]
    if _ENV_VARIANT.match(lower):
        return "an environment file"
    if lower == ".npmrc":
        text = ctx.read_text(path, limit=1 << 16) or ""
        return "an npm token" if _TOKEN.search(text) else None
    for suffix, label in _SECRET_SUFFIX:
        if lower.endswith(suffix) and ctx.size(path) > 0:
            return label
    return None
