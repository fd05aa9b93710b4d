"""GitHub reporter: workflow commands the runner parses back to exactly what we meant."""
from __future__ import annotations

import io
import re

from hypothesis import given
from hypothesis import strategies as st
from report_sample import GPU, MAIN, empty_report, sample_report

from dockerlint.report import github
from dockerlint.textsafe import escape_controls

COMMAND = re.compile(r"^::(?P<cmd>error|warning|notice) (?P<props>[^:]*)::(?P<data>.*)$")


# The runner's decoding (actions/runner ActionCommand.cs): %0D, %0A, (%3A, %2C), %25 last.
def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
            .replace("%2C", ",").replace("%25", "%"))


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """Parse one workflow command as the runner does."""
    m = COMMAND.match(line)
    assert m, line
    props = {}
    for pair in m["props"].split(","):
        key, _, value = pair.partition("=")
        props[key] = unescape_property(value)
    return m["cmd"], props, unescape_data(m["data"])


def _render(report, env) -> list[str]:
    out = io.StringIO()
    github.render(report, out, env=env)
    return out.getvalue().splitlines()


def test_annotations_parse_back_to_the_findings():
    report = sample_report()
    lines = _render(report, env={})
    commands = [parse(line) for line in lines if line.startswith("::")]
    assert len(commands) == len(report.findings)
    # errors first (no pull request event: nothing else to prefer), then in report order
    assert [c[0] for c in commands] == ["error", "error", "warning", "warning", "warning", "notice", "notice"]
    cmd, props, message = next(c for c in commands if c[1]["title"].startswith("DL3007"))
    assert props == {"file": MAIN, "line": "1", "endLine": "1", "col": "13", "endColumn": "19",
                     "title": "DL3007 no-latest-tag"}
    assert message == "Base image python uses the moving tag `latest`\nFix: Pin python to 3.12.7-slim-bookworm"
    assert next(c for c in commands if c[1]["title"].startswith("STY001"))[2] == 'Label "maintainer" of Zoë: 数据 & <co>, 100% odd\nsecond line'


def test_multi_line_findings_carry_no_columns():
    commands = [parse(line) for line in _render(sample_report(), env={}) if line.startswith("::")]
    _, props, _ = next(c for c in commands if c[1]["title"].startswith("ML001"))
    assert props == {"file": GPU, "line": "2", "endLine": "4", "title": "ML001 cuda-torch-mismatch"}


def test_last_line_is_the_summary():
    assert _render(sample_report(), env={})[-1] == ("7 problems (2 errors, 3 warnings, 1 info, 1 style) in 2 of 3 "
                                                    "files. 1 fixable with --fix (1 more with --fix --unsafe-fixes).")
    assert _render(empty_report(), env={}) == ["No problems found in 3 files."]


def test_absolute_paths_inside_the_workspace_become_relative(tmp_path):
    from dockerlint.report.paths import repo_locations

    report = sample_report()
    finding = report.findings[0]
    path = str(tmp_path / "sub dir" / "Dockerfile")
    moved = finding.__class__(**{**{k: getattr(finding, k) for k in finding.__slots__ if k != "extra"},
                                 "path": path})
    report.findings[:] = [moved]
    report.repo_root, report.repo_paths = repo_locations([path], str(tmp_path), {"GITHUB_WORKSPACE": str(tmp_path)})
    (line, *_) = _render(report, env={})
    assert parse(line)[1]["file"] == "sub dir/Dockerfile"


@given(st.text())
def test_any_message_and_path_round_trip(text):
    report = sample_report()
    f = report.findings[0]
    odd = f.__class__(message=text, span=f.span, rule_id="X1", path="a," + text, severity=f.severity)
    line = github.annotation(odd, title=text, path="a," + text)
    assert "\n" not in line and "\r" not in line
    _, props, message = parse(line)
    # printable text round-trips; control characters and bytes that were not UTF-8 arrive as \xNN
    assert message == escape_controls(text, keep_newlines=True)
    assert props["file"] == escape_controls("a," + text) and props["title"] == escape_controls(text)
    assert not any(ord(c) < 0x20 and c not in "\n\t" for c in message + props["file"] + props["title"])


def test_step_summary_is_appended_as_a_markdown_table(tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step output\n", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_SERVER_URL": "https://github.com",
           "GITHUB_REPOSITORY": "acme/models", "GITHUB_SHA": "0123abc"}
    _render(sample_report(), env)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step output\n## dockerlint\n")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == "| Severity | Rule | Location | Message |"
    assert len(rows) == 2 + len(sample_report().findings)  # header, separator, one per finding
    assert ("| error | [ML001](https://github.com/dockerlint/dockerlint/blob/main/docs/rules/ML001.md) "
            "cuda-torch-mismatch | [gpu image/Dockerfile.gpu:2](https://github.com/acme/models/blob/0123abc/"
            "gpu%20image/Dockerfile.gpu#L2) | torch==2.1.0 (cu121) needs libcudnn8, which no step installs |") in rows
    # HTML and table syntax in messages are neutralised, line breaks kept
    assert "Zoë: 数据 &amp; &lt;co&gt;, 100% odd<br>second line |" in text


def test_step_summary_without_findings(tmp_path):
    summary = tmp_path / "summary.md"
    _render(empty_report(), {"GITHUB_STEP_SUMMARY": str(summary)})
    assert summary.read_text(encoding="utf-8") == "## dockerlint\n\nNo problems found in 3 files.\n\n"


def test_no_summary_file_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _render(sample_report(), {"GITHUB_STEP_SUMMARY": ""})
    assert list(tmp_path.iterdir()) == []


def test_pipe_in_message_does_not_break_the_table():
    report = sample_report()
    f = report.findings[0]
    report.findings[:] = [f.__class__(message="a | b", span=f.span, rule_id="X1", path=MAIN)]
    table = github.step_summary(report, env={})
    assert "| a \\| b |" in table


def test_quiet_prints_annotations_only_but_still_writes_the_summary(tmp_path):
    summary = tmp_path / "summary.md"
    lines = _render(sample_report(quiet=True), {"GITHUB_STEP_SUMMARY": str(summary)})
    assert all(line.startswith("::") for line in lines) and len(lines) == 7
    assert "| Severity |" in summary.read_text(encoding="utf-8")


def test_stdin_findings_are_annotations_without_a_file():
    f = sample_report().findings[0]
    stdin = f.__class__(message="m", span=f.span, rule_id="X1", path="-", severity=f.severity)
    _, props, _ = parse(github.annotation(stdin, "X1", "-"))
    assert "file" not in props and props["line"] == "1"


def test_step_summary_keeps_code_spans_literal_and_escapes_html_elsewhere():
    report = sample_report()
    f = report.findings[0]
    report.findings[:] = [f.__class__(message="pin `python:<version>` & drop <b>x</b>, not `a|b`", span=f.span,
                                      rule_id="X1", path=MAIN)]
    table = github.step_summary(report, env={})
    assert "| pin `python:<version>` &amp; drop &lt;b&gt;x&lt;/b&gt;, not `a\\|b` |" in table
