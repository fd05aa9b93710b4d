"""Hostile builds and images (issue 8): nothing a build prints or an image holds reaches a
terminal or a CI log as a control sequence or a workflow command."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from imagesynth import F, docker_save, hostile_layer, layer, pax_records, raw_header

from dockerlint.verify.causes import classify
from dockerlint.verify.command import print_error, run
from dockerlint.verify.diff import DiffTimeout, diff_images
from dockerlint.verify.errors import BuildFailed
from dockerlint.verify.layers import (
    MAX_EXTENDED_RUN,
    MAX_NAME_BYTES,
    MAX_PAX_RECORDS,
    read_layer_stream,
)
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


# --------------------------------------------------------------------------- hostile layers

def problems(summary) -> dict[str, str]:
    return {issue.problem: issue.detail for issue in summary.issues}


def test_a_global_pax_header_with_thousands_of_keys_is_not_copied_into_every_entry():
    """Before: 3,000 global records went into each of the 2,000 entries (4.4 s, 437 MB for
    a 1 MB layer); now at most MAX_PAX_RECORDS per entry, and the layer is reported."""
    summary = read_layer_stream(io.BytesIO(hostile_layer(files=2000, global_keys=3000)))
    assert len(summary.entries) == 2000
    assert max(len(e.pax) for e in summary.entries) == MAX_PAX_RECORDS
    assert problems(summary) == {
        "pax-records": f"more than {MAX_PAX_RECORDS} PAX records (2,872 not read)"}


def test_a_run_of_extended_headers_is_hashed_not_interpreted():
    summary = read_layer_stream(io.BytesIO(hostile_layer(files=3, run=MAX_EXTENDED_RUN + 5)))
    assert [e.path for e in summary.entries] == ["f0.txt", "f1.txt", "f2.txt"]
    assert max(len(e.pax) for e in summary.entries) == MAX_EXTENDED_RUN
    assert problems(summary) == {"extended-header-run": f"more than {MAX_EXTENDED_RUN} extended "
                                 "headers before one member; 15 times in this layer"}


def test_an_oversized_extended_header_is_a_finding_not_an_error():
    summary = read_layer_stream(io.BytesIO(hostile_layer(files=2, global_keys=100_000)))
    assert [e.path for e in summary.entries] == ["f0.txt", "f1.txt"]
    assert set(problems(summary)) == {"oversized-header"}


def test_a_name_longer_than_path_max_is_cut():
    summary = read_layer_stream(io.BytesIO(hostile_layer(files=2, long_name=100_000)))
    assert len(summary.entries[0].path) == MAX_NAME_BYTES + 1        # cut, marked with …
    assert problems(summary) == {"long-name": "a name of 100,000 bytes"}


def test_fields_beyond_the_record_limit_are_still_honoured():
    """A path and a size after hundreds of junk records: the tar stays in sync."""
    records = {f"junk{i}": "x" for i in range(MAX_PAX_RECORDS + 50)}
    records.update(path="app/real-name.txt", size="5")
    info = raw_header("f.txt", b"0")[:512]
    data = (raw_header("././@PaxHeader", b"x", pax_records(records)) + info
            + b"hello" + bytes(507) + raw_header("next.txt", b"0") + bytes(1024))
    summary = read_layer_stream(io.BytesIO(data))
    assert [(e.path, e.size) for e in summary.entries] == [("app/real-name.txt", 5),
                                                           ("next.txt", 0)]
    import hashlib
    assert summary.entries[0].digest == hashlib.sha256(b"hello").hexdigest()


def test_a_hostile_base_layer_is_an_error_finding_on_its_layer():
    hostile = hostile_layer(files=50, global_keys=500, run=MAX_EXTENDED_RUN + 1)
    a = docker_save([hostile, layer(F("app/x", b"1"))])
    b = docker_save([hostile, layer(F("app/x", b"2"))])
    causes = classify(diff_images(io.BytesIO(a), io.BytesIO(b)))
    unsafe = [c for c in causes if c.id == "REPRO-UNSAFE-LAYER"]
    assert [(c.layer, str(c.severity)) for c in unsafe] == [(0, "error")]
    assert unsafe[0].message.startswith(
        "the layer's tar headers are hostile (too many or oversized extended headers, PAX "
        "records or names beyond PATH_MAX) in both builds: extended-header-run: more than "
        f"{MAX_EXTENDED_RUN} extended headers before one member; 51 times in this layer; "
        f"pax-records: more than {MAX_PAX_RECORDS} PAX records (372 not read) "
        "(at 'global PAX header')")
    assert {c.id for c in causes} >= {"REPRO-UNSAFE-LAYER", "REPRO-CONTENT"}


def test_the_deadline_covers_a_diff_whose_reader_is_stuck():
    """--timeout used to be checked only every 4 MB read: a stuck or slow layer ran on."""
    import threading
    import time

    release = threading.Event()

    class Stuck(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            release.wait(30)
            return 0

    try:
        with pytest.raises(DiffTimeout, match="timed out"):
            diff_images(io.BufferedReader(Stuck()), io.BufferedReader(Stuck()),
                        deadline=time.monotonic() + 0.3)
    finally:
        release.set()
