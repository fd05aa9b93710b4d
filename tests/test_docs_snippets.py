"""Every command and config example in the README and docs/ runs as written.

Each fenced block is taken from the Markdown and used unchanged: TOML configs
are the config file of a real run, Dockerfiles are linted, Python runs, YAML
parses into what its consumer needs, and shell blocks run (in a scratch copy
where they would write files). A block that is not run says why in
``NOT_RUN``; a new block that no test knows fails ``test_every_block_is_covered``.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)
BIN = str(Path(sys.executable).parent)


def blocks(lang: str) -> list[tuple[str, str]]:
    """(``file:line``, text) of every block fenced with ``lang``."""
    out = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            if m.group(1) == lang:
                out.append((f"{doc.relative_to(REPO)}:{text.count(chr(10), 0, m.start()) + 1}", m.group(2)))
    return out


def by_content(lang: str, marker: str) -> str:
    (found,) = [text for _, text in blocks(lang) if marker in text]
    return found


def ids(items):
    return [where for where, _ in items]


def dockerlint(*args, cwd, env=None, input=None):
    return subprocess.run([sys.executable, "-m", "dockerlint", *args], cwd=cwd, capture_output=True, text=True,
                          input=input, timeout=120, env={**os.environ, **(env or {})})


# Shell blocks not run here, and why. The keys are the first line of the block.
NOT_RUN = {
    "bash scripts/test.sh": "the suite itself (CI runs it)",
    "pip install -e .            # the tool": "installs into the running environment; test.sh runs the same",
}


@pytest.mark.parametrize("where, text", blocks("toml"), ids=ids(blocks("toml")))
def test_toml_examples_are_valid_configs(where, text, tmp_path):
    import tomllib

    data = tomllib.loads(text)
    if "tool" not in data:  # a packaging snippet (the plugin entry point): valid TOML is all it claims
        assert data.get("project", {}).get("entry-points", {}).get("dockerlint.rules")
        return
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    # the example sets target = "runtime": the Dockerfile it applies to has that stage
    (tmp_path / "Dockerfile").write_text("FROM python:3.12.7-slim AS runtime\n", encoding="utf-8")
    result = dockerlint("Dockerfile", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    settings = dockerlint("--show-settings", "Dockerfile", cwd=tmp_path)
    assert f"config: {tmp_path / 'pyproject.toml'}" in settings.stdout, settings.stderr


@pytest.mark.parametrize("where, text", blocks("dockerfile"), ids=ids(blocks("dockerfile")))
def test_dockerfile_examples_parse_and_lint(where, text, tmp_path):
    (tmp_path / "Dockerfile").write_text(text, encoding="utf-8")
    result = dockerlint("-f", "json", "--extend-select", "DLINT002", "Dockerfile", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    import json

    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert "DL1000" not in rules  # not a syntax error


@pytest.mark.parametrize("where, text", blocks("python"), ids=ids(blocks("python")))
def test_python_examples_run(where, text, tmp_path):
    dockerfile = "FROM python:latest\nRUN pip install flask\n"
    (tmp_path / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    (tmp_path / "services" / "api").mkdir(parents=True)
    (tmp_path / "services" / "api" / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", text], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    if "lint_path(" in text:  # the README's API example prints the findings of services/
        assert "services/api/Dockerfile 1 13 DL3007 warning" in result.stdout


def test_the_pre_commit_example_is_a_valid_config(tmp_path):
    text = by_content("yaml", ".pre-commit-config.yaml")
    (tmp_path / ".pre-commit-config.yaml").write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                   cwd=tmp_path, check=True, capture_output=True, timeout=60)
    (repo,) = yaml.safe_load(text)["repos"]
    hook_ids = {h["id"] for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert {h["id"] for h in repo["hooks"]} <= hook_ids


def test_the_workflow_example_uses_the_action_as_declared():
    workflow = yaml.safe_load(by_content("yaml", "upload-sarif"))
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"  # upload-sarif's requirement
    steps = job["steps"]
    ours = next(s for s in steps if s["uses"].startswith("dockerlint/dockerlint@"))
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert set(ours["with"]) <= set(action["inputs"])
    upload = next(s for s in steps if s["uses"].startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "dockerlint.sarif"  # what format: sarif writes by default


def test_the_first_example_prints_what_the_readme_shows():
    """``python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/dockerlint …`` in this checkout
    (its .venv is the test's own): the output is the block under it, byte for byte."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    command = by_content("sh", "python3 -m venv .venv")
    shown = text[text.index(command) + len(command):].split("```\n", 3)[2]  # the block under it
    if Path(sys.prefix).resolve() != (REPO / ".venv").resolve():
        pytest.skip("runs in the checkout's own .venv (as scripts/test.sh makes it)")
    result = subprocess.run(["bash", "-c", command], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stderr  # findings
    assert result.stdout == shown


def test_the_adoption_walkthrough_runs_in_a_legacy_repository(tmp_path):
    commands = [line for line in by_content("sh", "dockerlint --add-ignore .").splitlines() if line.strip()]
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM python:latest\nRUN pip install flask\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}
    codes = [subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120).returncode for line in commands]
    assert codes == [0, 1, 1, 0, 0]  # the last run is clean
    assert "# dockerlint ignore=DL3007 added by dockerlint --add-ignore" in (tmp_path / "app" / "Dockerfile").read_text()


@pytest.mark.parametrize("where, text", [b for b in blocks("sh") if "docker import" in b[1]],
                         ids=ids([b for b in blocks("sh") if "docker import" in b[1]]))
def test_the_base_image_recipe_leaves_the_working_tree_alone(where, text, tmp_path):
    """Run as written with a stand-in `docker` that keeps the tar it is given: nothing lands in the
    directory the recipe runs in, and the image holds a busybox."""
    if not Path("/bin/busybox").exists():
        pytest.skip("needs /bin/busybox (.ci/run installs busybox-static)")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    kept = tmp_path / "imported.tar"
    (bin_dir / "docker").write_text(f'#!/bin/sh\n[ "$1" = import ] && cp "$2" "{kept}"\n', encoding="utf-8")
    (bin_dir / "docker").chmod(0o755)
    work = tmp_path / "checkout"
    work.mkdir()
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-e", "-c", text], cwd=work, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert list(work.iterdir()) == []
    with tarfile.open(kept) as tar:
        assert {"./bin/busybox", "./bin/sh"} <= set(tar.getnames())


def test_every_block_is_covered():
    """A new runnable block must get a test above (or a reason in NOT_RUN)."""
    tested = {"toml", "dockerfile", "python", "yaml", "sh", ""}  # "" are outputs and synopses, not commands
    for doc in DOCS:
        for m in FENCE.finditer(doc.read_text(encoding="utf-8")):
            assert m.group(1) in tested, f"{doc.name}: a ```{m.group(1)} block no test runs"
    for where, text in blocks("sh"):
        first = text.splitlines()[0]
        known = ("python3 -m venv .venv" in text or "dockerlint --add-ignore ." in text
                 or "fixtures/contexts/ds-churn-api" in text  # tests/test_context_fixtures.py
                 or "docker import" in text or first in NOT_RUN
                 or first.startswith("dockerlint --ignore DL3008"))  # tests/test_docs_migration.py
        assert known, f"{where}: a shell block no test runs"
    for where, text in blocks("yaml"):
        assert ".pre-commit-config.yaml" in text or "upload-sarif" in text or "# .hadolint.yaml" in text, where
    assert shutil.which("bash")
