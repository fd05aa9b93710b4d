"""Dependency manifests of the context, what each COPY sends, and which manifest an install reads."""
from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from dockerlint.context.manifests import parse_manifest
from dockerlint.model import load


def lay_out(root, files):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, int):
            with open(path, "wb") as fh:
                fh.truncate(text)
        else:
            path.write_text(textwrap.dedent(text))


def model(root, dockerfile):
    (root / "Dockerfile").write_text(textwrap.dedent(dockerfile))
    return load((root / "Dockerfile").read_text(), path=str(root / "Dockerfile"), context_dir=str(root))


def pins(manifest):
    return [(e.line, e.name, e.pin) for e in manifest.entries]


def test_requirements_file_as_pip_reads_it():
    m = parse_manifest("requirements.txt", textwrap.dedent("""\
        # comment
        flask==3.0.3
        numpy>=1.26  # inline comment
        -r requirements/base.txt
        --constraint constraints.txt
        torch
        -e ./libs/core
        git+https://github.com/a/b@v1.2#egg=b
        git+https://github.com/a/c#egg=c
        requests==2.32.3 \\
            --hash=sha256:aaa
        pandas==2.*
        ${PRIVATE_PKG}
        scipy ; python_version < "3.12"
        name @ https://example.com/name-1.0.tar.gz
        --index-url https://pypi.org/simple
        """))
    assert pins(m) == [
        (2, "flask", "exact"), (3, "numpy", "range"), (6, "torch", "unpinned"), (7, None, "local"),
        (8, "b", "vcs"), (9, "c", "unpinned"), (10, "requests", "exact"), (12, "pandas", "range"),
        (13, None, "unknown"), (14, "scipy", "unpinned"), (15, "name", "url"),
    ]
    assert m.includes == ("requirements/base.txt",) and m.constraints == ("constraints.txt",)
    assert [e.text for e in m.entries if e.editable] == ["./libs/core"]
    assert m.entries[6].hashes == ("sha256:aaa",) and m.require_hashes
    assert m.entries[9].marker == 'python_version < "3.12"'


def test_includes_resolve_against_the_including_file_and_never_leave_the_context():
    m = parse_manifest("requirements/prod.txt", "-r base.txt\n-r ../../outside.txt\n-r https://x/y.txt\n")
    assert m.includes == ("requirements/base.txt", None, None)


def test_pyproject_pep621_groups_poetry_and_uv():
    m = parse_manifest("pyproject.toml", textwrap.dedent("""\
        [build-system]
        build-backend = "poetry.core.masonry.api"
        [project]
        name = "app"
        dependencies = [
          "fastapi>=0.110",
          "torch==2.3.1",
        ]
        [project.optional-dependencies]
        gpu = ["nvidia-cudnn-cu12"]
        [dependency-groups]
        dev = ["pytest", {include-group = "lint"}]
        lint = ["ruff==0.6.0"]
        [tool.poetry.dependencies]
        python = "^3.11"
        pandas = "^2.2"
        numpy = "1.26.4"
        mylib = {git = "https://github.com/a/mylib.git"}
        [tool.poetry.group.test.dependencies]
        hypothesis = "*"
        """))
    got = [(e.line, e.name, e.pin, e.group) for e in m.entries]
    assert got == [
        (6, "fastapi", "range", None), (7, "torch", "exact", None), (10, "nvidia-cudnn-cu12", "unpinned", "gpu"),
        (12, "pytest", "unpinned", "dev"), (13, "ruff", "exact", "lint"), (16, "pandas", "range", None),
        (17, "numpy", "exact", None), (18, "mylib", "unpinned", None), (20, "hypothesis", "unpinned", "test"),
    ]
    assert m.tool == "poetry"
    assert "pytest" not in m.packages and "torch" in m.packages


def test_lock_files_list_what_they_pin():
    uv = parse_manifest("uv.lock", 'version = 1\n[[package]]\nname = "Torch"\n[[package]]\nname = "numpy"\n')
    assert uv.lock and uv.packages == ("numpy", "torch")
    pipfile = parse_manifest("Pipfile.lock", '{"default": {"flask": {}}, "develop": {"pytest": {}}}')
    assert pipfile.packages == ("flask", "pytest")
    npm = parse_manifest("package-lock.json", '{"packages": {"": {}, "node_modules/left-pad": {}}}')
    assert npm.packages == ("left-pad",)


def test_conda_environment_with_a_pip_section():
    m = parse_manifest("environment.yml", textwrap.dedent("""\
        name: ds
        channels: [conda-forge]
        dependencies:
          - python=3.11
          - numpy==1.26.4
          - pytorch::pytorch
          - pip
          - pip:
            - transformers==4.41.0
            - -r requirements.txt
        """))
    assert [(e.line, e.name, e.pin, e.ecosystem) for e in m.entries] == [
        (4, "python", "range", "conda"), (5, "numpy", "exact", "conda"), (6, "pytorch", "unpinned", "conda"),
        (7, "pip", "unpinned", "conda"), (9, "transformers", "exact", "pypi"),
    ]
    assert m.includes == ("requirements.txt",)


