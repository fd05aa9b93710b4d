"""The ML rules on the small apps of fixtures/contexts/ml-*: what a user sees from the CLI.

Each app is a real build context (code, requirements, Dockerfile) with the
breakage its Dockerfile comments describe, and a ``Dockerfile.fixed`` that
builds and runs: the broken one must give exactly the findings below (rule,
line, the text the user reads) and exit 1, the fixed one nothing and exit 0.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import run_cli

CONTEXTS = Path(__file__).resolve().parent.parent / "fixtures" / "contexts"

EXPECTED = {
    "ml-titanic-fastapi": [
        ("ML004", 6, "`sklearn.pipeline` is imported here, but nothing in the image installs `scikit-learn`: "
                     "the program fails with `ModuleNotFoundError: No module named 'sklearn'`; add `scikit-learn` to "
                     "requirements.txt (installed on Dockerfile line 7)"),
        ("ML009", 8, "`models/titanic.joblib` is loaded here, but the image has no /srv/models/titanic.joblib "
                     "(`.dockerignore` leaves `models/titanic.joblib` out of the build context): the container fails "
                     "at start with `FileNotFoundError: [Errno 2] No such file or directory: 'models/titanic.joblib'`"),
    ],
    "ml-opencv-service": [
        ("ML001", 6, "requirements.txt:4 lists `opencv-python` needs libGL.so.1 and libgthread-2.0.so.0, which "
                     "python:3.12-slim does not have and no step installs: `import cv2` fails with `ImportError: "
                     "libGL.so.1: cannot open shared object file: No such file or directory`; add `RUN apt-get update "
                     "&& apt-get install -y --no-install-recommends libgl1 libglib2.0-0t64"),
    ],
    "ml-lightgbm-batch": [
        ("ML001", 6, "requirements.txt:1 lists `lightgbm` needs libgomp.so.1"),
        ("ML007", 6, "requirements.txt:4 lists `sklearn`, not the package you mean"),
    ],
    "ml-cuda-training": [
        ("ML004", 5, "`wandb` is imported here"),
        ("ML005", 7, "`torch==2.4.1` is the CPU-only build"),
        ("ML006", 8, "`flash-attn==2.6.3` compiles CUDA code when installed, but "
                     "nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04 has the CUDA libraries but no nvcc"),
        ("ML008", 12, "CMD runs `jupyter lab`, but no step installs it"),
    ],
}


def _run(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    """(exit code, stdout) of ``dockerlint ARGS`` run in ``cwd``."""
    return run_cli(*args, cwd=cwd)[:2]


def _lint(app: str, dockerfile: str) -> tuple[int, list[dict]]:
    code, output = _run("--select", "ML", "-f", "json", dockerfile, cwd=CONTEXTS / app)
    return code, json.loads(output)["findings"]


@pytest.mark.parametrize("app", sorted(EXPECTED))
def test_the_broken_app_gets_its_findings(app):
    code, findings = _lint(app, "Dockerfile")
    got = sorted((f["rule"], f["line"]) for f in findings)
    assert got == sorted((rule, line) for rule, line, _ in EXPECTED[app]), [f["message"] for f in findings]
    for rule, line, text in EXPECTED[app]:
        assert any(text in f["message"] for f in findings if (f["rule"], f["line"]) == (rule, line)), \
            (text, [f["message"] for f in findings])
    assert code == 1


@pytest.mark.parametrize("app", sorted(EXPECTED))
def test_the_fixed_app_is_clean(app):
    code, findings = _lint(app, "Dockerfile.fixed")
    assert findings == [] and code == 0, [f["message"] for f in findings]


def test_explain_ml004_reads_for_a_data_scientist():
    code, text = _run("explain", "ML004")
    assert code == 0
    assert "ModuleNotFoundError: No module named 'sklearn'" in text
    assert "scikit-learn" in text and "opencv-python-headless" in text
    assert "try: ... except ImportError" in text


def _titanic(*args: str) -> tuple[int, str]:
    return _run("--select", "ML004", *args, "Dockerfile", cwd=CONTEXTS / "ml-titanic-fastapi")


def test_ml004_points_at_the_import_in_json():
    _code, output = _titanic("-f", "json")
    (finding,) = json.loads(output)["findings"]
    assert finding["rule"] == "ML004"
    assert (finding["file"], finding["line"], finding["column"]) == ("app/model.py", 6, 1)


def test_ml004_tty_quotes_the_import_line():
    _code, output = _titanic("-f", "tty", "--no-color")
    assert output.startswith("app/model.py\n  6:1  warning  ML004  `sklearn.pipeline` is imported here")
    assert "from sklearn.pipeline import" in output  # the code frame is the .py line, not the Dockerfile's
    assert "^^^" in output


def test_ml004_sarif_locates_the_python_file():
    _code, output = _titanic("-f", "sarif")
    (result,) = json.loads(output)["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("app/model.py")
    assert location["region"]["startLine"] == 6
    assert location["region"]["snippet"]["text"] == "from sklearn.pipeline import Pipeline"


def test_ml004_github_annotation_names_the_python_file():
    _code, output = _titanic("-f", "github")
    line = next(x for x in output.splitlines() if x.startswith("::"))
    assert "/ml-titanic-fastapi/app/model.py,line=6,endLine=6,col=1," in line  # relative to the repository root


def test_a_dockerfile_pragma_does_not_hide_a_finding_in_the_code():
    root = CONTEXTS / "ml-titanic-fastapi"
    text = (root / "Dockerfile").read_text()
    lines = text.splitlines()
    lines.insert(4, "# dockerlint ignore=ML004")  # line 5: the line above line 6 of app/model.py, not of the Dockerfile
    from dockerlint.engine import lint_text

    findings = lint_text("\n".join(lines) + "\n", path=str(root / "Dockerfile"), context=str(root), select=["ML004"])
    assert [(f.path.rsplit("/", 1)[-1], f.span.line) for f in findings] == [("model.py", 6)]


def test_a_global_pragma_accepts_the_finding_in_the_code():
    root = CONTEXTS / "ml-titanic-fastapi"
    text = "# dockerlint global ignore=ML004\n" + (root / "Dockerfile").read_text()
    from dockerlint.engine import lint_text

    assert lint_text(text, path=str(root / "Dockerfile"), context=str(root), select=["ML004"]) == []


def test_explain_ml009_reads_for_a_data_scientist():
    code, text = _run("explain", "ML009")
    assert code == 0
    assert "FileNotFoundError: [Errno 2] No such file or directory: 'models/model.pkl'" in text
    assert "ERROR: Could not open requirements file" in text
    assert "VOLUME /app/models" in text  # how to say "I mount it at run time"
