"""The install view (dockerlint.model.packages): what each package manager's command line installs."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerlint.model import load
from tests.model_helpers import model

CORPUS = Path("/work/shared/corpus/real")


def installs(text: str, **kw):
    return model(text, **kw).installs


def commands(text: str):
    df = model(text)
    return [p for instr in df.walk() for p in instr.package_commands]


def pins(pc):
    return [(p.name, p.pin, p.version) for p in pc.packages]


# -- apt ---------------------------------------------------------------------------

def test_apt_install_reads_flags_pins_and_cleaned_lists():
    # as in coqui-ai/TTS's Dockerfile
    pcs = commands("FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends "
                   "gcc g++=4:11.2.0-1ubuntu1 python3-* libc6/jammy-updates $EXTRA && rm -rf /var/lib/apt/lists/*\n")
    update, install = pcs
    assert (update.manager, update.action, update.tool) == ("apt", "update", "apt-get")
    assert (install.action, install.assume_yes, install.no_install_recommends) == ("install", True, True)
    assert pins(install) == [("gcc", "unpinned", None), ("g++", "exact", "4:11.2.0-1ubuntu1"),
                             (None, "unknown", None), ("libc6", "range", None), (None, "unknown", None)]
    assert install.packages[-1].text is None  # $EXTRA is not known: never guessed
    assert install.cache.disabled_by == "cleaned" and install.cache.dir == "/var/lib/apt/lists"
    assert install.verb.span.line == 2 and install.ecosystem == "deb"


def test_apt_without_yes_and_with_qq_and_target_release():
    first, second = installs("FROM debian\nRUN apt-get install curl\nRUN apt-get -qq -t bookworm-backports install git\n")
    assert first.assume_yes is False and first.cache.disabled_by is None
    assert second.assume_yes is True  # -qq implies -y (apt-get(8))
    assert [p.text for p in second.packages] == ["git"]  # bookworm-backports is -t's value


@pytest.mark.parametrize("cleanup", [
    "rm -rf /var/lib/apt/lists/*", "rm -rf /var/lib/apt/lists", "rm -rf /var/lib/apt/lists*",
    "apt-get dist-clean", "find /var/cache/apt/archives /var/lib/apt/lists -not -name lock -type f -delete",
])
def test_apt_lists_removed_later_in_the_run(cleanup):
    update = commands(f"FROM debian\nRUN apt-get update && apt-get install -y curl && {cleanup}\n")[0]
    assert (update.action, update.cache.disabled_by) == ("update", "cleaned")


@pytest.mark.parametrize("cleanup", [
    "rm -rf /var/lib/apt/l*", "find /var/lib/apt/lists -name '*.gz'", "find /tmp -delete", "apt-get clean",
])
def test_apt_lists_not_removed(cleanup):
    update = commands(f"FROM debian\nRUN apt-get update && apt-get install -y curl && {cleanup}\n")[0]
    assert update.cache.kept


def test_apt_lists_in_a_cache_mount():
    (pc,) = installs("FROM debian\nRUN --mount=type=cache,target=/var/lib/apt apt-get install -y curl\n")
    assert pc.cache.disabled_by == "mount"


# -- apk, rpm family ----------------------------------------------------------------

def test_apk_pins_virtual_and_no_cache():
    (pc,) = installs("FROM alpine\nRUN apk add --no-cache --virtual .build-deps g++ linux-headers=6.5-r0 'git<2.50' curl~8\n")
    assert (pc.manager, pc.tool, pc.subcommand, pc.cache.disabled_by) == ("apk", "apk", "add", "flag")
    assert pins(pc) == [("g++", "unpinned", None), ("linux-headers", "exact", "6.5-r0"),
                        ("git", "range", None), ("curl", "range", None)]


def test_apk_cache_removed_later_in_the_run():
    (pc,) = installs("FROM alpine\nRUN apk add --update curl && rm -rf /var/cache/apk/*\n")
    assert pc.cache.disabled_by == "cleaned"


def test_microdnf_yum_dnf_zypper():
    text = ("FROM ubi\nRUN microdnf install -y tar gzip mesa-libGL && microdnf clean all\n"
            "RUN yum install python3-devel nginx-1.20.1-1.el9 'kernel-*'\n"
            "RUN dnf -y install --setopt=install_weak_deps=False @development git && dnf clean all\n"
            "RUN zypper --non-interactive in vim=9.0 'curl>=8' && zypper cc -a\n")
    micro, yum, dnf, zypper = installs(text)
    assert (micro.manager, micro.assume_yes, micro.cache.disabled_by) == ("microdnf", True, "cleaned")
    assert (yum.assume_yes, yum.cache.disabled_by) == (False, None)
    assert pins(yum) == [("python3-devel", "unpinned", None), ("nginx", "exact", "1.20.1-1.el9"),
                         (None, "unknown", None)]
    assert dnf.assume_yes and pins(dnf) == [(None, "unknown", None), ("git", "unpinned", None)]
    assert dnf.cache.dir == "/var/cache/dnf" and dnf.cache.disabled_by == "cleaned"
    assert (zypper.manager, zypper.action, zypper.assume_yes) == ("zypper", "install", True)
    assert pins(zypper) == [("vim", "exact", "9.0"), ("curl", "range", None)]
    assert zypper.cache.disabled_by == "cleaned"


def test_microdnf_asks_without_assumeyes():
    # microdnf 3.9+ (and dnf5, which Fedora ships as microdnf) confirms transactions
    quiet, asking = installs("FROM ubi\nRUN microdnf -y install tar && microdnf install gzip\n")
    assert (quiet.assume_yes, asking.assume_yes) == (True, False)


def test_zypper_dist_upgrade_and_rpm_install():
    pcs = commands("FROM suse\nRUN zypper dup -y && rpm -ivh https://x/y.rpm ./local.rpm\n")
    assert [(p.manager, p.action) for p in pcs] == [("zypper", "dist-upgrade"), ("rpm", "install")]
    assert [p.pin for p in pcs[1].packages] == ["url", "local"]


# -- python --------------------------------------------------------------------------

def test_pip_requirements_every_form():
    (pc,) = installs(
        "FROM python\nRUN pip3 install --no-cache-dir -r requirements.txt -i https://idx/simple --trusted-host idx "
        "Torch_Vision==0.18.1 'numpy>=1.26,<2' 'uvicorn[standard]' 'six; python_version<\"3\"' "
        "git+https://github.com/org/repo@v1.2#egg=repo git+https://github.com/org/other "
        "-e . ./wheels/x-1.0-py3-none-any.whl pkg @ https://host/pkg-1.0.tar.gz\n")
    assert (pc.manager, pc.tool, pc.ecosystem, pc.cache.disabled_by) == ("pip", "pip3", "pypi", "flag")
    assert [w.value for w in pc.requirement_files] == ["requirements.txt"]
    assert [w.value for w in pc.index_urls] == ["https://idx/simple"]
    assert [w.value for w in pc.trusted_hosts] == ["idx"]
    by_text = {p.text: p for p in pc.packages}
    assert by_text["Torch_Vision==0.18.1"][2:5] == ("torch-vision", "exact", "0.18.1")
    assert by_text["numpy>=1.26,<2"].pin == "range" and by_text["numpy>=1.26,<2"].specifier == "<2,>=1.26"
    assert by_text["uvicorn[standard]"].extras == ("standard",) and by_text["uvicorn[standard]"].pin == "unpinned"
    assert by_text['six; python_version<"3"'].marker == 'python_version < "3"'
    assert (by_text["git+https://github.com/org/repo@v1.2#egg=repo"].pin,
            by_text["git+https://github.com/org/repo@v1.2#egg=repo"].version) == ("vcs", "v1.2")
    assert by_text["git+https://github.com/org/other"].pin == "unpinned"
    assert by_text["pkg @ https://host/pkg-1.0.tar.gz"].pin == "url"
    assert [p.text for p in pc.local_paths] == [".", "./wheels/x-1.0-py3-none-any.whl"]
    assert [(p.text, p.is_option_value) for p in pc.editables] == [(".", True)]


def test_pip_exclusions_alone_are_no_pin():
    pip = installs("FROM python\nRUN pip install 'torch!=2.0.0' 'numpy!=1.0,<2'\n")[0]
    assert [p.pin for p in pip.packages] == ["unpinned", "range"]


@pytest.mark.parametrize("line", [
    "pip install -c constraints.txt flask",
    "pip install --require-hashes flask",
    "PIP_CONSTRAINT=/c.txt pip install flask",
])
def test_pip_never_calls_a_name_unpinned_when_a_file_may_pin_it(line):
    (pc,) = installs(f"FROM python\nRUN {line}\n")
    assert [p.pin for p in pc.packages] == ["unknown"]


def test_python_dash_m_pip_and_uv_interfaces():
    pcs = commands("FROM python\nRUN python3 -m pip install -U pip && uv pip install --system ruff==0.5.0 "
                   "&& uv add 'httpx>=0.27' && uv sync --frozen && uv tool install black\n")
    assert [(p.manager, p.tool, p.action, p.subcommand) for p in pcs] == [
        ("pip", "pip", "install", "install"), ("uv", "uv", "install", "pip install"),
        ("uv", "uv", "add", "add"), ("uv", "uv", "sync", "sync"), ("uv", "uv", "install", "tool install")]
    assert pins(pcs[1]) == [("ruff", "exact", "0.5.0")]
    assert pcs[3].args.has("frozen")


@pytest.mark.parametrize("text, disabled_by", [
    ("ENV PIP_NO_CACHE_DIR=0\nRUN pip install x", "env"),  # any strtobool value disables
    ("ENV PIP_NO_CACHE_DIR=maybe\nRUN pip install x", None),
    ("RUN export PIP_NO_CACHE_DIR=off && pip install x", "env"),
    ("RUN PIP_NO_CACHE_DIR=1 pip install x", "env"),
    ("RUN --mount=type=cache,target=/root/.cache/pip pip install x", "mount"),
    ("RUN --mount=type=tmpfs,target=/root/.cache pip install x", "tmpfs"),
    ("RUN --mount=type=cache,target=/cache pip install --cache-dir /cache/pip x", "mount"),
    ("RUN --mount=type=cache,target=/other pip install x", None),
    ("RUN pip install x && pip cache purge", "cleaned"),
    ("RUN pip install x && rm -rf /root/.cache/pip", "cleaned"),
    ("ENV UV_NO_CACHE=1\nRUN uv pip install x", "env"),
    ("ENV UV_NO_CACHE=0\nRUN uv pip install x", None),  # uv reads a plain boolean
    ("RUN uv pip install --no-cache x", "flag"),
])
def test_pip_and_uv_cache_state(text, disabled_by):
    (pc,) = installs(f"FROM python\n{text}\n")
    assert pc.cache.disabled_by == disabled_by


def test_poetry_pipenv_pdm_pipx():
    pcs = commands("FROM python\nRUN poetry install --no-root && poetry add requests@^2.31 rich@13.7.1 "
                   "&& pipenv install --system --deploy && pdm add 'attrs>=23' && pipx install --spec black==24.1 black\n")
    assert [(p.manager, p.action) for p in pcs] == [("poetry", "install"), ("poetry", "add"),
                                                    ("pipenv", "install"), ("pdm", "add"), ("pipx", "install")]
    assert pins(pcs[1]) == [("requests", "range", None), ("rich", "exact", "13.7.1")]
    assert pcs[0].packages == () and pins(pcs[3]) == [("attrs", "range", None)]
    assert ("black", "exact", "24.1") in pins(pcs[4])


# -- conda, node, toolchains -----------------------------------------------------------

def test_conda_family():
    # as in NVIDIA/DeepLearningExamples' Jasper Dockerfile: `conda install -y pyyaml==5.4.1`
    pcs = commands("FROM conda\nRUN conda install -y pyyaml==5.4.1 numpy=1.26 conda-forge::scipy pandas "
                   "&& mamba env create -f environment.yml && micromamba install python=3.11 && conda clean -afy\n")
    install, create, micro = pcs[:3]
    assert pins(install) == [("pyyaml", "exact", "5.4.1"), ("numpy", "range", None), ("scipy", "unpinned", None),
                             ("pandas", "unpinned", None)]
    assert (create.manager, create.tool, create.action, create.subcommand) == ("conda", "mamba", "create", "env create")
    assert [w.value for w in create.requirement_files] == ["environment.yml"] and create.assume_yes
    assert micro.assume_yes is False and install.cache.disabled_by == "cleaned"
    assert pcs[3].action == "clean"


def test_node_family():
    # `npm install -g @angular/cli` as in docker/awesome-compose's angular Dockerfile
    pcs = commands("FROM node\nRUN npm install -g @angular/cli @scope/x@1.2.3 lodash@^4.17 react@latest "
                   "github:org/repo#abc123 ./local && npm ci && yarn global add yarn-deduplicate@6.0.2 "
                   "&& yarn cache clean && pnpm add -D vite@5\n")
    npm, ci, yarn, clean, pnpm = pcs
    assert pins(npm) == [("@angular/cli", "unpinned", None), ("@scope/x", "exact", "1.2.3"),
                         ("lodash", "range", None), ("react", "unpinned", None), (None, "vcs", "abc123"),
                         (None, "local", None)]
    assert (ci.action, yarn.action, yarn.subcommand, clean.action) == ("ci", "add", "global add", "clean")
    assert yarn.cache.disabled_by == "cleaned" and npm.cache.disabled_by is None
    assert pins(pnpm) == [("vite", "range", None)]
    tarballs = installs("FROM node\nRUN npm install package-v1.2.3.tar package-v1.2.3.tgz\n")[0]
    assert [p.pin for p in tarballs.packages] == ["local", "local"]


def test_gem_go_cargo():
    # `gem install sass-embedded -v 1.62.1` (devcontainers' jekyll image),
    # `go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.31.0` (feast's feature server)
    pcs = installs("FROM x\nRUN gem install sass-embedded -v 1.62.1 && gem install rails:7.1 bundler "
                   "&& go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.31.0 x/y@latest ./cmd/z "
                   "&& cargo install ripgrep --version 14.1.0 && cargo install --git https://g/r --tag v1\n")
    gem1, gem2, go, cargo, cargo_git = pcs
    assert pins(gem1) == [("sass-embedded", "exact", "1.62.1")]
    assert pins(gem2) == [("rails", "range", None), ("bundler", "unpinned", None)]
    assert pins(go) == [("google.golang.org/protobuf/cmd/protoc-gen-go", "exact", "v1.31.0"),
                        ("x/y", "unpinned", None), (None, "local", None)]
    assert pins(cargo) == [("ripgrep", "exact", "14.1.0")]
    assert [(p.pin, p.version, p.is_option_value) for p in cargo_git.packages] == [("vcs", "v1", True)]


# -- where commands come from ------------------------------------------------------------

def test_exec_form_heredoc_onbuild_and_wrappers():
    df = model('FROM debian AS base\nRUN ["pip", "install", "flask"]\nRUN <<EOF\napt-get install -y curl\nEOF\n'
               'ONBUILD RUN sudo -E pip install torch\nRUN sh -c "npm i left-pad"\n'
               'FROM base\nRUN env FOO=1 apk add git\n')
    assert [(p.manager, [x.text for x in p.packages]) for p in df.installs] == [
        ("pip", ["flask"]), ("apt", ["curl"]), ("pip", ["torch"]), ("npm", ["left-pad"]), ("apk", ["git"])]
    exec_form = df.installs[0]
    assert df.source.text[exec_form.packages[0].word.span.start:exec_form.packages[0].word.span.end] == '"flask"'
    onbuild = df.installs[2]
    assert onbuild.instr.parent is not None and onbuild.stage_ships
    assert [len(s.installs) for s in df.stages] == [4, 1]


def test_a_builder_only_copied_from_does_not_ship():
    df = model("FROM python AS build\nRUN pip install x\nFROM python\nCOPY --from=build /a /a\nRUN pip install y\n")
    assert [p.stage_ships for p in df.installs] == [False, True]
    assert [s.ships for s in df.stages] == [False, True]
    assert df.stages[1].chain == (df.stages[1],)


def test_stage_chain_nearest_first():
    df = model("FROM a AS one\nFROM one AS two\nFROM two\n")
    assert [s.index for s in df.stages[2].chain] == [2, 1, 0]
    assert all(s.ships for s in df.stages)


def test_flags_span_covers_the_options():
    df = model("FROM debian\nRUN apt-get install -y --no-install-recommends curl\n")
    (pc,) = df.installs
    span = pc.flags_span
    assert df.source.text[span.start:span.end] == "-y --no-install-recommends"


def test_not_package_commands():
    assert commands("FROM x\nRUN pip --version && apt-cache policy curl && python setup.py install "
                    "&& npm run build && go build ./... && echo apt-get install x\n") == []
    assert model("FROM x\nCOPY . .\n").stages[0].instructions[0].package_commands == ()


# -- properties ------------------------------------------------------------------------

def _check(df):
    for instr in df.walk():
        for pc in instr.package_commands:
            cmd = pc.command
            for package in pc.packages:
                assert package.pin in ("exact", "range", "unpinned", "local", "url", "vcs", "unknown")
                if package.word.span is not None and cmd.span is not None:
                    assert cmd.span.start <= package.word.span.start <= package.word.span.end <= cmd.span.end
                if package.text is None:
                    assert package.pin == "unknown"


_WORDS = st.sampled_from([
    "apt-get", "apk", "pip", "pip3", "uv", "conda", "npm", "yarn", "gem", "go", "cargo", "dnf", "zypper",
    "install", "add", "pip", "-y", "-r", "req.txt", "--no-cache", "-e", ".", "x==1", "x>=1", "x=1", "x@1.2.3",
    "x@", "@", "git+https://h/r@v", "$X", "\"$(y)\"", "'a b'", "&&", "|", ";", "sudo", "env", "A=1", "-c",
    "--", "-v", "x:1", "=", "~", "pkg/rel", "./a.deb", "-t", "--virtual", "env", "create", "-f", "sync",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, min_size=1, max_size=14))
def test_property_the_view_never_raises_and_words_lie_in_their_command(words):
    _check(model("FROM debian\nRUN " + " ".join(words) + "\n"))


def test_corpus_view_never_raises():
    files = sorted(CORPUS.glob("*Dockerfile"))
    if not files:
        pytest.skip("the shared corpus is not on this machine")
    count = 0
    for path in files:
        try:
            df = load(path.read_bytes(), path=str(path))
        except Exception:  # a file the parser rejects is the parser's test's business
            continue
        _check(df)
        count += len(df.installs)
    assert count > 500
