"""Where caches live in an image: the path patterns the cause rules and the layer scan share.

Apart from ``causes`` (which needs the diff) so that the layer scan, which the
diff runs, can name a cache without importing the diff back.
"""
from __future__ import annotations

import re


def rx(*patterns: str) -> re.Pattern:
    """One expression matching any of ``patterns``."""
    return re.compile("|".join(f"(?:{p})" for p in patterns))


CACHE_NPM = rx(r"(^|/)\.npm(/|$)", r"(^|/)\.cache/yarn(/|$)", r"(^|/)\.yarn/cache(/|$)",
               r"(^|/)\.yarn-cache(/|$)", r"^tmp/node-compile-cache(/|$)",
               r"(^|/)\.node-gyp(/|$)", r"(^|/)\.cache/node(/|$)")
CACHE_PIP = rx(r"(^|/)\.cache/(pip|uv|pypoetry)(/|$)", r"(^|/)\.cache/pip-tools(/|$)")
CACHE_CONDA = rx(r"(^|/)(conda|miniconda3?|anaconda3?|mambaforge|miniforge3?|micromamba|"
                 r"\.conda|\.mamba)/pkgs(/|$)", r"(^|/)conda-meta/history$")
CACHE_ML = rx(r"(^|/)\.cache/(huggingface|torch|torch_extensions|clip|whisper|"
              r"keras|tensorflow)(/|$)",
              r"(^|/)\.(triton|keras)(/|$)", r"\.(nbi|nbc)$")
APT_CACHE = rx(r"^var/lib/apt/lists(/|$)", r"^var/cache/apt(/|$)", r"^var/cache/debconf(/|$)",
               r"^var/lib/dpkg/[^/]*-old$", r"^var/lib/apt/extended_states$",
               r"^var/lib/apt/periodic(/|$)")

CACHES = (("REPRO-CACHE-NPM", CACHE_NPM), ("REPRO-CACHE-PIP", CACHE_PIP), ("REPRO-CACHE-CONDA", CACHE_CONDA),
          ("REPRO-CACHE-ML", CACHE_ML), ("REPRO-APT-CACHE", APT_CACHE))


_ANY_CACHE = rx(*(pattern.pattern for _, pattern in CACHES))


def cache_cause(path: str) -> str | None:
    """The cache cause a path belongs to (npm, pip, conda, ML model caches, apt), or None;
    what the layer scan (``carried``) reports caches under."""
    if not _ANY_CACHE.search(path):       # one search for the common case: no cache at all
        return None
    for cause, pattern in CACHES:
        if pattern.search(path):
            return cause
    return None
