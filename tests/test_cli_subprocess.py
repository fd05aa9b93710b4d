"""Real processes: `python -m dockerlint`, a plugin package installed with pip, --jobs, start-up imports."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
TITANIC = ROOT / "fixtures" / "titanic" / "Dockerfile"


def dockerlint(*args, env=None, cwd=None, input=None):
    full_env = {**os.environ, **(env or {})}
    full_env.pop("DOCKERLINT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "dockerlint", *map(str, args)], capture_output=True,
                          text=True, env=full_env, cwd=cwd, input=input, timeout=300)


def test_module_entry_point_lints_and_exits_1_on_findings():
    proc = dockerlint("-f", "gnu", TITANIC)
    assert proc.returncode == 1, proc.stderr
    assert "[DL3007]" in proc.stdout and proc.stderr == ""


@pytest.mark.parametrize("args, message", [
    (["no/such/Dockerfile"], "no/such/Dockerfile: no such file or directory"),
    (["--select", "DL999", str(TITANIC)], "unknown rule 'DL999'"),
    (["--fix", "-"], "--fix/--diff cannot be used with stdin"),
    (["explain", "NOPE"], "unknown rule 'NOPE'"),
])
def test_errors_are_one_line_without_traceback(args, message):
    proc = dockerlint(*args)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and message in proc.stderr and "Traceback" not in proc.stderr


def test_syntax_error_file_is_a_dl1000_finding(tmp_path):
    (tmp_path / "Dockerfile").write_bytes(b"\x7fELF\x00\x00binary\xff\xfe")
    proc = dockerlint("-f", "json", tmp_path / "Dockerfile")
    assert proc.returncode == 1
    assert "DL1000" in proc.stdout


def test_parse_subcommand_prints_the_tree_and_syntax_errors(tmp_path):
    proc = dockerlint("parse", "--format", "buildkit", TITANIC)
    assert proc.returncode == 0 and "from" in proc.stdout.lower()
    proc = dockerlint("parse", TITANIC)
    assert proc.returncode == 0 and json.loads(proc.stdout)
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM alpine\nENV PATH\n")
    proc = dockerlint("parse", bad)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{bad}:2:") and "syntax error" in proc.stderr


def _wheel(source: Path, out_dir: Path) -> Path:
    """Build the plugin's wheel by hand: a wheel is a zip with a dist-info, and this keeps the
    test independent of which setuptools/wheel versions (or package index) the machine has."""
    import base64
    import hashlib
    import zipfile

    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")

    meta = tomllib.loads((source / "pyproject.toml").read_text())["project"]
    name, version = meta["name"].replace("-", "_"), meta["version"]
    entry_points = "".join(f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items())
                           for group, eps in meta["entry-points"].items())
    dist = f"{name}-{version}.dist-info"
    files = {p.relative_to(source / "src").as_posix(): p.read_bytes()
             for p in sorted((source / "src").rglob("*.py"))}
    files[f"{dist}/METADATA"] = f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {version}\n".encode()
    files[f"{dist}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{dist}/entry_points.txt"] = entry_points.encode()
    record = "".join(
        f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},"
        f"{len(data)}\n" for path, data in files.items()) + f"{dist}/RECORD,,\n"
    files[f"{dist}/RECORD"] = record.encode()
    wheel = out_dir / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for path, data in files.items():
            zf.writestr(path, data)
    return wheel


def _install_plugin(tmp_path: Path) -> Path:
    wheel = _wheel(ROOT / "fixtures" / "plugin", tmp_path)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--disable-pip-version-check", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    assert (target / "dockerlint_example_plugin" / "no_add.py").is_file()
    return target


def test_a_pip_installed_plugin_contributes_rules_and_findings(tmp_path):
    site = _install_plugin(tmp_path)
    env = {"PYTHONPATH": str(site)}
    listed = dockerlint("rules", "--format", "json", env=env)
    ids = {r["id"] for r in json.loads(listed.stdout)}
    assert {"EX001", "EX002", "DL3007"} <= ids
    (tmp_path / "Dockerfile").write_text("from alpine:3.20\nADD app.py /app/\n")
    proc = dockerlint("-f", "gnu", "-t", "style", tmp_path / "Dockerfile", env=env)
    assert proc.returncode == 1, proc.stderr
    assert "[EX001]" in proc.stdout and "[EX002]" in proc.stdout
    proc = dockerlint("--fix", "--select", "EX001", tmp_path / "Dockerfile", env=env)
    assert (tmp_path / "Dockerfile").read_text() == "FROM alpine:3.20\nADD app.py /app/\n"
    without = dockerlint("-f", "gnu", tmp_path / "Dockerfile")
    assert "EX00" not in without.stdout


def test_a_broken_plugin_is_one_clear_error(tmp_path):
    dist = tmp_path / "site" / "broken_rules-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-rules\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[dockerlint.rules]\nbroken = broken_rules_missing_module\n")
    proc = dockerlint(TITANIC, env={"PYTHONPATH": str(tmp_path / "site")})
    assert proc.returncode == 2
    assert "plugin 'broken' (broken_rules_missing_module) failed to load: ModuleNotFoundError" in proc.stderr
    assert proc.stderr.count("\n") == 1


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_jobs_give_the_same_report_as_one_process():
    files = sorted(p for p in CORPUS.iterdir() if p.is_file() and p.suffix != ".tsv")[:80]
    one = dockerlint("-f", "json", "-j", "1", "--ignore", "DL3042", *files)
    two = dockerlint("-f", "json", "-j", "2", "--ignore", "DL3042", *files)
    assert one.returncode == two.returncode and one.returncode in (0, 1), one.stderr
    assert one.stdout == two.stdout
    findings = json.loads(two.stdout)["findings"]
    assert findings and not any(f["rule"] == "DL3042" for f in findings)  # options reach the workers


def test_linting_one_file_imports_no_heavy_module():
    code = ("import sys; from dockerlint.cli import main; main(['-f', 'gnu', %r]); "
            "print(sorted(m for m in ('pydantic', 'rich', 'docker', 'jsonschema', 'yaml') if m in sys.modules),"
            " file=sys.stderr)" % str(TITANIC))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert proc.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("args", [[str(TITANIC)], ["rules"], ["explain", "DL3007"], ["parse", str(TITANIC)],
                                  ["--diff", str(TITANIC)]])
def test_closed_stdout_is_one_clear_error(args):
    proc = subprocess.run([sys.executable, "-m", "dockerlint", *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, timeout=60,
                          preexec_fn=lambda: os.close(1))
    assert proc.returncode == 2
    assert proc.stderr == "dockerlint: error: standard output is closed\n"


def test_closed_stdin_is_one_clear_error():
    proc = subprocess.run([sys.executable, "-m", "dockerlint", "-"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60, preexec_fn=lambda: os.close(0))
    assert proc.returncode == 2
    assert proc.stderr == "dockerlint: error: standard input is closed\n"


def test_plain_paths_run_without_click_and_match_the_check_command(tmp_path):
    code = ("import sys; from dockerlint.cli import main; code = main([%r]); "
            "print(code, 'click' in sys.modules, file=sys.stderr)" % str(TITANIC))
    fast = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert fast.stderr.strip().splitlines()[-1] == "1 False"
    parsed = dockerlint("check", TITANIC, cwd="/")
    assert parsed.returncode == 1 and fast.stdout == parsed.stdout and "DL3007" in fast.stdout


HOSTILE_PLUGIN = '''
import os, sys, time
from dockerlint.findings import Finding, Severity
from dockerlint.rule import rule


def _wants(df, word):
    return any(word in i.syntax.rest for i in df.instructions if i.keyword == "LABEL")


@rule(id="EVIL001", name="evil-exit", severity=Severity.WARNING, category="correctness")
def evil_exit(df):
    """Exits."""
    if _wants(df, "sys-exit"):
        sys.exit(3)
    if _wants(df, "os-exit"):
        os._exit(7)
    if _wants(df, "hang"):
        while True:
            time.sleep(0.01)
    if _wants(df, "unpicklable"):
        f = Finding(message="cannot travel", span=df.instructions[0].span)
        f.extra["callback"] = lambda: None
        yield f
    if _wants(df, "raise"):
        raise RuntimeError("boom")
    yield from ()
'''


def _hostile_plugin(tmp_path: Path) -> dict:
    site = tmp_path / "site"
    dist = site / "evil_rules-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: evil-rules\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[dockerlint.rules]\nevil = evil_rules\n")
    (site / "evil_rules.py").write_text(HOSTILE_PLUGIN)
    return {"PYTHONPATH": str(site), "DOCKERLINT_RULE_SECONDS": "2"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_plugin_rule_that_exits_raises_or_hangs_is_one_dlint001_finding(tmp_path, jobs):
    env = _hostile_plugin(tmp_path)
    files = []
    for i, what in enumerate(["fine", "sys-exit", "raise", "hang", "unpicklable", "fine"]):
        f = tmp_path / f"{i}.Dockerfile"
        f.write_text(f"FROM alpine:3.20\nLABEL x={what}\nCMD [\"true\"]\n")
        files.append(f)
    proc = dockerlint("-f", "json", "--select", "EVIL001,DL3007", "-j", jobs, *files, env=env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    report = json.loads(proc.stdout)
    assert report["files"] == [str(f) for f in files]  # every file's result is there
    by_file = {}
    for f in report["findings"]:
        by_file.setdefault(Path(f["file"]).name, []).append((f["rule"], f["message"]))
    assert "0.Dockerfile" not in by_file and "5.Dockerfile" not in by_file
    assert by_file["1.Dockerfile"] == [("DLINT001", "rule EVIL001 (evil-exit) crashed: SystemExit: 3")]
    assert by_file["2.Dockerfile"] == [("DLINT001", "rule EVIL001 (evil-exit) crashed: RuntimeError: boom")]
    assert by_file["3.Dockerfile"][0][0] == "DLINT001" and "took more than 2 s" in by_file["3.Dockerfile"][0][1]
    if jobs == "2":  # only a worker must send its findings back
        assert by_file["4.Dockerfile"][0][0] == "DLINT001" and "cannot be sent back" in by_file["4.Dockerfile"][0][1]
    else:
        assert by_file["4.Dockerfile"] == [("EVIL001", "cannot travel")]


def test_a_plugin_rule_calling_os_exit_in_a_worker_loses_no_other_file(tmp_path):
    env = _hostile_plugin(tmp_path)
    files = []
    for i in range(8):
        f = tmp_path / f"{i}.Dockerfile"
        f.write_text(f"FROM alpine:latest\nLABEL x={'os-exit' if i == 3 else 'fine'}\n")
        files.append(f)
    proc = dockerlint("-f", "json", "--select", "EVIL001,DL3007", "-j", "2", *files, env=env)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert sorted(Path(f["file"]).name for f in findings if f["rule"] == "DL3007") == \
        [f"{i}.Dockerfile" for i in range(8) if i != 3]
    dead = [f for f in findings if f["rule"] == "DLINT001"]
    assert [Path(f["file"]).name for f in dead] == ["3.Dockerfile"] and "worker process" in dead[0]["message"]
