"""scripts/github_action.sh (what action.yml runs) in a simulated GitHub Actions job."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from integration_support import BAD, GOOD, REPO, clean_env, dockerlint_command

SCRIPT = REPO / "scripts" / "github_action.sh"


class Job:
    """A workspace plus the files GitHub gives a step (summary, outputs)."""

    def __init__(self, tmp_path: Path):
        self.workspace = tmp_path / "workspace"
        self.workspace.mkdir()
        (self.workspace / ".dockerignore").write_text(".git\n", encoding="utf-8")
        self.summary = tmp_path / "step_summary.md"
        self.outputs = tmp_path / "github_output"
        self.runner_temp = tmp_path / "runner_temp"
        self.runner_temp.mkdir()
        self.dockerlint = dockerlint_command(tmp_path)

    def write(self, name: str, text: str) -> None:
        path = self.workspace / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def run(self, **inputs: str) -> subprocess.CompletedProcess:
        env = clean_env(
            DOCKERLINT=self.dockerlint, GITHUB_WORKSPACE=str(self.workspace),
            GITHUB_STEP_SUMMARY=str(self.summary), GITHUB_OUTPUT=str(self.outputs),
            RUNNER_TEMP=str(self.runner_temp), GITHUB_ACTIONS="true",
            **{f"INPUT_{k.upper()}": v for k, v in inputs.items()},
        )
        return subprocess.run(["bash", str(SCRIPT)], cwd=self.runner_temp, env=env,
                              capture_output=True, text=True, timeout=120)

    def step_outputs(self) -> dict[str, str]:
        lines = self.outputs.read_text(encoding="utf-8").splitlines()
        return dict(line.split("=", 1) for line in lines)


@pytest.fixture
def job(tmp_path) -> Job:
    return Job(tmp_path)


def test_arguments_reach_dockerlint_in_order(tmp_path):
    """Reports to files first, annotations (stdout) last, paths after `--`."""
    job = Job(tmp_path)
    record = tmp_path / "argv"
    stub = tmp_path / "bin" / "dockerlint"
    stub.write_text(f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > "{record}"\nexit 1\n',
                    encoding="utf-8")
    result = job.run(paths="a b", config="cfg.toml", failure_threshold="warning", format="gitlab")
    assert result.returncode == 1
    argv = record.read_text(encoding="utf-8").splitlines()
    assert argv[:3] == ["--format", "json", "--output"] and argv[4:] == [
        "--format", "gitlab", "--output", "dockerlint.json", "--format", "github",
        "--config", "cfg.toml", "--failure-threshold", "warning", "--", "a", "b"]
    assert job.step_outputs() == {"exit-code": "1"}  # the stub wrote no report


def test_action_manifest_runs_the_script_with_every_input():
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert {"paths", "config", "failure-threshold", "format", "verify-build", "version"} <= set(action["inputs"])
    lint = next(step for step in action["runs"]["steps"] if step.get("id") == "lint")
    assert "scripts/github_action.sh" in lint["run"]
    for name in action["inputs"]:
        if name != "version":  # used by the install step
            assert f"INPUT_{name.upper().replace('-', '_')}" in lint["env"], name
    install = next(step for step in action["runs"]["steps"] if step.get("name") == "Install dockerlint")
    assert "INPUT_VERSION" in install["env"]


def test_action_refuses_windows_runners_with_an_annotation():
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    first = action["runs"]["steps"][0]
    assert first["if"] == "runner.os == 'Windows'"
    result = subprocess.run(["bash", "-e", "-c", first["run"]], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stdout.startswith("::error title=dockerlint::") and "Linux and macOS" in result.stdout


def test_findings_become_annotations_summary_and_outputs(job):
    job.write("Dockerfile", BAD)
    result = job.run(paths=".")
    assert result.returncode == 1, result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert any(line.startswith("::warning file=Dockerfile,line=1,") and "title=DL3007" in line
               for line in annotations), result.stdout
    summary = job.summary.read_text(encoding="utf-8")
    assert summary.startswith("## dockerlint\n") and "| Severity | Rule | Location | Message |" in summary
    assert "DL3007" in summary
    outputs = job.step_outputs()
    assert outputs["exit-code"] == "1"
    assert int(outputs["findings"]) == len(annotations)
    assert "report" not in outputs


def test_clean_dockerfile_passes(job):
    job.write("Dockerfile", GOOD)
    result = job.run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert "No problems found in 1 file." in job.summary.read_text(encoding="utf-8")
    assert job.step_outputs() == {"exit-code": "0", "findings": "0", "errors": "0"}


def test_failure_threshold_keeps_annotations_but_passes(job):
    job.write("Dockerfile", BAD)
    result = job.run(**{"failure_threshold": "error"})
    assert result.returncode == 0, result.stderr
    assert "title=DL3007" in result.stdout
    assert job.step_outputs()["exit-code"] == "0"


def test_sarif_report_is_written_for_upload(job):
    job.write("Dockerfile", BAD)
    result = job.run(format="sarif")
    assert result.returncode == 1, result.stderr
    assert job.step_outputs()["report"] == "dockerlint.sarif"
    sarif = json.loads((job.workspace / "dockerlint.sarif").read_text(encoding="utf-8"))
    assert "DL3007" in {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert "title=DL3007" in result.stdout  # annotations as well


def test_custom_report_path(job):
    job.write("Dockerfile", BAD)
    (job.workspace / "reports").mkdir()
    job.run(format="junit", output_file="reports/lint.xml")
    assert (job.workspace / "reports" / "lint.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert job.step_outputs()["report"] == "reports/lint.xml"


def test_paths_one_per_line_may_contain_spaces(job):
    job.write("gpu image/Dockerfile.gpu", BAD)
    job.write("api/Dockerfile", GOOD)
    job.write("ignored/Dockerfile", BAD)
    result = job.run(paths="gpu image/Dockerfile.gpu\n  api  \n")
    assert result.returncode == 1, result.stderr
    assert "file=gpu image/Dockerfile.gpu,line=1" in result.stdout
    assert "ignored/Dockerfile" not in result.stdout


def test_paths_separated_by_spaces(job):
    job.write("a/Dockerfile", BAD)
    job.write("b/Dockerfile", BAD)
    result = job.run(paths="a/Dockerfile b")
    files = {line.split("file=")[1].split(",")[0] for line in result.stdout.splitlines() if "file=" in line}
    assert files == {"a/Dockerfile", "b/Dockerfile"}


def test_unknown_format_fails_with_an_annotation(job):
    job.write("Dockerfile", BAD)
    result = job.run(format="yaml")
    assert result.returncode == 2
    assert result.stdout.startswith("::error title=dockerlint::unknown format 'yaml'")
    assert job.step_outputs() == {"exit-code": "2"}


@pytest.mark.parametrize("name", ["output_file", "format", "config", "failure_threshold"])
def test_an_input_with_a_line_break_cannot_add_lines_to_the_outputs_or_the_log(job, name):
    job.write("Dockerfile", BAD)
    value = {"output_file": "r.json\nreport=/etc/passwd", "format": "json\n::add-mask::x",
             "config": "c.toml\r\n::error::forged", "failure_threshold": "error\nexit-code=0"}[name]
    result = job.run(**{name: value, **({"format": "json"} if name == "output_file" else {})})
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        f"::error title=dockerlint::the {name.replace('_', '-')} input must be a single line"]
    assert job.step_outputs() == {"exit-code": "2"}


def test_globs_in_paths_are_expanded(job):
    job.write("services/a/Dockerfile", BAD)
    job.write("services/b/Dockerfile", BAD)
    job.write("other/Dockerfile", BAD)
    job.write("deep/x/y/app.Dockerfile", BAD)
    result = job.run(paths="services/*/Dockerfile **/*.Dockerfile")
    assert result.returncode == 1, result.stderr
    files = {line.split("file=")[1].split(",")[0] for line in result.stdout.splitlines() if "file=" in line}
    assert files == {"services/a/Dockerfile", "services/b/Dockerfile", "deep/x/y/app.Dockerfile"}


def test_a_glob_that_matches_nothing_fails_with_an_annotation(job):
    job.write("Dockerfile", BAD)
    result = job.run(paths="nowhere/*/Dockerfile")
    assert result.returncode == 2
    assert result.stdout == "::error title=dockerlint::no file matches the paths pattern 'nowhere/*/Dockerfile'\n"


def test_verify_build_with_the_default_paths_verifies_each_dockerfile_found(tmp_path):
    """A stub dockerlint: it lints clean, lists two Dockerfiles for --show-files, and each verify
    prints an annotation and hostile build output on stderr."""
    job = Job(tmp_path)
    log = tmp_path / "calls"
    stub = tmp_path / "bin" / "dockerlint"
    stub.write_text(f"""#!/bin/sh
