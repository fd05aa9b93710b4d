"""Edit helpers rules build fixes with (Word.insert_after/insert_before/replace_with, Span.replace),
and CopySpec.context_files."""
from __future__ import annotations

from pathlib import Path

from dockerlint.findings import Edit
from tests.model_helpers import model


def apply(text: str, edit: Edit) -> str:
    return text[:edit.start] + edit.replacement + text[edit.end:]


def first_install(text: str):
    df = model(text)
    return df.source.text, df.installs[0]


def test_insert_after_in_shell_form_exec_form_and_sh_c_element():
    cases = {
        "RUN pip install flask\n": "RUN pip install --no-cache-dir flask\n",
        'RUN ["pip", "install", "flask"]\n': 'RUN ["pip", "install", "--no-cache-dir", "flask"]\n',
        'RUN ["sh", "-c", "pip install flask"]\n': 'RUN ["sh", "-c", "pip install --no-cache-dir flask"]\n',
        "RUN sh -c 'pip install flask'\n": "RUN sh -c 'pip install --no-cache-dir flask'\n",
    }
    for run, fixed in cases.items():
        text, pc = first_install("FROM python\n" + run)
        assert apply(text, pc.verb.insert_after("--no-cache-dir")) == "FROM python\n" + fixed


def test_insert_before_and_several_elements():
    text, pc = first_install('FROM debian\nRUN ["apt-get", "install", "curl"]\n')
    assert apply(text, pc.verb.insert_before("-y", "-q")).endswith('["apt-get", "-y", "-q", "install", "curl"]\n')
    text, pc = first_install("FROM debian\nRUN apt-get install curl\n")
    assert apply(text, pc.verb.insert_after("-y", "--no-install-recommends")).endswith(
        "apt-get install -y --no-install-recommends curl\n")


def test_replace_with_pins_a_package_word():
    text, pc = first_install('FROM debian\nRUN apt-get install -y "curl" git\n')
    assert apply(text, pc.packages[0].word.replace_with("curl=7.88.1-10")).endswith(
        "apt-get install -y curl=7.88.1-10 git\n")
    text, pc = first_install('FROM python\nRUN ["pip", "install", "flask"]\n')
    assert apply(text, pc.packages[0].word.replace_with("flask==3.0.3")).endswith('"install", "flask==3.0.3"]\n')


def test_no_edit_where_it_cannot_be_exact():
    # the sh -c element holds an escape: its words' spans are the whole element
    text, pc = first_install('FROM python\nRUN ["sh", "-c", "pip install \\"flask\\""]\n')
    assert pc.verb.written == "json-inexact" and pc.verb.insert_after("--no-cache-dir") is None
    # an argument that would need quoting inside a quoted script
    text, pc = first_install("FROM python\nRUN sh -c 'pip install flask'\n")
    assert pc.verb.insert_after("a b") is None


def test_span_replace():
    df = model("FROM python:latest\n")
    span = df.stages[0].base_name.span
    assert apply(df.source.text, span.replace("python:3.12")) == "FROM python:3.12\n"


def _context(tmp_path: Path, files: dict[str, str], ignore: str = "") -> str:
    for name, body in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    if ignore:
        (tmp_path / ".dockerignore").write_text(ignore)
    return str(tmp_path)


def test_context_files_of_copy_and_add(tmp_path):
    root = _context(tmp_path, {"app/main.py": "", "app/data/big.bin": "", "app/notes.md": "", "req.txt": "",
                               "setup.py": "", "README.md": ""}, ignore="app/data\n")
    df = model("FROM python\nCOPY req.txt setup.py /src/\nCOPY app /app\nCOPY *.md /docs/\nCOPY . /all\n"
               "COPY --from=builder /x /x\nADD https://example.com/a.tgz /a\nCOPY $UNSET /y\n"
               "COPY --exclude=*.md . /z\n", context_dir=root)
    specs = [i.copy for i in df.stages[0].instructions if i.copy is not None]
    assert [s.context_files() for s in specs[:4]] == [
        ("req.txt", "setup.py"), ("app/main.py", "app/notes.md"), ("README.md",),
        (".dockerignore", "README.md", "app/main.py", "app/notes.md", "req.txt", "setup.py")]  # it is sent too
    assert specs[4].context_files() == () and specs[5].context_files() == ()
    assert specs[6].context_files() is None  # not resolvable: never guessed
    assert specs[7].context_files() is None  # --exclude is not read


def test_context_files_without_a_context_dir():
    df = model("FROM python\nCOPY . /app\n")
    assert df.stages[0].instructions[1].copy.context_files() is None
