"""Hostile builds and images (issue 8): nothing a build prints or an image holds reaches a
terminal or a CI log as a control sequence or a workflow command."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from imagesynth import F, docker_save, layer

from dockerlint.verify.causes import classify
from dockerlint.verify.command import print_error, run
from dockerlint.verify.diff import diff_images
from dockerlint.verify.errors import BuildFailed
from dockerlint.verify.summary import render_summary

FIXTURES = Path(__file__).parent.parent / "fixtures" / "verify"
HOSTILE_LINES = [
    "::add-mask::hunter2",
    "   ::stop-commands::pwned",
    "\t::error file=app.py,line=1::injected",
    "##[set-output name=x]y",
    "\x1b]52;c;aGk=\x07\x1b[2Jcleared",
    "caf\u202eexe.txt",
]


def assert_log_safe(text: str) -> None:
    """What the GitHub runner and a terminal would act on: nothing."""
    for line in text.split("\n"):
        assert not line.lstrip().startswith(("::", "##[")), line
    for char in "\x1b\x07\x9b\r\u202e\u2028":
        assert char not in text


def test_a_failing_steps_output_is_shown_behind_a_gutter_and_escaped():
    stderr = io.StringIO()
    print_error(BuildFailed("build A failed at step 3/3 `RUN echo` : boom",
                            details="\n".join(HOSTILE_LINES)), stderr)
    out = stderr.getvalue()
    assert_log_safe(out)
    first, *tail = out.splitlines()
    assert first == "dockerlint: error: build A failed at step 3/3 `RUN echo` : boom"
    assert tail[0] == "  | ::add-mask::hunter2"
    assert tail[4] == "  | \\x1b]52;c;aGk=\\x07\\x1b[2Jcleared"      # shown, not obeyed
    assert tail[5] == "  | caf\\u202eexe.txt"


def test_an_error_message_stays_one_line():
    """A daemon message (or a path) with line breaks and escapes is one safe line."""
    stderr = io.StringIO()
    print_error(BuildFailed("build A failed: no such file /tmp/a\n::error::x\r\x1b[31mred"), stderr)
    out = stderr.getvalue()
    assert out.count("\n") == 1
    assert_log_safe(out)
    assert out == "dockerlint: error: build A failed: no such file /tmp/a ::error::x \\x1b[31mred\n"


def test_paths_from_an_image_are_escaped_in_cause_messages():
    name = "app/\x1b]52;c;aGk=\x07x\n::error::y.txt"
    base = layer(F("bin/sh", b"#!"))
    a = docker_save([base, layer(F(name, b"1"))])
    b = docker_save([base, layer(F(name, b"2"))])
    causes = classify(diff_images(io.BytesIO(a), io.BytesIO(b)))
    content = next(c for c in causes if c.id == "REPRO-CONTENT")
    assert_log_safe(content.message)
    assert "\\x1b]52;c;aGk=\\x07x\\x0a::error::y.txt" in content.message
    assert content.examples == (name,)          # structured data keeps the real path


def test_the_layer_table_escapes_instruction_text():
    info = {"verdict": "not reproducible", "builder": {"kind": "classic", "via": "api"},
            "layers": [{"index": 1, "index_b": 1, "line": 3, "status": "different",
                        "instruction": "RUN echo \x1b]0;title\x07", "entries_differing": 1,
                        "causes": ["REPRO-CONTENT"]}]}
    out = io.StringIO()
    render_summary(info, out)
    assert_log_safe(out.getvalue())
    assert "RUN echo \\x1b]0;title\\x07" in out.getvalue()


@pytest.mark.docker
def test_a_build_printing_workflow_commands_cannot_inject_them(base_image, tmp_path):
    stderr = io.StringIO()
    code = run(str(FIXTURES / "hostile-output" / "Dockerfile"), build_args={"BASE": base_image},
               builder="classic", outputs=[("json", str(tmp_path / "r.json"))],
               stdout=io.StringIO(), stderr=stderr)
    out = stderr.getvalue()
    assert code == 2
    assert out.startswith("dockerlint: error: build A failed at step 3/3 `RUN echo '::add-mask::")
    assert_log_safe(out)
    shown = out.splitlines()[1:]
    assert "  | ::add-mask::hunter2" in shown
    assert "  |    ::stop-commands::pwned" in shown
    assert "  | ::error file=app.py,line=1::injected" in shown
    assert any("\\x1b]52;c;aGk=\\x07" in line and "cleared" in line for line in shown)