def test_package_json():
    m = parse_manifest("package.json", '{\n  "dependencies": {\n    "express": "^4.19.2",\n    "left-pad": "1.3.0"\n'
                                       '  },\n  "devDependencies": {\n    "jest": "latest"\n  }\n}\n')
    assert [(e.line, e.name, e.pin, e.group) for e in m.entries] == [
        (3, "express", "range", None), (4, "left-pad", "exact", None), (7, "jest", "unpinned", "dev")]


def test_malformed_manifests_are_facts_not_crashes():
    for path, text in (("pyproject.toml", "[project\n"), ("package.json", "{"), ("environment.yml", "a: [\n"),
                       ("uv.lock", "= = ="), ("Pipfile.lock", "[]")):
        m = parse_manifest(path, text)
        assert m is not None and m.errors and m.errors[0][1].startswith(f"cannot read {path}")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc=<>.*#-r \\\n;@:/${}[]0123")), max_size=200))
def test_any_requirements_text_parses_with_lines_inside_the_file(text):
    m = parse_manifest("requirements.txt", text)
    lines = max(len(text.splitlines()), 1)
    assert all(1 <= e.line <= lines for e in m.entries)
    assert all(e.pin in ("exact", "range", "unpinned", "local", "url", "vcs", "unknown") for e in m.entries)


def test_what_each_copy_sends_and_where_it_lands(tmp_path):
    lay_out(tmp_path, {"requirements.txt": "flask\n", "src/app.py": "x\n", "src/util/io.py": "y\n",
                       "data/train.csv": 5_000_000, "notebooks/a.ipynb": "{}", ".dockerignore": "notebooks\n"})
    df = model(tmp_path, """\
        FROM python:3.11
        WORKDIR /app
        COPY requirements.txt .
        COPY src/ ./src
        COPY src/*.py data /opt/
        COPY --exclude=**/*.csv . /all
        COPY --from=builder /x /y
        COPY missing.txt .
        """)
    ctx = df.context
    copies = [i for i in df.instructions if i.keyword == "COPY"]
    sent = [ctx.sent(i) for i in copies]
    assert sent[0].files == ("requirements.txt",) and sent[0].image_path("requirements.txt") == "/app/requirements.txt"
    assert sent[1].image_path("src/util/io.py") == "/app/src/util/io.py"
    assert sent[2].files == ("data/train.csv", "src/app.py") and sent[2].bytes == 5_000_002
    assert sent[2].image_path("src/app.py") == "/opt/app.py" and sent[2].image_path("data/train.csv") == "/opt/train.csv"
    assert "data/train.csv" not in sent[3].files and "notebooks/a.ipynb" not in sent[3].files
    assert sent[4] is None
    assert [s.written for s in sent[5].missing] == ["missing.txt"]
    assert ctx.total_bytes == 5_000_000 + 6 + 2 + 2 + len("notebooks\n") + (tmp_path / "Dockerfile").stat().st_size


def test_installs_are_linked_to_the_manifests_they_read(tmp_path):
    lay_out(tmp_path, {
        "requirements/prod.txt": "-r base.txt\ntorch==2.3.1\n", "requirements/base.txt": "numpy==1.26.4\n",
        "pyproject.toml": '[project]\nname = "a"\ndependencies = ["fastapi"]\n',
        "uv.lock": 'version = 1\n[[package]]\nname = "fastapi"\n', "environment.yml": "dependencies:\n  - python\n",
    })
    df = model(tmp_path, """\
        FROM python:3.11 AS base
        WORKDIR /srv
        COPY requirements/ /tmp/req/
        RUN pip install -r /tmp/req/prod.txt
        RUN --mount=type=bind,source=uv.lock,target=uv.lock \\
            --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --frozen
        COPY . .
        RUN pip install . && conda env create
        FROM base
        RUN pip install -r requirements/prod.txt -r /etc/base-image.txt
        """)
    ctx = df.context

    def links(line):
        cmds = [c for i in df.walk() if i.line == line for c in i.package_commands]
        return [(m.role, m.path, m.copied_by.line if m.copied_by else None) for c in cmds for m in ctx.installed(c)]

    assert links(4) == [("requirements", "requirements/prod.txt", 3), ("requirements", "requirements/base.txt", 3)]
    assert links(5) == [("project", "pyproject.toml", 5), ("lock", "uv.lock", 5)]
    assert links(8) == [("project", "pyproject.toml", 7), ("environment", "environment.yml", 7)]
    assert links(10) == [("requirements", "requirements/prod.txt", 7), ("requirements", None, None),
                         ("requirements", "requirements/base.txt", 7)]