printf '%s\\n' "$*" >> "{log}"
case "$1" in
  --show-files) printf 'a/Dockerfile\\nb c/Dockerfile\\n' ;;
  verify) last=""; for a in "$@"; do last=$a; done
          echo "::warning file=$last,line=1,title=REPRO-PYC::differs"
          echo "::add-mask::secret-from-a-RUN-step" >&2; echo "  ::error::forged by the build" >&2
          [ "$last" = a/Dockerfile ] && exit 1 || exit 0 ;;
esac
exit 0
""", encoding="utf-8")
    result = job.run(verify_build="true")
    assert result.returncode == 1, result.stdout + result.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[1] == "--show-files -- ."
    assert calls[2:] == ["verify --format github -- a/Dockerfile", "verify --format github -- b c/Dockerfile"]
    # the build output is on stderr between ::stop-commands:: and its token, so the runner ignores it
    token = result.stdout.splitlines()[0].removeprefix("::stop-commands::")
    assert len(token) == 32 and result.stdout.count(f"::{token}::") == 2
    assert "::add-mask::" not in result.stdout and "::add-mask::" in result.stderr
    assert "::warning file=a/Dockerfile,line=1,title=REPRO-PYC::differs" in result.stdout
    assert job.step_outputs()["exit-code"] == "1"


def test_verify_build_error_is_an_annotation(tmp_path):
    job = Job(tmp_path)
    stub = tmp_path / "bin" / "dockerlint"
    stub.write_text("""#!/bin/sh
