"""System libraries and programs that Python packages need at run (or build) time.

Source: /work/shared/knowledge/ml_deps.md §1 (E-elf: ``readelf -d`` of the current
manylinux x86_64 wheels, the DT_NEEDED sonames a wheel does not ship; the
issues cited per row: opencv/opencv-python#370, fireform-core/FireForm#184,
lightgbm-org/LightGBM#2223, dmlc/xgboost#4489, bastibe/python-soundfile#238,
IAHispano/Applio#1144, xszyou/Fay#18, psycopg/psycopg2#1368, PyMySQL/mysqlclient#636,
madmaze/pytesseract#348, Belval/pdf2image#25, meta-pytorch/torchcodec#1023,
davisking/dlib#2307, cvat-ai/cvat#4426; pygraphviz/pygraphviz#155, #201: releases before
2.0.4 had no wheel and built against graphviz's headers). Package names were checked with
``apt-cache policy`` on bookworm; Debian 13 / Ubuntu 24.04 renamed
``libglib2.0-0`` to ``libglib2.0-0t64`` (64-bit time_t) and dropped
``libgl1-mesa-glx``.

Each need lists the distro packages that satisfy it as patterns: a package
that depends on the library (ffmpeg pulls libGL and glib, gcc pulls libgomp1)
counts, so a rule only fires when nothing installed can bring it.
"""
from __future__ import annotations

import re
from typing import NamedTuple


class Need(NamedTuple):
    """One system library or program, for one libc."""

    what: str  # the soname or program, as the error names it: "libGL.so.1", "tesseract"
    apt: tuple[str, ...]  # the packages to install on Debian/Ubuntu (t64 names resolved by the rule)
    apk: tuple[str, ...]  # the packages on Alpine; () when the package has no musl wheel anyway
    satisfied_by: str  # regex over installed package names (apt or apk) that bring it
    error: str | None = None  # the error when only this one is missing (else the requirement's)


class Requirement(NamedTuple):
    """What one distribution needs from the OS, and the error users meet without it."""

    distribution: str  # PEP 503 name
    needs: tuple[Need, ...]
    error: str  # the error text, as users see it
    when: str  # "import" (run time), "build" (pip builds it from source), "use" (first call)
    libc: tuple[str, ...] = ("glibc", "musl")  # where it applies
    below: tuple[int, ...] | None = None  # only for versions below this (None: every version)
    fix_instead: str | None = None  # a package swap that removes the need


_GL = Need("libGL.so.1", ("libgl1",), ("mesa-gl",),
           r"libgl1.*|libglx.*|libegl.*|libopengl.*|libglu1.*|mesa-.*|libosmesa.*|freeglut.*|ffmpeg|"
           r"libopencv.*|python3-opencv|py3-opencv|libgtk.*|libqt.*|qt[56].*|xvfb|libvtk.*|xserver-.*|"
           r"libsdl2.*|libavdevice.*|mesa-gl|mesa|libgl1-mesa-glx")
_GLIB = Need("libgthread-2.0.so.0", ("libglib2.0-0",), ("glib",),
             r"libglib2\.0.*|glib|glib-dev|libgtk.*|libgstreamer.*|gstreamer.*|ffmpeg|libopencv.*|python3-opencv|"
             r"py3-opencv|libpango.*|libcairo.*|libgdk.*|libqt.*|qt[56].*|xvfb|libavdevice.*|librsvg.*|"
             r"imagemagick.*|libmagick.*|poppler.*|libpoppler.*|libvtk.*",
             "ImportError: libgthread-2.0.so.0: cannot open shared object file: No such file or directory")
_GOMP = Need("libgomp.so.1", ("libgomp1",), ("libgomp",),
             r"libgomp1?|gcc(-\d+)?|g\+\+(-\d+)?|build-essential|build-base|gfortran(-\d+)?|libgcc-\d+-dev|"
             r"libstdc\+\+-\d+-dev|libgfortran.*|libopenblas.*openmp.*")
_COMPILER = Need("gcc", ("build-essential",), ("build-base",),
                 r"gcc(-\d+)?|g\+\+(-\d+)?|build-essential|build-base|clang(-\d+)?",
                 "error: command 'gcc' failed: No such file or directory")
_SNDFILE = Need("libsndfile", ("libsndfile1",), ("libsndfile",), r"libsndfile.*|ffmpeg|sox|libsox.*")
_PORTAUDIO = Need("libportaudio", ("libportaudio2",), ("portaudio",), r"libportaudio.*|portaudio.*")
_PORTAUDIO_DEV = Need("portaudio.h", ("portaudio19-dev",), ("portaudio-dev",), r"portaudio19-dev|portaudio-dev")
_PQ_DEV = Need("pg_config", ("libpq-dev",), ("postgresql-dev",),
               r"libpq-dev|postgresql-dev|postgresql-server-dev.*|libpq-devel")
_MYSQL_DEV = Need("mysqlclient headers", ("default-libmysqlclient-dev",), ("mariadb-dev",),
                  r"default-libmysqlclient-dev|libmysqlclient-dev|libmariadb-dev.*|libmariadbclient-dev|"
                  r"mariadb-dev|mariadb-connector-c-dev|mysql-dev")
