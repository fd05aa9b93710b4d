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
    package; the image only has what its Dockerfile installs (plus what the
    base image carries). dockerlint starts where the container starts (the
    script or module of CMD/ENTRYPOINT, `uvicorn app.main:app`, a start script,
    `RUN python train.py`), follows the imports through your own modules in
    the code you COPY, and checks every other import against what the image
    installs (requirements files, `pyproject.toml` and `Pipfile` included).
    Import names that differ from the package name are looked up in a table:
    `import sklearn` needs `scikit-learn`, `cv2` needs `opencv-python-headless`,
    `PIL` needs `Pillow`, `yaml` needs `PyYAML`. The finding is reported in your
    Python file, on the import line, and names the install step (or the
    requirements file it installs) to extend.

    Bad:
        FROM python:3.11-slim
        RUN pip install --no-cache-dir pandas==2.2.2
        CMD ["python", "-c", "import sklearn, pandas; print(sklearn.__version__)"]
    Good:
        FROM python:3.11-slim
        RUN pip install --no-cache-dir pandas==2.2.2 scikit-learn==1.5.1
        CMD ["python", "-c", "import sklearn, pandas; print(sklearn.__version__)"]

    Fix: add the package named in the message to the install step it names
    (or to the requirements file that step installs), with the version you
    tested: `scikit-learn==1.5.1`.
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
