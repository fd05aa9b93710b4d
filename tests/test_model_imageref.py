"""Image references: split, spans, unknown parts (dockerlint.model.imageref)."""
from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dockerlint.model.expand import expand
from dockerlint.model.imageref import parse_image
from dockerlint.syntax.nodes import Source


def ref(word: str, env=None, prefix: str = "FROM "):
    source = Source(prefix + word + "\n")
    start = len(prefix)
    span = source.span(start, start + len(word))
    return parse_image(word, expand(word, env or {}), span,
                       lambda lo, hi: source.span(start + lo, start + hi)), source


@pytest.mark.parametrize("word, registry, repository, name, tag, digest", [
    ("python", None, "python", "python", None, None),
    ("python:3.12.7-slim-bookworm", None, "python", "python", "3.12.7-slim-bookworm", None),
    ("nvidia/cuda:12.1.0-cudnn8-runtime-ubuntu22.04", None, "nvidia/cuda", "cuda", "12.1.0-cudnn8-runtime-ubuntu22.04", None),
    ("docker.io/library/python:3.11", "docker.io", "library/python", "python", "3.11", None),
    ("ghcr.io/org/team/img:v1", "ghcr.io", "org/team/img", "img", "v1", None),
    ("localhost/img", "localhost", "img", "img", None, None),
    ("localhost:5000/img:1", "localhost:5000", "img", "img", "1", None),
    ("registry:5000/img", "registry:5000", "img", "img", None, None),
    ("python@sha256:" + "a" * 64, None, "python", "python", None, "sha256:" + "a" * 64),
    ("python:3.11@sha256:" + "b" * 64, None, "python", "python", "3.11", "sha256:" + "b" * 64),
])
def test_splits_like_docker(word, registry, repository, name, tag, digest):
    image, _ = ref(word)
    assert (image.registry, image.repository, image.name, image.tag, image.digest) == \
        (registry, repository, name, tag, digest)
    assert image.resolved and image.is_valid


def test_tag_and_digest_spans_point_at_the_text():
    image, source = ref("python:3.11@sha256:" + "c" * 64)
    assert source.slice(image.tag_span) == "3.11"
    assert source.slice(image.digest_span) == "sha256:" + "c" * 64
    assert image.tag_span.column == len("FROM python:") + 1


def test_docker_hub_and_official():
    assert ref("python:3")[0].is_official is True
    assert ref("library/python")[0].is_official is True
    assert ref("jupyter/base-notebook")[0].is_official is False
    assert ref("quay.io/x/y")[0].is_docker_hub is False
    assert ref("docker.io/x/y")[0].is_docker_hub is True


def test_tag_from_a_variable_gets_the_whole_word_span():
    image, source = ref("python:${TAG}", {"TAG": "3.11"})
    assert image.tag == "3.11" and image.resolved
    assert image.tag_span == image.span


def test_default_written_in_the_word_keeps_an_exact_span():
    image, source = ref("python:${TAG:-3.10}")
    assert image.tag == "3.10"
    assert source.slice(image.tag_span) == "3.10"


def test_unknown_tag_is_none_and_unresolved():
    image, _ = ref("python:${TAG}", {"TAG": None})
    assert image.repository == "python" and image.tag is None
    assert not image.resolved and image.unresolved == ("TAG",)


def test_unknown_registry_is_not_taken_for_docker_hub():
    image, _ = ref("${REGISTRY}/python:3.11", {"REGISTRY": None})
    assert image.registry is None and image.registry_known is False
    assert image.is_docker_hub is None
    assert image.name == "python" and image.tag == "3.11"


def test_whole_image_unknown():
    image, _ = ref("${BASE}", {"BASE": None})
    assert (image.repository, image.tag, image.is_docker_hub) == (None, None, None)


def test_invalid_references_are_flagged():
    assert not ref("Python:3")[0].is_valid
    assert not ref("python:bad tag")[0].is_valid
    assert not ref("python@sha256:short")[0].is_valid


COMPONENT = st.from_regex(r"[a-z0-9]{1,5}([._-][a-z0-9]{1,4})?", fullmatch=True)
DOMAIN = st.one_of(st.none(), st.sampled_from(["gcr.io", "localhost:5000", "my.registry.example", "localhost"]))
TAG = st.one_of(st.none(), st.from_regex(r"[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,12}", fullmatch=True))
DIGEST = st.one_of(st.none(), st.from_regex(r"sha256:[0-9a-f]{64}", fullmatch=True))


@given(DOMAIN, st.lists(COMPONENT, min_size=1, max_size=3), TAG, DIGEST)
def test_parts_reassemble_to_the_text(domain, path, tag, digest):
    assume(domain is not None or len(path) == 1 or "." not in path[0])  # else it reads as a domain
    repository = "/".join(path)
    word = (domain + "/" if domain else "") + repository
    word += (":" + tag if tag else "") + ("@" + digest if digest else "")
    image, source = ref(word)
    assert image.registry == domain
    assert image.repository == repository
    assert image.tag == tag and image.digest == digest
    rebuilt = (image.registry + "/" if image.registry else "") + image.repository
    rebuilt += (":" + image.tag if image.tag else "") + ("@" + image.digest if image.digest else "")
    assert rebuilt == word == image.text
    assert image.is_valid
    if tag:
        assert source.slice(image.tag_span) == tag
    if digest:
        assert source.slice(image.digest_span) == digest