_PKG_CONFIG = Need("pkg-config", ("pkg-config",), ("pkgconf",),
                   r"pkg-config|pkgconf|libglib2\.0-dev|libgtk.*-dev")
_TESSERACT = Need("tesseract", ("tesseract-ocr",), ("tesseract-ocr",), r"tesseract-ocr.*|tesseract")
_POPPLER = Need("pdfinfo", ("poppler-utils",), ("poppler-utils",), r"poppler-utils|poppler")
_FFMPEG = Need("libavcodec", ("ffmpeg",), ("ffmpeg",), r"ffmpeg|libavcodec.*|libavformat.*|ffmpeg-libs")
_CMAKE = Need("cmake", ("cmake",), ("cmake",), r"cmake(-data)?")
_MAGIC = Need("libmagic.so.1", ("libmagic1",), ("libmagic",), r"libmagic.*|file|file-dev")
_GEOS = Need("libgeos_c.so.1", ("libgeos-dev",), ("geos-dev",), r"libgeos.*|geos.*|libspatialite.*|gdal.*|libgdal.*")

_GRAPHVIZ_DEV = Need("graphviz/cgraph.h", ("graphviz", "libgraphviz-dev"), ("graphviz-dev",),
                     r"libgraphviz-dev|graphviz-dev")

_CV2_ERROR = "ImportError: libGL.so.1: cannot open shared object file: No such file or directory"

REQUIREMENTS: dict[str, Requirement] = {r.distribution: r for r in (
    Requirement("opencv-python", (_GL, _GLIB), _CV2_ERROR, "import", libc=("glibc",),
                fix_instead="opencv-python-headless (needs neither library; a server has no display anyway)"),
    Requirement("opencv-contrib-python", (_GL, _GLIB), _CV2_ERROR, "import", libc=("glibc",),
                fix_instead="opencv-contrib-python-headless (needs neither library)"),
    Requirement("lightgbm", (_GOMP,),
                "OSError: libgomp.so.1: cannot open shared object file: No such file or directory", "import",
                libc=("glibc",)),
    Requirement("xgboost", (_GOMP,),
                "XGBoostError: XGBoost Library (libxgboost.so) could not be loaded ... "
                "libgomp.so.1: cannot open shared object file", "import", libc=("glibc",), below=(2,)),
    Requirement("soundfile", (_SNDFILE,), "OSError: sndfile library not found", "import", libc=("musl",)),
    Requirement("sounddevice", (_PORTAUDIO,), "OSError: PortAudio library not found", "import"),
    Requirement("pyaudio", (_PORTAUDIO_DEV, _COMPILER),
                "src/pyaudio/device_api.c:9:10: fatal error: portaudio.h: No such file or directory", "build"),
    Requirement("psycopg2", (_PQ_DEV, _COMPILER),
                "Error: pg_config executable not found. pg_config is required to build psycopg2 from source.",
                "build", fix_instead="psycopg2-binary (a self-contained wheel)"),
    Requirement("mysqlclient", (_MYSQL_DEV, _PKG_CONFIG, _COMPILER),
                "Exception: Can not find valid pkg-config name. Specify MYSQLCLIENT_CFLAGS and "
                "MYSQLCLIENT_LDFLAGS env vars manually", "build"),
    Requirement("pytesseract", (_TESSERACT,),
                "pytesseract.pytesseract.TesseractNotFoundError: tesseract is not installed or it's not in "
                "your PATH", "use"),
    Requirement("pdf2image", (_POPPLER,),
                "pdf2image.exceptions.PDFInfoNotInstalledError: Unable to get page count. "
                "Is poppler installed and in PATH?", "use"),
    Requirement("torchcodec", (_FFMPEG,),
                "RuntimeError: Could not load libtorchcodec. Likely causes: 1. FFmpeg is not properly installed",
                "import"),
    Requirement("dlib", (_CMAKE, _COMPILER),
                "RuntimeError: CMake must be installed to build the following extensions: _dlib_pybind11", "build"),
    Requirement("python-magic", (_MAGIC,), "ImportError: failed to find libmagic.  Check your installation",
                "import"),
    Requirement("pygraphviz", (_GRAPHVIZ_DEV, _COMPILER),
                "fatal error: graphviz/cgraph.h: No such file or directory", "build", below=(2, 0, 4)),
    Requirement("shapely", (_GEOS,),
                "OSError: Could not find lib geos_c or load any of its variants ['libgeos_c.so.1', 'libgeos_c.so'].",
                "import", below=(1, 8)),
)}

# Debian 13 / Ubuntu 23.10+ names (the 64-bit time_t transition).
T64_NAMES = {"libglib2.0-0": "libglib2.0-0t64"}


def satisfied(need: Need, installed: set[str]) -> bool:
    """True when a package in ``installed`` brings ``need``."""
    pattern = re.compile(need.satisfied_by)
    return any(pattern.fullmatch(name) for name in installed)
