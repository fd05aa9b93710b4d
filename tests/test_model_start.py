"""Stage.start_commands: what the container runs, as Docker joins ENTRYPOINT and CMD."""
from __future__ import annotations

import pytest

from dockerlint.model import load


def _argvs(text: str, stage: int = -1) -> list[tuple[str, ...]]:
    return [s.argv for s in load(text).stages[stage].start_commands]


@pytest.mark.parametrize("text, expected", [
    ('FROM python:3.12\nCMD ["python", "serve.py"]\n', [("python", "serve.py")]),
    ('FROM python:3.12\nENTRYPOINT ["uvicorn"]\nCMD ["app:app", "--port", "80"]\n', [("uvicorn", "app:app", "--port", "80")]),
    # a shell-form CMD is ignored by an exec-form ENTRYPOINT only as Docker does: it becomes /bin/sh -c args
    ('FROM python:3.12\nENTRYPOINT ["python"]\nCMD python x.py\n', [("python",)]),
    ('FROM python:3.12\nENTRYPOINT python a.py\nCMD ["ignored"]\n', [("python", "a.py")]),
    ('FROM python:3.12\nCMD ["sh", "-c", "python migrate.py && gunicorn app:app"]\n',
     [("python", "migrate.py"), ("gunicorn", "app:app")]),
    ('FROM python:3.12\nCMD python a.py --port $PORT\n', []),  # unknown word: left out, never guessed
    ('FROM python:3.12\nCMD ["a"]\nCMD ["b"]\n', [("b",)]),  # the last one wins
    ('FROM python:3.12\n', []),
])
def test_start_commands_join_entrypoint_and_cmd_as_docker_does(text, expected):
    assert _argvs(text) == expected


def test_a_stage_inherits_the_start_command_of_the_stage_it_is_built_from():
    text = 'FROM python:3.12 AS base\nCMD ["python", "serve.py"]\nFROM base\nRUN true\n'
    assert _argvs(text) == [("python", "serve.py")]
    starts = load(text).stages[-1].start_commands
    assert starts[0].instr.line == 2 and starts[0].span.line == 2


def test_an_entrypoint_resets_the_cmd_it_inherits_but_not_one_of_its_own_stage():
    # Dockerfile reference: "If CMD is defined from the base image, setting ENTRYPOINT will reset CMD".
    text = 'FROM python:3.12 AS base\nCMD ["app.py"]\nFROM base\nENTRYPOINT ["python"]\n'
    assert _argvs(text) == [("python",)]
    text = 'FROM python:3.12 AS base\nCMD ["app.py"]\nFROM base\nCMD ["serve.py"]\nENTRYPOINT ["python"]\n'
    assert _argvs(text) == [("python", "serve.py")]
    text = 'FROM python:3.12 AS base\nENTRYPOINT ["python"]\nFROM base\nCMD ["serve.py"]\n'
    assert _argvs(text) == [("python", "serve.py")]
