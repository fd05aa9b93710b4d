"""Python import names, PyPI distribution names, and the names that are wrong on PyPI.

Source: /work/shared/knowledge/ml_deps.md §2a (curated from the distributions'
top_level.txt / RECORD files and a PyPI snapshot; the issues cited there:
daklab/tiger#10, idealo/image-quality-assessment#114 for ``sklearn``; PyPI's
"Removed: please install tensorflow instead" for ``tensorflow-gpu``).
Names not listed map to themselves after PEP 503 normalisation, as deptry and
fawltydeps fall back to.
"""
from __future__ import annotations

from typing import NamedTuple

from dockerlint.model.packages.requirement import canonical_name

# import name (top-level, or a dotted prefix for namespace packages) -> the distributions that
# provide it (any one is enough). Only names that differ from the distribution's.
IMPORT_TO_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "sklearn": ("scikit-learn",),
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python",
            "opencv-contrib-python-headless"),
    "PIL": ("pillow",),
    "yaml": ("pyyaml",),
    "bs4": ("beautifulsoup4", "bs4"),
    "skimage": ("scikit-image",),
    "dateutil": ("python-dateutil",),
    "Crypto": ("pycryptodome", "pycrypto"),
    "Cryptodome": ("pycryptodomex",),
    "dotenv": ("python-dotenv",),
    "google.protobuf": ("protobuf",),
    "google.cloud.storage": ("google-cloud-storage",),
    "google.cloud.bigquery": ("google-cloud-bigquery",),
    "google.cloud.aiplatform": ("google-cloud-aiplatform",),
    "google.genai": ("google-genai",),
    "google.generativeai": ("google-generativeai",),
    "google.auth": ("google-auth",),
    "google.oauth2": ("google-auth",),
    "googleapiclient": ("google-api-python-client",),
    "tensorflow": ("tensorflow", "tensorflow-cpu", "tf-nightly", "tensorflow-macos", "tensorflow-intel"),
    "fitz": ("pymupdf",),
    "whisper": ("openai-whisper",),
    "umap": ("umap-learn",),
    "ffmpeg": ("ffmpeg-python",),
    "docx": ("python-docx",),
    "pptx": ("python-pptx",),
    "jwt": ("pyjwt",),
    "serial": ("pyserial",),
    "attr": ("attrs",),
    "magic": ("python-magic",),
    "zmq": ("pyzmq",),
    "git": ("gitpython",),
    "Levenshtein": ("levenshtein", "python-levenshtein"),
    "imblearn": ("imbalanced-learn",),
    "osgeo": ("gdal",),
    "MySQLdb": ("mysqlclient",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "psycopg": ("psycopg",),
    "faiss": ("faiss-cpu", "faiss-gpu", "faiss-gpu-cu12", "faiss-gpu-cu11"),
    "onnxruntime": ("onnxruntime", "onnxruntime-gpu"),
    "cupy": ("cupy-cuda12x", "cupy-cuda11x", "cupy-cuda13x", "cupy"),
    "pynvml": ("nvidia-ml-py", "pynvml"),
    "gi": ("pygobject",),
    "sentence_transformers": ("sentence-transformers",),
    "huggingface_hub": ("huggingface-hub",),
    "llama_cpp": ("llama-cpp-python",),
    "flash_attn": ("flash-attn",),
    "OpenSSL": ("pyopenssl",),
    "usb": ("pyusb",),
    "Bio": ("biopython",),
    "skopt": ("scikit-optimize",),
    "sksurv": ("scikit-survival",),
    "pkg_resources": ("setuptools",),
    "setuptools": ("setuptools",),
    "mpl_toolkits": ("matplotlib",),
    "pylab": ("matplotlib",),
    # more well-known mismatches (each distribution's top_level.txt)
    "multipart": ("python-multipart",),
    "jose": ("python-jose",),
    "slugify": ("python-slugify",),
    "telegram": ("python-telegram-bot",),
    "socketio": ("python-socketio",),
    "engineio": ("python-engineio",),
    "pydantic_settings": ("pydantic-settings",),
    "speech_recognition": ("speechrecognition",),
    "lightgbm": ("lightgbm",),
    "xgboost": ("xgboost", "xgboost-cpu"),
    "torch": ("torch",),
    "tflite_runtime": ("tflite-runtime",),
    "keras": ("keras", "tensorflow", "tf-keras"),
    "tf_keras": ("tf-keras",),
    "pytorch_lightning": ("pytorch-lightning", "lightning"),
    "lightning": ("lightning",),
    "sentencepiece": ("sentencepiece",),
    "wandb": ("wandb",),
    "mlflow": ("mlflow", "mlflow-skinny"),
    "absl": ("absl-py",),
    "grpc": ("grpcio",),
    "pydub": ("pydub",),
    "Xlib": ("python-xlib",),
    "win32api": ("pywin32",),
    "dns": ("dnspython",),
    "jinja2": ("jinja2",),
    "markdown": ("markdown",),
    "memcache": ("python-memcached",),
    "ruamel": ("ruamel-yaml",),
    "typing_extensions": ("typing-extensions",),
    "websocket": ("websocket-client",),
    "sqlalchemy": ("sqlalchemy",),
    "pymysql": ("pymysql",),
    "kafka": ("kafka-python",),
    "nacl": ("pynacl",),
    "paho": ("paho-mqtt",),
    "pyarrow": ("pyarrow",),
    "tesserocr": ("tesserocr",),
    "easyocr": ("easyocr",),
    "ultralytics": ("ultralytics",),
    "detectron2": ("detectron2",),
    "mmcv": ("mmcv", "mmcv-full", "mmcv-lite"),
    "mmdet": ("mmdet",),
    "transformers": ("transformers",),
    "soundfile": ("soundfile", "pysoundfile"),
    "sounddevice": ("sounddevice",),
    "pyaudio": ("pyaudio",),
    "shapely": ("shapely",),
    "spacy": ("spacy",),
    "en_core_web_sm": ("en-core-web-sm",),
    "discord": ("discord-py", "py-cord", "discord"),
    "telebot": ("pytelegrambotapi",),
    "github": ("pygithub",),
    "sentry_sdk": ("sentry-sdk",),
}

