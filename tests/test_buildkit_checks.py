"""BuildKit's control surface: the ``# check=`` directive, ``BUILDKIT_DOCKERFILE_CHECK``,
experimental checks, unknown instruction flags, and the profiles - as a user sees them."""
from __future__ import annotations

import subprocess
import sys

import pytest

from dockerlint import lint_text
from dockerlint.findings import Severity

CASING = "FROM alpine:3.20 AS Base\nrun echo hi\n"  # StageNameCasing + ConsistentInstructionCasing


def ids(findings) -> list[str]:
    return sorted(f.rule_id for f in findings)


def test_skip_list_names_buildkit_checks():
    text = "# check=skip=StageNameCasing\n" + CASING
    assert ids(lint_text(text, select=["StageNameCasing", "ConsistentInstructionCasing"])) == [
        "ConsistentInstructionCasing"]


def test_skip_all_skips_every_buildkit_check_but_not_the_others():
    text = "# check=skip=all\nFROM alpine:3.20 AS Base\nUSER root\n"
    assert ids(lint_text(text, select=["StageNameCasing", "DL3002"])) == ["DL3002"]


def test_value_ends_at_the_first_space():
    text = "# check=skip=StageNameCasing because we like it\n" + CASING
    assert ids(lint_text(text, select=["StageNameCasing"])) == []


def test_parts_are_joined_with_semicolons_and_error_true_escalates():
    text = "# check=skip=StageNameCasing;error=true\n" + CASING
    found = lint_text(text, select=["StageNameCasing", "ConsistentInstructionCasing"])
    assert [(f.rule_id, f.severity) for f in found] == [("ConsistentInstructionCasing", Severity.ERROR)]


def test_error_false_keeps_warnings():
    found = lint_text("# check=error=false\n" + CASING, select=["StageNameCasing"])
    assert [f.severity for f in found] == [Severity.WARNING]


def test_build_argument_replaces_the_directive():
    text = "# check=skip=StageNameCasing\n" + CASING
    found = lint_text(text, select=["StageNameCasing", "ConsistentInstructionCasing"],
                      build_args={"BUILDKIT_DOCKERFILE_CHECK": "skip=ConsistentInstructionCasing"})
    assert ids(found) == ["StageNameCasing"]


def test_experimental_checks_run_only_when_asked():
    text = "# the base\nFROM alpine:3.20 AS base\n"
    assert ids(lint_text(text)) == []
    assert ids(lint_text("# check=experimental=InvalidDefinitionDescription\n" + text)) == [
        "InvalidDefinitionDescription"]
    assert ids(lint_text("# check=experimental=all\n" + text)) == ["InvalidDefinitionDescription"]


def test_experimental_wins_over_skip_all():
    text = "# check=skip=all;experimental=InvalidDefinitionDescription\n# the base\nFROM alpine:3.20 AS Base\n"
    assert ids(lint_text(text, select=["StageNameCasing"])) == ["InvalidDefinitionDescription"]


@pytest.mark.parametrize("line,message", [
    ("COPY --form=build /a /b", "unknown flag for COPY: --form (did you mean from?)"),
    ("CMD --port 8000", "unknown flag for CMD: --port"),
    ("RUN --mout=type=cache,target=/x true", "unknown flag for RUN: --mout (did you mean mount?)"),
    ("ONBUILD COPY --chmon=1 a b", "unknown flag for COPY: --chmon"),
])
def test_an_unknown_flag_is_a_syntax_error(line, message):
    found = lint_text(f"FROM alpine:3.20\n{line}\n")
    assert [(f.rule_id, f.span.line) for f in found] == [("DL1000", 2)]
    assert message in found[0].message


def test_known_flags_are_accepted():
    text = ("FROM --platform=$BUILDPLATFORM alpine:3.20 AS b\n"
            "RUN --mount=type=cache,target=/root/.cache --network=none --security=sandbox true\n"
            "COPY --from=b --chown=1:1 --chmod=644 --link --parents --exclude=*.pyc a /a\n"
            "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d "
            "--keep-git-dir=true --unpack=false https://example.com/a /a\n"
            "HEALTHCHECK --interval=5s --timeout=3s --start-period=1s --start-interval=1s --retries=3 CMD true\n")
    assert [f for f in lint_text(text) if f.rule_id == "DL1000"] == []


def test_profiles_turn_on_the_opt_in_rules():
    text = "FROM python:3.12-slim\nCMD [\"python\"]\n"
    assert "SEC011" not in ids(lint_text(text, extend_select=["security"]))
    assert {"SEC009", "SEC011", "DL3057"} <= set(ids(lint_text(text, extend_select=["profile:security"])))
    strict = lint_text("# the image\nFROM python:3.12-slim AS app\n", select=["profile:strict"])
    assert "InvalidDefinitionDescription" in ids(strict)


def test_cli_reports_an_unknown_flag_with_its_position(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM alpine:3.20\nCOPY --form=build /a /b\n")
    out = subprocess.run([sys.executable, "-m", "dockerlint", "check", "-f", "gnu", str(dockerfile)],
                         capture_output=True, text=True)
    assert out.returncode == 1
    assert f"{dockerfile}:2.6" in out.stdout and "unknown flag for COPY: --form" in out.stdout
