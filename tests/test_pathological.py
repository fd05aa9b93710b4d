"""The hostile shapes of bench/pathological.py, linted small under CPU and memory limits.

The limits are the harness's (RLIMIT_CPU, RLIMIT_AS in the child), not wall-clock asserts: a shape
that turns quadratic or exponential again is killed and the test fails.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "pathological.py"
sys.path.insert(0, str(BENCH.parent))
from pathological import SHAPES  # noqa: E402

CPU_SECONDS = 60
MEMORY_BYTES = 1536 * 2 ** 20

LIMITS = f"""
import resource, runpy, sys
resource.setrlimit(resource.RLIMIT_CPU, ({CPU_SECONDS}, {CPU_SECONDS}))
resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_BYTES}, {MEMORY_BYTES}))
sys.argv = [{str(BENCH)!r}, "--child", sys.argv[1], "--size", sys.argv[2]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_hostile_shape_is_linted_within_limits(shape):
    proc = subprocess.run([sys.executable, "-c", LIMITS, shape, "30000"], capture_output=True, text=True)
    assert proc.returncode == 0, f"{shape}: killed or crashed ({proc.returncode}): {proc.stderr[-500:]}"
    result = json.loads(proc.stdout)
    assert result["findings"] >= 0 and result["bytes"] > 0


# Shapes whose work grew with the square of their size (50,000 ENV lines took minutes and 12 GB):
# at 200 kB the quadratic versions need gigabytes, the linear ones well under the limit.
LINEAR_MEMORY_BYTES = 768 * 2 ** 20


@pytest.mark.parametrize("shape,size", [("env-lines", 200_000), ("env-undefined", 200_000),
                                        ("continued-line", 2_000_000), ("find-exec", 60_000)])
def test_long_shapes_stay_linear(shape, size):
    limits = LIMITS.replace(str(MEMORY_BYTES), str(LINEAR_MEMORY_BYTES))
    proc = subprocess.run([sys.executable, "-c", limits, shape, str(size)], capture_output=True, text=True)
    assert proc.returncode == 0, f"{shape}: killed or crashed ({proc.returncode}): {proc.stderr[-500:]}"
    assert json.loads(proc.stdout)["bytes"] >= size * 0.9