# Distributions that install other top-level import names too (well-known, certain).
EXTRA_IMPORTS: dict[str, tuple[str, ...]] = {
    "tensorflow": ("keras", "tensorboard"),
    "tensorflow-cpu": ("keras", "tensorboard"),
    "pyyaml": ("_yaml",),
    "setuptools": ("pkg_resources", "_distutils_hack"),
    "matplotlib": ("mpl_toolkits", "pylab"),
    "protobuf": ("google.protobuf",),
    "lightning": ("pytorch_lightning", "lightning_fabric"),
    "pytorch-lightning": ("lightning_fabric",),
    "mlflow": ("mlflow",),
}

# What an installed distribution certainly brings along (its Requires-Dist, unconditional).
# Only dependencies that every release in use declares: never a guess.
DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "discord-py": ("aiohttp",),
    "pytesseract": ("pillow", "packaging"),
    "pdf2image": ("pillow",),
    "face-recognition": ("dlib", "face-recognition-models", "numpy", "pillow", "click"),
    "pandas": ("numpy", "python-dateutil", "pytz"),
    "scikit-learn": ("numpy", "scipy", "joblib", "threadpoolctl"),
    "scipy": ("numpy",),
    "matplotlib": ("numpy", "pillow", "pyparsing", "python-dateutil", "cycler", "kiwisolver",
                   "packaging", "fonttools", "contourpy"),
    "seaborn": ("numpy", "pandas", "matplotlib"),
    "torch": ("filelock", "typing-extensions", "sympy", "networkx", "jinja2", "fsspec"),
    "torchvision": ("torch", "numpy", "pillow"),
    "torchaudio": ("torch",),
    "transformers": ("huggingface-hub", "numpy", "packaging", "pyyaml", "regex", "requests",
                     "tokenizers", "safetensors", "tqdm", "filelock"),
    "sentence-transformers": ("transformers", "torch", "huggingface-hub", "scikit-learn", "scipy",
                              "tqdm", "pillow"),
    "fastapi": ("starlette", "pydantic", "typing-extensions"),
    "jinja2": ("markupsafe",),
    # leaves and tools: nothing (or nothing an application imports) comes with them
    "pyyaml": (), "numpy": (), "six": (), "pytz": (), "joblib": (), "pillow": (), "redis": (), "pymysql": (),
    "psycopg2-binary": (), "psycopg2": (), "python-dotenv": (), "click": (), "packaging": (), "psutil": (),
    "protobuf": (), "tqdm": (), "gunicorn": ("packaging",), "uv": (), "pip": (), "wheel": (),
    "pipenv": ("certifi", "setuptools", "virtualenv"), "virtualenv": ("distlib", "filelock", "platformdirs"),
    "setuptools": (), "python-multipart": (), "pyarrow": (), "cloudpickle": (), "markupsafe": (),
    "werkzeug": ("markupsafe",),
    "starlette": ("anyio",),
    "uvicorn": ("click", "h11"),
    "flask": ("werkzeug", "jinja2", "itsdangerous", "click", "blinker"),
    "requests": ("urllib3", "idna", "certifi", "charset-normalizer"),
    "httpx": ("httpcore", "anyio", "idna", "certifi"),
    "pydantic": ("pydantic-core", "typing-extensions", "annotated-types"),
    "xgboost": ("numpy", "scipy"),
    "lightgbm": ("numpy", "scipy"),
    "catboost": ("numpy", "pandas", "scipy", "matplotlib", "plotly", "graphviz", "six"),
    "opencv-python": ("numpy",),
    "opencv-python-headless": ("numpy",),
    "opencv-contrib-python": ("numpy",),
    "opencv-contrib-python-headless": ("numpy",),
    "tensorflow": ("numpy", "absl-py", "protobuf", "grpcio", "h5py", "keras", "tensorboard", "six",
                   "wrapt", "termcolor", "packaging", "requests", "setuptools", "typing-extensions",
                   "ml-dtypes", "opt-einsum", "gast", "astunparse", "flatbuffers", "google-pasta"),
    "keras": ("numpy", "absl-py", "h5py", "rich", "namex", "optree", "ml-dtypes", "packaging"),
    "streamlit": ("numpy", "pandas", "pillow", "altair", "protobuf", "pyarrow", "requests", "tornado",
                  "click", "packaging", "tenacity", "toml", "typing-extensions", "watchdog"),
    "gradio": ("fastapi", "uvicorn", "numpy", "pandas", "pillow", "pydantic", "httpx", "huggingface-hub",
               "jinja2", "pyyaml", "typing-extensions", "packaging", "orjson", "python-multipart"),
    "mlflow": ("mlflow-skinny", "flask", "numpy", "pandas", "scikit-learn", "scipy", "matplotlib",
               "sqlalchemy", "alembic", "pyarrow", "gunicorn"),
    "mlflow-skinny": ("click", "cloudpickle", "packaging", "protobuf", "pyyaml", "requests",
                      "sqlparse", "importlib-metadata"),
    "jupyter-server": ("jupyter-core", "jupyter-client", "nbconvert", "tornado", "traitlets"),
    "tensorboard": ("numpy", "protobuf", "grpcio", "werkzeug", "markdown"),
    "jupyterlab": ("jupyter-server", "jupyter-core", "ipykernel", "jinja2", "tornado", "traitlets",
                   "packaging"),
    "notebook": ("jupyter-server", "jupyterlab", "tornado"),
    "jupyter": ("notebook", "jupyterlab", "ipykernel", "ipywidgets", "nbconvert", "jupyter-console"),
    "ipykernel": ("ipython", "jupyter-client", "jupyter-core", "tornado", "traitlets", "comm"),
    # scikit-image < 0.19 also required matplotlib: counted, as a missed report beats a false one
    "scikit-image": ("numpy", "scipy", "pillow", "imageio", "networkx", "tifffile", "packaging", "matplotlib"),
    "statsmodels": ("numpy", "scipy", "pandas", "patsy", "packaging"),
    "ultralytics": ("numpy", "matplotlib", "opencv-python", "pillow", "pyyaml", "requests", "scipy",
                    "torch", "torchvision", "tqdm", "psutil", "polars"),
    "easyocr": ("torch", "torchvision", "opencv-python-headless", "scipy", "numpy", "pillow",
                "scikit-image", "pyyaml", "shapely"),
    "openai-whisper": ("numpy", "torch", "tqdm", "tiktoken"),
    "celery": ("kombu", "billiard", "vine", "click"),
    "spacy": ("numpy", "requests", "pydantic", "jinja2", "tqdm", "packaging"),
    "datasets": ("numpy", "pyarrow", "pandas", "requests", "tqdm", "fsspec", "huggingface-hub", "pyyaml"),
    "accelerate": ("numpy", "torch", "huggingface-hub", "packaging", "psutil", "pyyaml", "safetensors"),
    "librosa": ("numpy", "scipy", "scikit-learn", "joblib", "soundfile", "audioread", "numba"),
    "geopandas": ("numpy", "pandas", "shapely", "pyproj", "packaging"),
    "boto3": ("botocore", "jmespath", "s3transfer"),
    "botocore": ("jmespath", "python-dateutil", "urllib3"),
}


