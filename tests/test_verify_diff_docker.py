"""The diff over real ``docker save`` output of the local daemon (legacy layout)."""
from __future__ import annotations

import io
import os
import time

import pytest

from dockerlint.verify.causes import classify
from dockerlint.verify.diff import Verdict, diff_images
from dockerlint.verify.layers import ChunkStream

pytestmark = pytest.mark.docker


def saved(client, image: str) -> ChunkStream:
    return ChunkStream(client.api.get_image(image, chunk_size=1 << 20))


def test_saving_the_same_image_twice_is_reproducible(docker_client, base_image):
    result = diff_images(saved(docker_client, base_image), saved(docker_client, base_image))
    assert result.layout_a == result.layout_b == "docker-save"
    assert result.verdict is Verdict.REPRODUCIBLE
    assert classify(result) == []


def test_two_builds_of_a_run_step_differ_in_build_time_mtimes(docker_client, base_image):
    dockerfile = f"FROM {base_image}\nRUN mkdir /app && echo same > /app/out.txt\n"
    built = []
    try:
        for attempt in range(2):
            if attempt:
                time.sleep(1.1)      # layer mtimes have 1 s resolution: be in another second
            image, _logs = docker_client.images.build(
                fileobj=io.BytesIO(dockerfile.encode()), nocache=True, rm=True, forcerm=True)
            built.append(image.id)
        result = diff_images(saved(docker_client, built[0]), saved(docker_client, built[1]))
    finally:
        for image_id in built:
            docker_client.api.remove_image(image_id, force=True)
    assert result.verdict is Verdict.NOT_REPRODUCIBLE
    assert result.layers[0].status == "identical"            # the imported base
    assert result.layers[1].status == "different"
    causes = {c.id: c for c in classify(result, {1: (2, 1, 2, 40, "RUN mkdir /app")})}
    assert causes["REPRO-MTIME-BUILD"].examples == ("app/out.txt", "app")
    assert causes["REPRO-MTIME-BUILD"].location[0] == 2
    assert "REPRO-CONFIG-METADATA" in causes
    volatile = {c.key for c in result.volatile_config}
    assert "created" in volatile
    if not os.environ.get("DOCKER_BUILDKIT"):
        assert "container" in volatile                        # legacy builder field
