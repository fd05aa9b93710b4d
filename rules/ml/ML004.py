"""ML004: a module the copied code imports that no step installs."""
from __future__ import annotations

from collections.abc import Iterator

from dockerlint.findings import Finding, Severity
from dockerlint.model import Dockerfile
from dockerlint.rule import rule
from dockerlint.rules.ml._code import missing_imports


@rule(id="ML004", name="import-not-installed", severity=Severity.WARNING, category="ml",
      on=("FROM",))
def import_not_installed(df: Dockerfile) -> Iterator[Finding]:
    """Install every package your code imports: add the missing one to the pip install (or requirements file).

    Why: the image builds, and the container dies the moment it starts with
    `ModuleNotFoundError: No module named 'sklearn'`. Your laptop had the
    package; the image only has what its Dockerfile installs, plus what the
    base image carries. dockerlint reads your code the way the container runs
    it: from the start command (`CMD ["python", "serve.py"]`, `python -m job`,
    `uvicorn app.main:app`, a start script, `RUN python train.py`) through
    the modules of your own that it imports, and checks every other import
    against the packages the image installs (the pip line, requirements
    files, `pyproject.toml`, `Pipfile`). Import names that differ from the
    package name are known: `import sklearn` needs `scikit-learn`, `cv2`
    needs `opencv-python-headless`, `PIL` needs `Pillow`, `yaml` needs
    `PyYAML`. The finding points at the import in your Python file, and its
    message names the package and where to add it, for example: app/model.py
    6:1 ML004 `sklearn.pipeline` is imported here, but nothing in the image
    installs `scikit-learn` ... add `scikit-learn` to requirements.txt
    (installed on Dockerfile line 7).
    Bad:
        FROM python:3.11-slim
        RUN pip install --no-cache-dir pandas==2.2.2
        CMD ["python", "-c", "import sklearn, pandas; print(sklearn.__version__)"]
    Good:
        FROM python:3.11-slim
        RUN pip install --no-cache-dir pandas==2.2.2 scikit-learn==1.5.1
        CMD ["python", "-c", "import sklearn, pandas; print(sklearn.__version__)"]

    Fix: add the package named in the message to the requirements file (or
    the `pip install` line) it names, with the version you trained and
    tested with (`pip show scikit-learn` on your machine): `scikit-learn==1.5.1`.
    Note that a model pickled with scikit-learn needs it to load even when
    your code never imports it: dockerlint sees imports only.
    Options: none; to accept the findings (a module you know the base image
    brings), put `# dockerlint global ignore=ML004` in the Dockerfile: a
    pragma on a single Dockerfile line never applies to your Python files.

    Note: stays silent when it cannot know: a base image it does not know
    (only minimal images whose full package list is known: python, debian,
    ubuntu, alpine, nvidia/cuda), an install it cannot read (`$PACKAGES`, a
    requirements file it cannot find, `setup.py`, a shell script, conda
    environment files), or a `COPY --from` another image. Not reported:
    the standard library, the project's own modules and packages (any `.py`
    file or package directory in the copied code, `src/` layouts included),
    relative imports, imports inside functions, `try: ... except ImportError`,
    `if TYPE_CHECKING:` and platform/version checks, modules the start command
    never reaches (plugins loaded by name, scripts you run by hand), tests and
    docs, and notebooks unless the image runs Jupyter. Packages a dependency
    certainly brings (pandas brings numpy, torchvision brings torch) count as
    installed, and so do modules named like an installed distribution
    (`argostranslate` from `argos-translate-lt`); when an installed package's
    dependencies are not in the table, common transitive modules (requests,
    markupsafe, tqdm, ...) are not reported either.
    """
    for missing in missing_imports(df):
        yield missing.finding(df)
