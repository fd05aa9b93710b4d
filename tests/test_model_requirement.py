"""The requirement reader's fast path gives exactly what packaging gives, and packaging decides the rest."""
from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.requirements import InvalidRequirement
from packaging.requirements import Requirement as Packaging
from packaging.utils import canonicalize_name

from dockerlint.model.packages.requirement import _with_packaging, canonical_name, parse_requirement

NAME = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,6}[A-Za-z0-9])?", fullmatch=True)
VERSION = st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,3}(\.\*)?", fullmatch=True)
OP = st.sampled_from(["==", "!=", "<=", ">=", "<", ">", "~=", "===", "=", ""])
SPACE = st.sampled_from(["", " ", "\t"])
CLAUSE = st.builds(lambda s1, op, s2, v: f"{s1}{op}{s2}{v}", SPACE, OP, SPACE, VERSION)
REQUIREMENT = st.builds(
    lambda s, name, extras, clauses, tail: f"{s}{name}{extras}{','.join(clauses)}{tail}",
    SPACE, NAME,
    st.one_of(st.just(""), st.lists(NAME, max_size=3).map(lambda e: "[" + ", ".join(e) + "]")),
    st.lists(CLAUSE, max_size=3), st.sampled_from(["", " ", "; python_version < '3.12'", " @ https://x/y.whl"]))


def packaging_reading(text: str):
    try:
        return _with_packaging(text)
    except InvalidRequirement:  # pragma: no cover - _with_packaging returns None instead
        return None


@settings(max_examples=400, deadline=None)
@given(REQUIREMENT)
def test_the_fast_path_reads_what_packaging_reads(text):
    assert parse_requirement(text) == packaging_reading(text)


@given(NAME)
def test_canonical_names_are_packagings(name):
    assert canonical_name(name) == canonicalize_name(name)


@pytest.mark.parametrize("text, name, specifier", [
    ("torch", "torch", ""),
    ("numpy==1.26.4", "numpy", "==1.26.4"),
    ("uvicorn[standard] >=0.30, <1", "uvicorn", "<1,>=0.30"),
    ("pandas>=2.0; python_version >= '3.9'", "pandas", ">=2.0"),
    ("torch==2.3.0+cu121", "torch", "==2.3.0+cu121"),
])
def test_requirements_as_users_write_them(text, name, specifier):
    req = parse_requirement(text)
    assert (req.name, req.specifier) == (name, specifier)
    assert req == packaging_reading(text)


@pytest.mark.parametrize("text", ["numpy>=1.0.*", "x~=1", "==1.0", "a b", "name[", ""])
def test_what_packaging_rejects_is_none(text):
    assert parse_requirement(text) is None
    with pytest.raises(InvalidRequirement):
        Packaging(text)


def test_a_plain_name_does_not_import_packaging():
    import subprocess

    code = ("import sys; from dockerlint.model.packages.requirement import parse_requirement; "
            "parse_requirement('scikit-learn[alldeps]>=1.4,<2'); print('packaging' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr
