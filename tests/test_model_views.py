"""Typed views of instructions (dockerlint.model Instr.*)."""
from __future__ import annotations

from model_helpers import model

from dockerlint.findings import Finding


def one(text, keyword, **kwargs):
    df = model(text, **kwargs)
    return next(i for i in df.instructions if i.keyword == keyword)


def source_of(instr, span):
    return instr.dockerfile.source.slice(span)


# -- COPY / ADD ---------------------------------------------------------------------------
def test_copy_sources_dest_and_flags():
    instr = one("FROM scratch\nARG U=app\nCOPY --chown=$U:$U --chmod=644 --link --exclude=*.pyc --parents "
                "src/ req.txt /srv/\n", "COPY")
    spec = instr.copy
    assert not spec.is_add
    assert [s.value for s in spec.sources] == ["src/", "req.txt"]
    assert spec.dest.value == "/srv/"
    assert spec.chown.value == "app:app" and spec.chmod.value == "644"
    assert spec.link and spec.parents and spec.exclude == ("*.pyc",)
    assert spec.from_ is None and spec.from_stage is None
    assert source_of(instr, spec.dest.span) == "/srv/"


def test_add_checksum_and_bool_flags():
    spec = one("FROM scratch\nADD --checksum=sha256:abc --link=false --keep-git-dir=true "
               "https://x/y.tgz /y\n", "ADD").copy
    assert spec.is_add and spec.checksum.value == "sha256:abc"
    assert spec.link is False and spec.keep_git_dir is True
    assert spec.sources[0].value == "https://x/y.tgz"


def test_copy_json_form():
    spec = one('FROM scratch\nCOPY ["a b.txt", "/dst/"]\n', "COPY").copy
    assert [s.value for s in spec.sources] == ["a b.txt"] and spec.dest.value == "/dst/"


def test_copy_sources_with_unknown_variables():
    spec = one("FROM python:3.11\nCOPY $SRC /app\n", "COPY").copy
    assert spec.sources[0].value is None and spec.sources[0].unresolved == ("SRC",)


def test_view_is_none_for_other_keywords():
    instr = one("FROM scratch\nRUN true\n", "RUN")
    assert instr.copy is None and instr.cmd is None and instr.user is None and instr.expose is None
    assert instr.pairs is None and instr.arg_decls is None and instr.healthcheck is None
    assert instr.workdir is None and instr.workdir_path is None and instr.onbuild is None


# -- RUN ------------------------------------------------------------------------------------
def test_run_mounts_network_security():
    instr = one("FROM python:3.11\nARG CACHE=/root/.cache/pip\n"
                "RUN --mount=type=cache,target=$CACHE,sharing=locked,id=pip "
                "--mount=type=secret,id=tok,required "
                "--mount=type=bind,source=.,target=/src,rw "
                "--network=none --security=insecure pip install -r /src/req.txt\n", "RUN")
    run = instr.run
    cache, secret, bind = run.mounts
    assert (cache.type, cache.target, cache.sharing, cache.id, cache.readonly) == \
        ("cache", "/root/.cache/pip", "locked", "pip", False)
    assert secret.type == "secret" and secret.readonly and "required" in secret.options
    assert bind.type == "bind" and bind.source == "." and bind.readonly is False
    assert run.network == "none" and run.security == "insecure"
    assert not run.exec_form and run.script == "pip install -r /src/req.txt"
    assert run.mount("cache") == (cache,)
    assert source_of(instr, cache.span).startswith("--mount=type=cache")


def test_default_mount_type_is_bind_and_readonly():
    mount = one("FROM alpine:3.20\nRUN --mount=target=/x true\n", "RUN").run.mounts[0]
    assert mount.type == "bind" and mount.readonly and mount.target == "/x"


def test_run_exec_form():
    run = one('FROM alpine:3.20\nRUN ["apk", "add", "curl"]\n', "RUN")
    assert run.run.exec_form and run.run.argv == ("apk", "add", "curl") and run.run.script == ""
    [apk] = run.commands  # the argv is one command, its words on the JSON literals
    assert [w.value for w in apk.argv] == ["apk", "add", "curl"]
    assert [source_of(run, w.span) for w in apk.argv] == ['"apk"', '"add"', '"curl"']
    assert source_of(run, apk.span) == '"apk", "add", "curl"'


def test_run_commands_have_source_spans():
    instr = one("FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", "RUN")
    names = [c.name for c in instr.commands]
    assert names == ["apt-get", "apt-get"]
    second = instr.commands[1]
    assert source_of(instr, second.span) == "apt-get install -y curl"
    assert second.has_option("y")
    assert instr.run.commands == instr.commands


def test_run_commands_see_env_values():
    instr = one("FROM debian:12\nENV PKG=curl\nRUN apt-get install -y $PKG\n", "RUN")
    assert instr.commands[0].argv[-1].value == "curl"


def test_no_commands_for_non_posix_shell():
    instr = one('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\n'
                "RUN Get-ChildItem\n", "RUN")
    assert instr.commands == ()


# -- CMD / ENTRYPOINT / HEALTHCHECK --------------------------------------------------------
def test_cmd_forms():
    exec_ = one('FROM python:3.11\nCMD ["python", "-m", "app"]\n', "CMD").cmd
    assert exec_.exec_form and exec_.argv == ("python", "-m", "app") and exec_.script is None
    assert exec_.program == "python"
    shell = one("FROM python:3.11\nENTRYPOINT jupyter lab --ip=0.0.0.0\n", "ENTRYPOINT").cmd
    assert not shell.exec_form and shell.script == "jupyter lab --ip=0.0.0.0" and shell.argv == ()
    assert shell.program == "jupyter"
    assert [c.name for c in shell.commands] == ["jupyter"]


def test_healthcheck():
    hc = one("FROM python:3.11\nHEALTHCHECK --interval=30s --retries=3 CMD curl -f http://localhost/ || exit 1\n",
             "HEALTHCHECK").healthcheck
    assert hc.kind == "CMD" and hc.options == {"interval": "30s", "retries": "3"}
    assert hc.command.script.strip() == "curl -f http://localhost/ || exit 1"
    assert hc.command.program == "curl"
    none = one("FROM python:3.11\nHEALTHCHECK NONE\n", "HEALTHCHECK").healthcheck
    assert none.kind == "NONE" and none.command is None


# -- EXPOSE / USER / ENV / LABEL / ARG ------------------------------------------------------
def test_expose_ports_and_protocols():
    ports = one("FROM scratch\nARG P=9000\nEXPOSE 80 443/TCP 53/udp $P 8000-8010\n", "EXPOSE").expose
    assert [(p.port, p.protocol) for p in ports] == \
        [("80", "tcp"), ("443", "tcp"), ("53", "udp"), ("9000", "tcp"), ("8000-8010", "tcp")]
    unknown = one("FROM python:3.11\nEXPOSE $PORT\n", "EXPOSE").expose
    assert unknown[0].known is False


def test_user_and_group():
    instr = one("FROM scratch\nARG UID=1000\nUSER app:$UID\n", "USER")
    user = instr.user
    assert user.user.value == "app" and user.group.value == "1000"
    assert source_of(instr, user.user.span) == "app"
    plain = one("FROM scratch\nUSER root\n", "USER").user
    assert plain.user.value == "root" and plain.group is None


def test_env_and_label_pairs():
    instr = one('FROM scratch\nENV A=1 B="two words" C=$A\n', "ENV")
    assert [(p.key, p.value.value) for p in instr.pairs] == [("A", "1"), ("B", "two words"), ("C", "")]
    assert source_of(instr, instr.pairs[1].key_span) == "B"
    legacy = one("FROM scratch\nENV PATH /opt/bin:/usr/bin\n", "ENV").pairs
    assert legacy[0].key == "PATH" and legacy[0].value.value == "/opt/bin:/usr/bin" and legacy[0].legacy
    labels = one('FROM scratch\nLABEL org.opencontainers.image.source="https://x"\n', "LABEL").pairs
    assert labels[0].key == "org.opencontainers.image.source" and labels[0].value.value == "https://x"


def test_arg_decls():
    instr = one("ARG A B=2 C=${B}3\nFROM scratch\n", "ARG")
    a, b, c = instr.arg_decls
    assert (a.name, a.default, a.value) == ("A", None, None)
    assert (b.name, b.default.value, b.value) == ("B", "2", "2")
    assert (c.default.raw, c.value) == ("${B}3", "23")
    assert source_of(instr, c.name_span) == "C"


# -- ONBUILD / finding -----------------------------------------------------------------------
def test_onbuild_inner_instruction():
    instr = one("FROM python:3.11\nONBUILD RUN pip install -r requirements.txt\n", "ONBUILD")
    inner = instr.onbuild
    assert inner.keyword == "RUN" and inner.parent is instr and inner.stage is instr.stage
    assert [c.name for c in inner.commands] == ["pip"]
    assert [i.keyword for i in instr.dockerfile.walk()] == ["FROM", "ONBUILD", "RUN"]


def test_finding_defaults_to_the_instruction_span():
    instr = one("FROM scratch\nUSER root\n", "USER")
    finding = instr.finding("no root")
    assert isinstance(finding, Finding) and finding.span == instr.span and finding.message == "no root"
    assert instr.finding("x", span=instr.user.span).span == instr.user.span


def test_context_is_lazy_and_optional(tmp_path):
    assert model("FROM scratch\n").context is None
    (tmp_path / "a.txt").write_text("x")
    df = model("FROM scratch\n", context_dir=str(tmp_path))
    assert df.context is not None and str(tmp_path) in repr(df.context)


# -- positions through continuations, escape directive, heredocs ------------------------------
def test_tag_span_across_a_continuation_line():
    df = model("FROM \\\n    python:3.11-slim \\\n    AS app\n")
    stage = df.stages[0]
    assert stage.name == "app"
    assert df.source.slice(stage.base.tag_span) == "3.11-slim"
    assert stage.base.tag_span.line == 2


def test_backtick_escape_directive_applies_to_expansion():
    df = model("# escape=`\nFROM scratch\nENV A=1\nWORKDIR /x`$A/$A\n")
    workdir = next(i for i in df.instructions if i.keyword == "WORKDIR")
    assert workdir.workdir.value == "/x$A/1"


def test_copy_heredoc_is_not_a_source_path():
    df = model("FROM scratch\nCOPY <<EOF /etc/app.conf\nkey=1\nEOF\n")
    spec = next(i for i in df.instructions if i.keyword == "COPY").copy
    assert spec.sources == () and spec.dest.value == "/etc/app.conf"
    assert spec.heredocs[0].content == "key=1\n"


def test_run_heredoc_commands_point_into_the_body():
    df = model("FROM debian:12\nRUN <<EOF\nset -e\napt-get install -y curl\nEOF\n")
    run = df.instructions[1]
    assert [c.name for c in run.commands] == ["set", "apt-get"]
    assert run.commands[1].span.line == 4
    assert df.source.slice(run.commands[1].span) == "apt-get install -y curl"


def test_platform_value_span():
    df = model("FROM --platform=linux/arm64 alpine:3.20\n")
    platform = df.stages[0].platform
    assert platform.value == "linux/arm64" and df.source.slice(platform.span) == "linux/arm64"


def test_run_sees_args_and_proxy_build_args_but_cmd_sees_only_env():
    df = model("FROM debian:12\nARG V=1.0\nENV HOME=/root\n"
               "RUN fetch $V $HTTP_PROXY\nCMD serve $V $HOME\n", build_args={"HTTP_PROXY": "http://proxy:3128"})
    run, cmd = df.instructions[3], df.instructions[4]
    assert [w.value for w in run.commands[0].argv] == ["fetch", "1.0", "http://proxy:3128"]
    assert [w.value for w in cmd.cmd.commands[0].argv] == ["serve", None, "/root"]


def test_user_parts_keep_their_own_raw_text_and_unknowns():
    user = one("FROM python:3.11\nUSER $APP_USER:${APP_GROUP:-staff}\n", "USER").user
    assert (user.user.raw, user.user.value, user.user.unresolved) == ("$APP_USER", None, ("APP_USER",))
    assert (user.group.raw, user.group.value) == ("${APP_GROUP:-staff}", None)
    nested = one("FROM scratch\nUSER ${U:-app:staff}\n", "USER").user
    assert (nested.user.value, nested.group.value) == ("app", "staff")
    from_var = one("FROM scratch\nARG UG=a:b\nUSER $UG\n", "USER").user
    assert (from_var.user.value, from_var.group.value) == ("a", "b")


def test_mount_from_an_image_and_volumes():
    df = model("FROM alpine:3.20\nARG D=/data\n"
               "RUN --mount=from=ghcr.io/astral-sh/uv:0.4,source=/uv,target=/bin/uv uv --version\n"
               'VOLUME $D /cache\nVOLUME ["/models"]\n')
    mount = df.instructions[2].run.mounts[0]
    assert mount.from_stage is None and mount.from_image.registry == "ghcr.io" and mount.from_image.tag == "0.4"
    volumes = [v.value for i in df.instructions if i.volumes for v in i.volumes]
    assert volumes == ["/data", "/cache", "/models"]
