"""GitHub annotations within the runner's limits: the right ones first, the others counted and listed."""
from __future__ import annotations

import io
import json
import os
import subprocess

import pytest
from report_sample import RULES
from test_report_github import parse

from dockerlint.findings import Finding, Severity
from dockerlint.report import Report, github
from dockerlint.report.github_event import changed_files
from dockerlint.syntax.nodes import Span

SPAN = Span(0, 4, 1, 1, 1, 5)


def _git(repo, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


@pytest.fixture
def pull_request(tmp_path):
    """A checkout whose pull request changed changed/Dockerfile only, and its event payload."""
    repo = tmp_path / "repo"
    for sub in ("changed", "old"):
        (repo / sub).mkdir(parents=True)
        (repo / sub / "Dockerfile").write_text("FROM x\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    base = _git(repo, "rev-parse", "HEAD")
    (repo / "changed" / "Dockerfile").write_text("FROM y\n")
    _git(repo, "commit", "-qam", "head")
    head = _git(repo, "rev-parse", "HEAD")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "number": 7,
                                 "pull_request": {"base": {"sha": base}, "head": {"sha": head}}}))
    return repo, {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event),
                  "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}


def _findings(spec):
    out = []
    for path, severity, count in spec:
        out += [Finding(message=f"{severity} {n} in {path}", span=SPAN, rule_id="DL3008", rule_name="apt-pin",
                        severity=severity, path=path) for n in range(count)]
    return out


def test_the_pull_request_events_changed_files_come_from_git(pull_request):
    repo, env = pull_request
    assert changed_files(env, str(repo)) == {"changed/Dockerfile"}


def test_a_push_event_lists_its_commits_files(tmp_path):
    event = tmp_path / "push.json"
    event.write_text(json.dumps({"commits": [{"added": ["a/Dockerfile"], "modified": ["b"], "removed": ["c"]},
                                             {"modified": ["d"]}]}))
    assert changed_files({"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(event)}, None) == {
        "a/Dockerfile", "b", "d"}


@pytest.mark.parametrize("payload", ["not json", "[]", '{"pull_request": {"base": {"sha": "HEAD~1"}}}',
                                     '{"pull_request": {"base": {"sha": "' + "a" * 40 + '"}, "head": {"sha": "'
                                     + "b" * 40 + '"}}}'])
def test_an_event_that_says_nothing_usable_prefers_nothing(tmp_path, payload):
    event = tmp_path / "event.json"
    event.write_text(payload)
    assert changed_files({"GITHUB_EVENT_PATH": str(event)}, str(tmp_path)) is None


def test_errors_first_then_changed_files_then_the_rest_within_the_limits(pull_request):
    repo, env = pull_request
    findings = sorted(_findings([
        ("old/Dockerfile", Severity.WARNING, 25), ("old/Dockerfile", Severity.ERROR, 12),
        ("changed/Dockerfile", Severity.WARNING, 25), ("old/Dockerfile", Severity.INFO, 5),
        ("changed/Dockerfile", Severity.STYLE, 10),
    ]), key=lambda f: f.sort_key)
    report = Report(findings=findings, files=["changed/Dockerfile", "old/Dockerfile"], rules=RULES,
                    repo_root=str(repo))
    out = io.StringIO()
    github.render(report, out, env=env)
    lines = out.getvalue().splitlines()
    commands = [parse(line) for line in lines if line.startswith("::")]
    kinds = [c[0] for c in commands]
    assert kinds == ["error"] * 10 + ["warning"] * 10 + ["notice"] * 10
    assert all(c[1]["file"] == "changed/Dockerfile" for c in commands[10:20])  # the changed file's warnings
    assert all(c[1]["file"] == "changed/Dockerfile" for c in commands[20:29])  # and its style findings
    # one notice, the last annotation, counts the others and points to the summary
    overflow = commands[-1]
    assert overflow[1] == {"title": "dockerlint"}
    assert overflow[2].startswith(f"{len(findings) - 29} more findings not shown as annotations")
    assert "job summary" in overflow[2]
    # the log still names every finding, and no line of it is a workflow command
    plain = [line for line in lines if not line.startswith("::")]
    assert len(plain) == len(findings) - 29 + 1  # the others, then the summary line
    assert all(not line.lstrip().startswith("::") for line in plain)
    summary = open(env["GITHUB_STEP_SUMMARY"], encoding="utf-8").read()
    assert sum(line.startswith("| ") for line in summary.splitlines()) == 2 + len(findings)


def test_no_overflow_notice_when_everything_fits(pull_request):
    repo, env = pull_request
    report = Report(findings=_findings([("old/Dockerfile", Severity.WARNING, 10),
                                        ("old/Dockerfile", Severity.INFO, 10)]),
                    files=["old/Dockerfile"], rules=RULES, repo_root=str(repo))
    out = io.StringIO()
    github.render(report, out, env=env)
    assert out.getvalue().count("\n::") + 1 == 20 and "not shown" not in out.getvalue()


def test_a_hostile_message_in_the_log_lines_cannot_start_a_command():
    findings = _findings([("a", Severity.WARNING, 11)])
    findings.append(Finding(message="x\n::add-mask::secret\r\n::stop-commands::t", span=SPAN, rule_id="X1",
                            severity=Severity.WARNING, path="::error file=x::y\n::warning::z"))
    out = io.StringIO()
    github.render(Report(findings=findings, files=["a"], rules=RULES), out, env={})
    for line in out.getvalue().splitlines():
        if line.startswith("::"):
            parse(line)  # a well-formed annotation of ours
        else:
            assert "::" not in line.split(":", 1)[0] and not line.lstrip().startswith("::")


def test_the_verify_summary_has_the_verdict_and_the_layer_table():
    extra = {"verify": {"verdict": "not reproducible", "layers": [
        {"index": 0, "index_b": 0, "line": 3, "instruction": "RUN pip install -r req.txt | tee `log`",
         "status": "differs", "entries_differing": 12, "causes": ["REPRO-PYC", "REPRO-MTIME"]}]}}
    report = Report(findings=[], files=["Dockerfile"], rules=RULES, extra=extra)
    text = github.step_summary(report, env={})
    assert text.startswith("## dockerlint verify `Dockerfile`\n")
    assert "**Verdict: not reproducible**" in text
    assert "| 0 | 3 | `` RUN pip install -r req.txt \\| tee `log` `` | differs | 12 | REPRO-PYC, REPRO-MTIME |" in text