class WrongName(NamedTuple):
    """A name people pip-install by mistake, and what to install instead."""

    name: str  # as PEP 503 normalises it
    instead: str  # the distribution that provides what was meant
    why: str  # what goes wrong, in the user's words
    security: bool  # another (unrelated or dummy) project is published under the wrong name
    broken_from: str | None = None  # only pins of this version and later break (older ones still install)


WRONG_NAMES: dict[str, WrongName] = {w.name: w for w in (
    WrongName("sklearn", "scikit-learn",
              "the build fails: `The 'sklearn' PyPI package is deprecated, use 'scikit-learn'`", False),
    WrongName("tensorflow-gpu", "tensorflow",
              "`tensorflow-gpu` was removed from PyPI (\"Removed: please install tensorflow instead\"); "
              "`pip install tensorflow[and-cuda]` gets the GPU build since 2.15", False, broken_from="2.12"),
    WrongName("cv2", "opencv-python-headless",
              "there is no `cv2` on PyPI: `No matching distribution found for cv2`", False),
    WrongName("pil", "pillow", "`PIL` is the Python 2 library; `import PIL` comes from Pillow", False),
    WrongName("fitz", "pymupdf",
              "the `fitz` on PyPI is an unrelated project: `import fitz` then fails or imports the wrong code",
              True),
    WrongName("whisper", "openai-whisper",
              "the `whisper` on PyPI is Graphite's round-robin database, not OpenAI's speech model", True),
    WrongName("dotenv", "python-dotenv",
              "the `dotenv` on PyPI is a deprecated, unrelated package; `import dotenv` comes from python-dotenv",
              True),
    WrongName("crypto", "pycryptodome",
              "the `crypto` on PyPI is an unrelated GPG file tool; `import Crypto` comes from pycryptodome",
              True),
    WrongName("jwt", "pyjwt",
              "the `jwt` on PyPI is a different JWT library with another API; `import jwt` of PyJWT code fails",
              True),
    WrongName("serial", "pyserial",
              "the `serial` on PyPI is a serialization framework, not pySerial", True),
    WrongName("attr", "attrs", "the `attr` on PyPI is unrelated; `import attr` comes from attrs", True),
    WrongName("docx", "python-docx",
              "the `docx` on PyPI is a Python 2 era package; `import docx` of python-docx code fails", True),
    WrongName("ffmpeg", "ffmpeg-python",
              "the `ffmpeg` on PyPI is a different package; `import ffmpeg` of ffmpeg-python code fails", True),
    WrongName("gi", "pygobject", "the `gi` on PyPI is a different meta-package; `import gi` comes from PyGObject",
              True),
    WrongName("apex", "apex (NVIDIA, from git)",
              "the `apex` on PyPI is a Pyramid toolkit, not NVIDIA apex (install it from "
              "https://github.com/NVIDIA/apex)", True),
    WrongName("faiss", "faiss-cpu", "the `faiss` on PyPI is a stale 2019 upload; install faiss-cpu (or faiss-gpu-cu12)",
              True),
    WrongName("yaml", "pyyaml", "there is no `yaml` on PyPI: `No matching distribution found for yaml`", False),
)}


