"""A realistic ML service Dockerfile (fixtures/model/ml_service.Dockerfile), read end to end.

Every expectation below was worked out by hand from BuildKit's rules.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from dockerlint.model import load

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "model" / "ml_service.Dockerfile"


@pytest.fixture(scope="module")
def df():
    return load(FIXTURE.read_bytes(), path=str(FIXTURE))


def by_line(df, line):
    return next(i for i in df.instructions if i.line == line)


def test_stages(df):
    wheels, test, runtime = df.stages
    assert (wheels.name, wheels.name_as_written, test.name, runtime.name) == ("wheels", "Wheels", "test", "runtime")
    assert wheels.base.text == "python:3.11-slim" and wheels.platform.value == "linux/amd64"
    assert test.base is None and test.base_stage is wheels
    ref = runtime.base
    assert (ref.registry, ref.repository, ref.tag) == (None, "nvidia/cuda", "12.1.0-cudnn8-runtime-ubuntu22.04")
    assert ref.raw == "${BASE}" and ref.tag_span == ref.span
    assert [d.name for d in runtime.dependencies] == ["wheels"]
    assert df.target is runtime
    assert [s.needed for s in df.stages] == [True, False, True]


def test_first_stage(df):
    run = by_line(df, 11)
    assert run.cwd == "/src" and run.env == {"PIP_NO_CACHE_DIR": "1", "WHEELS": "/wheels"}
    assert run.run.mounts[0].type == "cache" and run.run.mounts[0].target == "/root/.cache/pip"
    pip = run.commands[0]
    assert pip.name == "pip" and pip.option_value("wheel-dir") == "/wheels"
    assert pip.span.line == 12


def test_child_stage_inherits_env_cwd_and_redeclared_global_arg(df):
    run = by_line(df, 16)
    assert run.stage.name == "test"
    assert run.cwd == "/src" and run.env["WHEELS"] == "/wheels"
    assert dict(run.args) == {"PYTHON_VERSION": "3.11"}
    assert [c.name for c in run.commands] == ["pytest", "echo"]
    assert run.commands[1].argv[1].value == "py3.11"


def test_runtime_stage(df):
    env = by_line(df, 20)
    assert [(p.key, p.value.value) for p in env.pairs] == [("APP_HOME", "/opt/app"), ("PATH", None)]
    assert env.pairs[1].value.unresolved == ("PATH",)  # the image's PATH is not known here
    assert by_line(df, 21).workdir_path == "/opt/app"
    copy = by_line(df, 22).copy
    assert copy.from_stage is df.stages[0] and copy.chown.value == "app:app"
    assert [str(s) for s in copy.sources] == ["/wheels"] and copy.dest.value == "/wheels"
    run = by_line(df, 23)
    assert [c.name for c in run.commands] == ["set", "apt-get", "apt-get"]
    assert run.commands[2].has_option("no-install-recommends") and run.commands[2].span.line == 26
    assert "PYTHON_VERSION" not in run.args and run.args["APP_HOME"] == "/opt/app"
    user = by_line(df, 28).user
    assert (user.user.value, user.group.value) == ("app", "app")
    assert [(p.port, p.protocol) for p in by_line(df, 29).expose] == [("8000", "tcp"), ("9090", "udp")]
    health = by_line(df, 30).healthcheck
    assert health.options == {"interval": "30s"} and health.command.program == "curl"
    cmd = by_line(df, 31).cmd
    assert cmd.exec_form and cmd.argv == ("python", "-m", "service")
