"""A report built by hand (no engine): findings over the Dockerfiles in fixtures/report/.

Covers what every format must survive: many files, a file without findings,
a path with a space, non-ASCII text, characters that need escaping
(``% , : < & "`` and a line break), a multi-line span, findings with and
without fixes, every severity.
"""
from __future__ import annotations

from pathlib import Path

from dockerlint.findings import Edit, Finding, Fix, Severity
from dockerlint.report import Report
from dockerlint.rule import rule
from dockerlint.syntax.nodes import Source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "report"
MAIN = "Dockerfile"
GPU = "gpu image/Dockerfile.gpu"
CLEAN = "clean.Dockerfile"


@rule(id="DL3007", name="no-latest-tag", severity=Severity.WARNING, category="reproducibility", fixable=True)
def no_latest_tag(df):
    """Pin the base image to a release tag, not `latest`.

    Why: `latest` moves; next month's rebuild silently gets another OS/Python.

    Bad:
        FROM python:latest
    Good:
        FROM python:3.12.7-slim-bookworm
    """
    return iter(())


@rule(id="DL3008", name="apt-pin", severity=Severity.WARNING, category="reproducibility")
def apt_pin(df):
    """Pin versions in apt-get install."""
    return iter(())


@rule(id="CACHE001", name="copy-before-install", severity=Severity.ERROR, category="performance")
def copy_before_install(df):
    """Install dependencies before copying the source tree.

    Why: `COPY . .` changes on every edit and invalidates the layers after it.
    """
    return iter(())


@rule(id="DL3025", name="json-cmd", severity=Severity.INFO, category="correctness", fixable=True)
def json_cmd(df):
    """Use JSON form for CMD and ENTRYPOINT."""
    return iter(())


@rule(id="ML001", name="cuda-torch-mismatch", severity=Severity.ERROR, category="ml")
def cuda_torch(df):
    """torch wheel built for another CUDA than the base image."""
    return iter(())


@rule(id="STY001", name="label-style", severity=Severity.STYLE, category="style")
def label_style(df):
    """Write one LABEL per line."""
    return iter(())


RULES = {r.id: r for r in (no_latest_tag, apt_pin, copy_before_install, json_cmd, cuda_torch, label_style)}


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _finding(rule_obj, path: str, text: str, needle: str, message: str, *, occurrence: int = 0,
             fix: Fix | None = None, length: int | None = None) -> Finding:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    end = start + (len(needle) if length is None else length)
    return Finding(
        message=message, span=Source(text).span(start, end), rule_id=rule_obj.id,
        rule_name=rule_obj.name, severity=rule_obj.severity, path=path, fix=fix,
        category=rule_obj.category,
    )


def sample_report(**kwargs) -> Report:
    main, gpu = read(MAIN), read(GPU)
    latest = main.index("latest")
    cmd = main.index("python serve.py")
    findings = [
        _finding(no_latest_tag, MAIN, main, "latest", "Base image python uses the moving tag `latest`",
                 fix=Fix("Pin python to 3.12.7-slim-bookworm",
                         (Edit(latest, latest + len("latest"), "3.12.7-slim-bookworm"),))),
        _finding(label_style, MAIN, main, 'maintainer="Zoë Ünal <zoe@example.com>"',
                 'Label "maintainer" of Zoë: 数据 & <co>, 100% odd\nsecond line'),
        _finding(apt_pin, MAIN, main, "curl", "Pin versions in apt-get install: curl"),
        _finding(copy_before_install, MAIN, main, "COPY . /app",
                 "`COPY . /app` before `pip install` re-installs torch on every code edit"),
        _finding(json_cmd, MAIN, main, "CMD python serve.py", "Use JSON form for CMD",
                 fix=Fix("Rewrite CMD in JSON form",
                         (Edit(cmd, cmd + len("python serve.py"), '["python", "serve.py"]'),), safe=False)),
        _finding(apt_pin, GPU, gpu, "python3-pip", "Pin versions in apt-get install: python3-pip"),
        _finding(cuda_torch, GPU, gpu, "apt-get update", "torch==2.1.0 (cu121) needs libcudnn8, which no step installs",
                 length=gpu.index("torch==2.1.0") + len("torch==2.1.0") - gpu.index("apt-get update")),
    ]
    findings.sort(key=lambda f: f.sort_key)
    defaults = dict(
        findings=findings, files=[MAIN, GPU, CLEAN], rules=RULES,
        sources={MAIN: main, GPU: gpu, CLEAN: read(CLEAN)}, tool_version="0.1.0",
    )
    defaults.update(kwargs)
    return Report(**defaults)


def empty_report(**kwargs) -> Report:
    return sample_report(findings=[], **kwargs)