# Modules so many distributions depend on that an install whose dependencies are not in
# DEPENDENCIES probably brings them: not reported then (a missed report beats a false one).
# Distributions that install the same module over each other: one environment may hold only one of each
# group. opencv/opencv-python README ("There are four different packages and you should select only one
# of them ... all the packages use the same namespace (cv2)"); microsoft/onnxruntime#26996 and #6183
# (with onnxruntime next to onnxruntime-gpu: "Specified provider 'CUDAExecutionProvider' is not in
# available provider names").
EXCLUSIVE: dict[str, tuple[str, ...]] = {
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python", "opencv-contrib-python-headless"),
    "onnxruntime": ("onnxruntime", "onnxruntime-gpu"),
}


UBIQUITOUS = frozenset({
    "requests", "urllib3", "six", "typing-extensions", "packaging", "certifi", "idna", "charset-normalizer",
    "markupsafe", "attrs", "click", "tqdm", "numpy", "pyyaml", "filelock", "jinja2", "pyparsing",
    "python-dateutil", "pytz", "setuptools", "importlib-metadata", "zipp", "colorama", "tomli", "platformdirs",
    "psutil", "protobuf", "grpcio", "pydantic", "anyio", "sniffio", "h11", "httpx", "httpcore", "fsspec",
    "huggingface-hub", "regex", "safetensors", "tokenizers", "pillow", "scipy", "pandas", "cffi", "pycparser",
    "cryptography", "wrapt", "decorator", "joblib", "threadpoolctl", "networkx", "sympy", "mpmath", "rich",
    "pygments", "markdown-it-py", "mdurl", "absl-py", "termcolor", "cloudpickle", "msgpack", "aiohttp",
    "multidict", "yarl", "frozenlist", "aiosignal", "async-timeout", "websockets", "werkzeug", "itsdangerous",
    "blinker", "starlette", "orjson", "ujson", "simplejson", "toml", "tenacity", "backoff", "dill", "tabulate",
    "googleapis-common-protos", "opentelemetry-api", "prometheus-client", "greenlet", "sqlalchemy",
})


def squashed(name: str) -> str:
    """``argos-translate-lt`` -> ``argostranslatelt``: to match import names to distribution names."""
    return canonical_name(name).replace("-", "")


def distributions_for(module: str) -> tuple[str, ...]:
    """The distributions (PEP 503 names) that may provide the dotted ``module``."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        found = IMPORT_TO_DISTRIBUTIONS.get(".".join(parts[:n]))
        if found is not None:
            return found
    return (canonical_name(parts[0]),)


def provided_imports(distribution: str) -> tuple[str, ...]:
    """Import names (top-level or dotted) a distribution certainly provides."""
    names = {imp for imp, dists in IMPORT_TO_DISTRIBUTIONS.items() if distribution in dists}
    names.add(distribution.replace("-", "_"))
    names.update(EXTRA_IMPORTS.get(distribution, ()))
    return tuple(sorted(names))


def with_dependencies(distributions: set[str]) -> set[str]:
    """``distributions`` and everything they certainly pull in (transitively)."""
    out = set(distributions)
    todo = list(distributions)
    while todo:
        for dep in DEPENDENCIES.get(todo.pop(), ()):
            if dep not in out:
                out.add(dep)
                todo.append(dep)
    return out