case "$1" in
  --show-files) echo Dockerfile ;;
  verify) echo "dockerlint: error: cannot connect to the Docker daemon" >&2; exit 2 ;;
esac
exit 0
""", encoding="utf-8")
    result = job.run(verify_build="true")
    assert result.returncode == 2
    assert ("::error title=dockerlint verify::Dockerfile: dockerlint: error: cannot connect to the Docker daemon"
            in result.stdout.splitlines())


def test_missing_path_is_an_error_exit(job):
    result = job.run(paths="does-not-exist/Dockerfile")
    assert result.returncode == 2
    assert job.step_outputs()["exit-code"] == "2"
    assert "does-not-exist" in result.stderr
    (annotation,) = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert annotation.startswith("::error title=dockerlint::dockerlint: error: does-not-exist/Dockerfile")


def _expand(value: str, context: dict[str, str]) -> str:
    """Substitute the ``${{ ... }}`` expressions action.yml uses."""
    import re

    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: context[m.group(1)], value)


def test_action_installs_dockerlint_and_lints(tmp_path):
    """Both steps of action.yml as the runner would run them: a fresh venv, this
    checkout installed into it (the action's own copy), then the lint step."""
    action_dir = tmp_path / "action"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (REPO / name).is_file():
            (action_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (action_dir / name).write_bytes((REPO / name).read_bytes())
    job = Job(tmp_path)
    job.write("services/api/Dockerfile", BAD)
    inputs = {"paths": ".", "config": "", "failure-threshold": "", "format": "sarif", "output-file": "",
              "verify-build": "false", "version": ""}
    context = {"runner.temp": str(job.runner_temp), **{f"inputs.{k}": v for k, v in inputs.items()}}
    env = clean_env(GITHUB_ACTION_PATH=str(action_dir), RUNNER_TEMP=str(job.runner_temp),
                    GITHUB_WORKSPACE=str(job.workspace), GITHUB_STEP_SUMMARY=str(job.summary),
                    GITHUB_OUTPUT=str(job.outputs))
    action = yaml.safe_load((action_dir / "action.yml").read_text(encoding="utf-8"))
    results = []
    for step in action["runs"]["steps"]:
        if step.get("if") == "runner.os == 'Windows'":  # a Linux runner skips it
            continue
        step_env = {**env, **{k: _expand(str(v), context) for k, v in step.get("env", {}).items()}}
        results.append(subprocess.run(["bash", "-e", "-c", step["run"]], cwd=job.workspace, env=step_env,
                                      capture_output=True, text=True, timeout=600))
    install, lint = results
    assert install.returncode == 0, install.stdout + install.stderr
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert "::warning file=services/api/Dockerfile,line=1," in lint.stdout
    assert job.step_outputs()["report"] == "dockerlint.sarif"
    assert json.loads((job.workspace / "dockerlint.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
