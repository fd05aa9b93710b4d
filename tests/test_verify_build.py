"""The build harness without a daemon: builder output parsing, builder choice,
context archives, cleanup bookkeeping, connection errors and exit codes."""
from __future__ import annotations

import io
import os
import tarfile
from types import SimpleNamespace

import pytest

from dockerlint.verify.build import BuilderInfo, BuildRequest
from dockerlint.verify.builders import select_builder
from dockerlint.verify.buildkit import BuildKitCliBuilder, BuildKitStream, CliRoute, find_buildkit_route
from dockerlint.verify.classic import ClassicStream
from dockerlint.verify.cleanup import ResourceTracker
from dockerlint.verify.command import exit_code, run
from dockerlint.verify.context_archive import OUTSIDE_DOCKERFILE_NAME, make_archive
from dockerlint.verify.errors import BuildFailed, VerifyError


class RecordingTracker:
    def __init__(self):
        self.images, self.containers = [], []

    def add_image(self, image_id):
        self.images.append(image_id)

    def add_container(self, container_id):
        self.containers.append(container_id)


# --------------------------------------------------------------------------- classic builder output

CLASSIC_FAILURE = [
    {"stream": "Step 1/3 : FROM base:1"}, {"stream": "\n"}, {"stream": " ---> e538446230a5\n"},
    {"stream": "Step 2/3 : RUN echo hi"}, {"stream": "\n"},
    {"stream": " ---> Running in f8403fd4f58b\n"}, {"stream": "hi\n"},
    {"stream": "Removing intermediate container f8403fd4f58b\n"}, {"stream": " ---> 2904e641e526\n"},
    {"stream": "Step 3/3 : RUN make"}, {"stream": "\n"},
    {"stream": " ---> Running in 5cfb5efed215\n"},
    {"stream": "\x1b[91mcc: error: missing.c\n\x1b[0m"}, {"stream": "make: *** [all] Error 1\n"},
    {"error": "The command '/bin/sh -c make' returned a non-zero code: 2",
     "errorDetail": {"code": 2, "message": "The command '/bin/sh -c make' returned a non-zero code: 2"}},
]


def test_classic_stream_tracks_every_container_and_image_it_reports():
    tracker = RecordingTracker()
    stream = ClassicStream(tracker)
    for message in CLASSIC_FAILURE:
        stream.feed(message)
    stream.finish()
    assert tracker.containers == ["f8403fd4f58b", "5cfb5efed215"]
    assert tracker.images == ["e538446230a5", "2904e641e526"]  # the base is filtered by the tracker
    assert (stream.step, stream.total, stream.running) == (3, 3, "5cfb5efed215")


def test_classic_failure_names_the_step_and_keeps_its_output_tail_without_colours():
    stream = ClassicStream(None)
    for message in CLASSIC_FAILURE:
        stream.feed(message)
    error = stream.failure("A")
    assert isinstance(error, BuildFailed)
    assert str(error) == ("build A failed at step 3/3 `RUN make`: "
                          "The command '/bin/sh -c make' returned a non-zero code: 2")
    assert error.details.splitlines() == ["cc: error: missing.c", "make: *** [all] Error 1"]


def test_classic_success_reports_the_final_image():
    stream = ClassicStream(RecordingTracker())
    for message in CLASSIC_FAILURE[:9]:
        stream.feed(message)
    stream.feed({"aux": {"ID": "sha256:" + "ab" * 32}})
    assert stream.image_id == "sha256:" + "ab" * 32 and not stream.error


def test_full_disk_is_its_own_error_not_a_build_failure():
    stream = ClassicStream(None)
    stream.feed({"stream": "Step 1/1 : RUN dd if=/dev/zero of=/big\n"})
    stream.feed({"error": "write /var/lib/docker/tmp/x: no space left on device"})
    error = stream.failure("B")
    assert not isinstance(error, BuildFailed)
    assert str(error).startswith("build B ran out of disk space on the Docker host at step 1/1")


# --------------------------------------------------------------------------- BuildKit output

BUILDKIT_FAILURE = """\
#1 [internal] load remote build context
#1 DONE 0.0s

#4 [1/3] FROM docker.io/library/base:1
#4 CACHED

#5 [2/3] RUN echo hi
#5 0.197 hi
#5 DONE 0.2s

#6 [3/3] RUN make
#6 0.120 cc: error: missing.c
#6 ERROR: executor failed running [/bin/sh -c make]: exit code: 2
------
 > [3/3] RUN make:
------
executor failed running [/bin/sh -c make]: exit code: 2
"""


def test_buildkit_failure_names_the_step_and_its_own_output():
    stream = BuildKitStream()
    for line in BUILDKIT_FAILURE.splitlines(keepends=True):
        stream.feed_line(line)
    error = stream.failure("A", 1)
    assert str(error) == ("build A failed at step [3/3] RUN make: "
                          "executor failed running [/bin/sh -c make]: exit code: 2")
    assert error.details == "cc: error: missing.c"
    assert (len(stream.done), stream.total) == (2, 3)


def test_buildkit_failure_outside_a_numbered_step_names_the_vertex():
    stream = BuildKitStream()
    for line in ["#3 [internal] load metadata for docker.io/library/python:3.12-slim",
                 "#3 sha256:b0bdcc1d28d54fdc25a7bad07070ce9acdfe36bda0535a1352298ac15fbf3b20",
                 "#3 ERROR: failed to do request: Head \"https://registry-1.docker.io/v2/\": no such host"]:
        stream.feed_line(line)
    assert str(stream.failure("A", 1)) == (
        "build A failed at `[internal] load metadata for docker.io/library/python:3.12-slim`: "
        "failed to do request: Head \"https://registry-1.docker.io/v2/\": no such host")


def test_buildkit_counts_steps_of_every_stage():
    stream = BuildKitStream()
    for line in ["#3 [build 1/2] FROM x", "#3 DONE 0.1s", "#4 [build 2/2] RUN a", "#4 DONE 1.0s",
                 "#5 [stage-1 1/3] FROM y", "#5 DONE 0.0s", "#6 [stage-1 2/3] COPY --from=build /a /a"]:
        stream.feed_line(line)
    assert (len(stream.done), stream.total) == (3, 5)


def _archive(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    return make_archive(str(tmp_path), str(tmp_path / "Dockerfile"))


def test_buildx_command_passes_source_date_epoch_and_rewrites_timestamps(tmp_path):
    archive = _archive(tmp_path)
    builder = BuildKitCliBuilder(CliRoute("/usr/bin/docker", "28.2.2", "v0.20.0"),
                                 BuilderInfo("buildkit", "buildx", rewrite_timestamp=True))
    request = BuildRequest("A", archive, build_args={"X": "1"}, target="app",
                           platform="linux/amd64", source_date_epoch=1700000000)
    argv = builder.command(request, "/tmp/iid")
    assert argv[:4] == ["/usr/bin/docker", "buildx", "build", "--no-cache"]
    assert argv[argv.index("--output") + 1] == "type=docker,rewrite-timestamp=true"
    assert "--provenance=false" in argv
    assert argv[argv.index("SOURCE_DATE_EPOCH=1700000000") - 1] == "--build-arg"
    assert argv[-1] == "-" and "--target" in argv and "--platform" in argv
    env = builder.environment(request)
    assert env["SOURCE_DATE_EPOCH"] == "1700000000" and "DOCKER_BUILDKIT" not in env
    archive.close()


def test_old_buildx_and_buildkit_get_only_the_options_they_know(tmp_path):
    archive = _archive(tmp_path)
    builder = BuildKitCliBuilder(CliRoute("/usr/bin/docker", "20.10.24", "v0.9.1"),
                                 BuilderInfo("buildkit", "buildx", rewrite_timestamp=False))
    argv = builder.command(BuildRequest("A", archive, source_date_epoch=1700000000), "/tmp/iid")
    assert argv[argv.index("--output") + 1] == "type=docker"
    assert "--provenance=false" not in argv
    archive.close()


def test_embedded_buildkit_command_uses_docker_buildkit_env(tmp_path):
    archive = _archive(tmp_path)
    builder = BuildKitCliBuilder(CliRoute("/usr/bin/docker", "20.10.24"), BuilderInfo("buildkit", "cli"))
    request = BuildRequest("B", archive, hostname="dockerlint-vary")
    argv = builder.command(request, "/tmp/iid")
    assert argv[:3] == ["/usr/bin/docker", "build", "--no-cache"]
    assert not any("BUILDKIT_SANDBOX_HOSTNAME" in a for a in argv)  # Engine 20.10 ignores it
    assert not any("rewrite-timestamp" in a for a in argv)
    assert builder.environment(request)["DOCKER_BUILDKIT"] == "1"
    buildx = BuildKitCliBuilder(CliRoute("/usr/bin/docker", "28.2.2", "v0.20.0"), BuilderInfo("buildkit", "x"))
    assert "BUILDKIT_SANDBOX_HOSTNAME=dockerlint-vary" in buildx.command(request, "/tmp/iid")
    archive.close()


# --------------------------------------------------------------------------- choosing a builder


def _fake_cli(tmp_path, name, version, buildx=None, buildkit=None):
    script = tmp_path / name
    lines = ["#!/bin/sh",
             f'if [ "$1" = version ]; then echo {version}; exit 0; fi']
    if buildx:
        lines.append(f'if [ "$1" = buildx ] && [ "$2" = version ]; then '
                     f'echo "github.com/docker/buildx {buildx} abc"; exit 0; fi')
    if buildkit:
        lines.append(f'if [ "$1" = buildx ] && [ "$2" = inspect ]; then '
                     f'printf "Name: default\\nDriver: docker\\n BuildKit version: {buildkit}\\n"; exit 0; fi')
    lines.append("exit 1")
    script.write_text("\n".join(lines) + "\n")
    script.chmod(0o755)
    return str(script)


def test_route_prefers_buildx_then_an_old_cli(tmp_path):
    new = _fake_cli(tmp_path, "docker28", "28.2.2")
    old = _fake_cli(tmp_path, "docker20", "20.10.24+dfsg1")
    with_buildx = _fake_cli(tmp_path, "docker27", "27.0.1", buildx="v0.16.1")
    assert find_buildkit_route([new]) is None
    assert find_buildkit_route([new, old]) == CliRoute(old, "20.10.24+dfsg1")
    assert find_buildkit_route([old, with_buildx]) == CliRoute(with_buildx, "27.0.1", "v0.16.1")


class FakeClient:
    api = SimpleNamespace(base_url="http+docker://localhost")

    def version(self):
        return {"Version": "20.10.24", "ApiVersion": "1.41"}


@pytest.mark.parametrize("buildkit, rewrite", [("v0.13.2", True), ("v0.12.5", False)])
def test_buildx_is_chosen_automatically_and_reports_its_buildkit(tmp_path, buildkit, rewrite):
    cli = _fake_cli(tmp_path, "docker", "27.0.1", buildx="v0.16.1", buildkit=buildkit)
    builder = select_builder(FakeClient(), "auto", lambda: find_buildkit_route([cli]))
    assert builder.info.kind == "buildkit"
    assert builder.info.via == f"docker buildx v0.16.1 ({cli}, client 27.0.1)"
    assert builder.info.buildkit_version == buildkit
    assert builder.info.rewrite_timestamp is rewrite and builder.info.hostname_varies


def test_builder_choice():
    client = FakeClient()
    old_cli = CliRoute("/usr/bin/docker", "20.10.24")
    assert select_builder(client, "auto", lambda: old_cli).info.kind == "classic"
    assert select_builder(client, "classic", lambda: old_cli).info.kind == "classic"
    buildkit = select_builder(client, "buildkit", lambda: old_cli)
    assert buildkit.info.kind == "buildkit"
    assert buildkit.info.via == "/usr/bin/docker 20.10.24 with DOCKER_BUILDKIT=1"
    assert buildkit.info.buildkit_version == "embedded in Docker Engine 20.10.24"
    assert not buildkit.info.hostname_varies and not buildkit.info.rewrite_timestamp
    with pytest.raises(VerifyError, match="BuildKit is not reachable"):
        select_builder(client, "buildkit", lambda: None)
    with pytest.raises(VerifyError, match="unknown builder"):
        select_builder(client, "kaniko", lambda: None)


# --------------------------------------------------------------------------- context archives


def _members(archive) -> dict[str, tarfile.TarInfo]:
    archive.file.seek(0)
    with tarfile.open(fileobj=archive.file) as tar:
        return {m.name: m for m in tar.getmembers()}


def test_vary_shifts_mtimes_in_the_archive_only(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("print(1)\n")
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY app /app\n")
    os.utime(tmp_path / "app" / "main.py", (1_000_000_000, 1_000_000_000))
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    plain = make_archive(str(tmp_path), str(tmp_path / "Dockerfile"))
    shifted = make_archive(str(tmp_path), str(tmp_path / "Dockerfile"), mtime_shift=3600)
    assert _members(plain)["app/main.py"].mtime == 1_000_000_000
    assert _members(shifted)["app/main.py"].mtime == 1_000_003_600
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before
    assert plain.dockerfile == "Dockerfile"
    plain.close()
    shifted.close()


def test_archive_honours_dockerignore(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "big.bin").write_bytes(b"x")
    (tmp_path / "keep.txt").write_text("k")
    (tmp_path / ".dockerignore").write_text("# comment\ndata\n")
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    archive = make_archive(str(tmp_path), str(tmp_path / "Dockerfile"))
    names = set(_members(archive))
    assert "keep.txt" in names and "Dockerfile" in names
    assert not any(n.startswith("data") for n in names)
    archive.close()


def test_dockerfile_outside_the_context_is_added_and_ignored(tmp_path):
    context = tmp_path / "ctx"
    context.mkdir()
    (context / "a.txt").write_text("a")
    (tmp_path / "build.Dockerfile").write_text("FROM scratch\nCOPY . /\n")
    archive = make_archive(str(context), str(tmp_path / "build.Dockerfile"))
    members = _members(archive)
    assert archive.dockerfile == OUTSIDE_DOCKERFILE_NAME
    assert OUTSIDE_DOCKERFILE_NAME in members and "a.txt" in members
    archive.file.seek(0)
    with tarfile.open(fileobj=archive.file) as tar:
        ignore = tar.extractfile(".dockerignore").read().decode()
    assert OUTSIDE_DOCKERFILE_NAME in ignore.splitlines()
    archive.close()


def test_unreadable_context_file_is_a_verify_error(tmp_path, monkeypatch):
    secret = tmp_path / "secret"
    secret.write_text("s")
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    real_open = open

    def denying_open(path, *args, **kwargs):  # root reads every file, so deny it here
        if str(path) == str(secret):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", denying_open)
    with pytest.raises(VerifyError, match="cannot read build context.*Permission denied"):
        make_archive(str(tmp_path), str(tmp_path / "Dockerfile"))


# --------------------------------------------------------------------------- cleanup bookkeeping


class FakeApi:
    """Images with parents; removal refuses parents of live images, like the daemon."""

    def __init__(self, images: dict[str, str]):
        self.images_by_id = dict(images)  # id -> parent id
        self.containers: set[str] = set()
        self.removed: list[str] = []

    def images(self, all=False, quiet=False):
        if quiet:
            return list(self.images_by_id)
        return [{"Id": i, "ParentId": p} for i, p in self.images_by_id.items()]

    def _resolve(self, image_id):
        bare = image_id.removeprefix("sha256:")
        return next((i for i in self.images_by_id if i.removeprefix("sha256:").startswith(bare)), None)

    def remove_image(self, image_id, force=False, noprune=False):
        from docker.errors import APIError, NotFound

        full = self._resolve(image_id)
        if full is None:
            raise NotFound("no such image")
        if any(parent == full for parent in self.images_by_id.values()):
            raise APIError("conflict", response=SimpleNamespace(status_code=409, reason="Conflict"),
                           explanation="image has dependent child images")
        del self.images_by_id[full]
        self.removed.append(full)

    def remove_container(self, container_id, force=False, v=False):
        from docker.errors import NotFound

        if container_id not in self.containers:
            raise NotFound("no such container")
        self.containers.remove(container_id)


def _ids(*names):
    return {n: "sha256:" + n * 64 for n in names}


def test_cleanup_removes_only_what_the_run_created_children_first():
    i = _ids("a", "b", "c", "d", "e")
    api = FakeApi({i["a"]: "", i["e"]: ""})  # the base and a user's image exist before the run
    tracker = ResourceTracker(SimpleNamespace(api=api))
    api.images_by_id.update({i["b"]: i["a"], i["c"]: i["b"], i["d"]: i["c"]})
    api.containers.update({"c1", "c2"})
    for image in (i["a"][7:19], i["b"][7:19], i["c"], i["d"]):  # short and full ids, base included
        tracker.add_image(image)
    tracker.images.reverse()  # out of order: removal must still converge
    tracker.add_container("c1")
    assert tracker.cleanup(warn=io.StringIO()) == []
    assert set(api.images_by_id) == {i["a"], i["e"]}
    assert api.containers == {"c2"}


def test_cleanup_sweeps_unreported_children_of_our_images():
    i = _ids("a", "b", "c")
    api = FakeApi({i["a"]: ""})
    tracker = ResourceTracker(SimpleNamespace(api=api))
    api.images_by_id.update({i["b"]: i["a"], i["c"]: i["b"]})  # c was committed but never reported
    tracker.add_image(i["b"])
    tracker.cleanup(warn=io.StringIO())
    assert set(api.images_by_id) == {i["a"]}


def test_kept_images_keep_their_parents():
    i = _ids("a", "b", "c", "d")
    api = FakeApi({i["a"]: ""})
    tracker = ResourceTracker(SimpleNamespace(api=api))
    api.images_by_id.update({i["b"]: i["a"], i["c"]: i["b"], i["d"]: i["a"]})
    for image in (i["b"], i["c"], i["d"]):
        tracker.add_image(image)
    tracker.keep(i["c"])
    assert tracker.cleanup(warn=io.StringIO()) == []
    assert set(api.images_by_id) == {i["a"], i["b"], i["c"]}


# --------------------------------------------------------------------------- errors and exit codes


def test_exit_codes():
    assert exit_code("reproducible", strict=False) == 0
    assert exit_code("reproducible", strict=True) == 0
    assert exit_code("reproducible except metadata", strict=False) == 0
    assert exit_code("reproducible except metadata", strict=True) == 1
    assert exit_code("not reproducible", strict=False) == 1


@pytest.mark.parametrize("host, expected", [
    ("unix:///nonexistent/docker.sock", "no such socket (is dockerd running?)"),
    ("tcp://127.0.0.1:1", "connection refused (is dockerd running?)"),
])
def test_unreachable_daemon_is_one_line_and_exit_2(tmp_path, monkeypatch, host, expected):
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCOPY a /a\n")
    monkeypatch.setenv("DOCKER_HOST", host)
    stderr = io.StringIO()
    assert run(str(tmp_path / "Dockerfile"), stdout=io.StringIO(), stderr=stderr) == 2
    assert stderr.getvalue() == f"dockerlint: error: cannot connect to the Docker daemon at {host}: {expected}\n"


def test_permission_denied_on_the_socket():
    from docker.errors import DockerException

    from dockerlint.verify.daemon import connection_error

    # what docker-py raises for a socket the user may not open (the text nests the OSError)
    exc = DockerException("Error while fetching server API version: "
                          "('Connection aborted.', PermissionError(13, 'Permission denied'))")
    error = connection_error(exc, "unix:///var/run/docker.sock")
    assert str(error).startswith("permission denied on the Docker socket (unix:///var/run/docker.sock)")


def test_missing_dockerfile_and_context_are_errors(tmp_path):
    stderr = io.StringIO()
    assert run(str(tmp_path / "nope" / "Dockerfile"), stdout=io.StringIO(), stderr=stderr) == 2
    assert stderr.getvalue().startswith("dockerlint: error: cannot read ")
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    stderr = io.StringIO()
    assert run(str(tmp_path / "Dockerfile"), context=str(tmp_path / "missing"),
               stdout=io.StringIO(), stderr=stderr) == 2
    assert "is not a directory" in stderr.getvalue()


def test_endpoint_follows_the_current_docker_context(tmp_path, monkeypatch):
    import hashlib
    import json

    from dockerlint.verify.daemon import endpoint

    meta = tmp_path / "contexts" / "meta" / hashlib.sha256(b"farm").hexdigest()
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({
        "Name": "farm", "Metadata": {},
        "Endpoints": {"docker": {"Host": "tcp://build-farm.example:2375", "SkipTLSVerify": False}},
    }))
    (tmp_path / "config.json").write_text(json.dumps({"currentContext": "farm"}))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    assert (endpoint().url, endpoint().source) == ("tcp://build-farm.example:2375", "context farm")
    monkeypatch.setenv("DOCKER_HOST", "unix:///run/other.sock")
    assert (endpoint().url, endpoint().source) == ("unix:///run/other.sock", "DOCKER_HOST")
    monkeypatch.delenv("DOCKER_HOST")
    monkeypatch.setenv("DOCKER_CONTEXT", "missing")
    with pytest.raises(VerifyError, match="missing"):
        endpoint()


def test_full_temp_disk_while_archiving_the_context(tmp_path, monkeypatch):
    import errno

    import dockerlint.verify.context_archive as context_archive

    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    real_add = context_archive._add

    def full_disk(*args, **kwargs):
        real_add(*args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(context_archive, "_add", full_disk)
    with pytest.raises(VerifyError, match="^out of disk space writing the build context archive"):
        make_archive(str(tmp_path), str(tmp_path / "Dockerfile"))


def test_daemon_lost_in_the_middle_of_a_run_is_one_line(tmp_path, monkeypatch):
    import requests

    import dockerlint.verify.command as command

    def lost(*args, **kwargs):
        raise requests.exceptions.ConnectionError("('Connection aborted.', RemoteDisconnected('Remote end\nclosed'))")

    monkeypatch.setattr(command, "verify", lost)
    stderr = io.StringIO()
    assert run(str(tmp_path / "Dockerfile"), stdout=io.StringIO(), stderr=stderr) == 2
    assert stderr.getvalue() == ("dockerlint: error: the Docker daemon failed: ('Connection aborted.', "
                                 "RemoteDisconnected('Remote end closed'))\n")


def test_ctrl_c_during_cleanup_is_held_until_everything_is_removed():
    import signal

    i = _ids("a", "b", "c")
    api = FakeApi({i["a"]: ""})
    tracker = ResourceTracker(SimpleNamespace(api=api))
    api.images_by_id.update({i["b"]: i["a"], i["c"]: i["a"]})
    tracker.add_image(i["b"])
    tracker.add_image(i["c"])
    real_remove = api.remove_image

    def remove_and_interrupt(image_id, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C mid-cleanup
        real_remove(image_id, **kwargs)

    api.remove_image = remove_and_interrupt
    warn = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        tracker.cleanup(warn=warn)
    assert set(api.images_by_id) == {i["a"]}
    assert warn.getvalue() == "dockerlint: removing the images of this run, please wait\n"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_stop_signal_during_cleanup_is_held_and_then_ends_the_run(signame):
    """``kill`` or a closed terminal while images are being removed: all are removed first."""
    import signal

    from dockerlint.verify.cleanup import Terminated

    signum = getattr(signal, signame)
    i = _ids("a", "b", "c")
    api = FakeApi({i["a"]: ""})
    tracker = ResourceTracker(SimpleNamespace(api=api))
    api.images_by_id.update({i["b"]: i["a"], i["c"]: i["a"]})
    tracker.add_image(i["b"])
    tracker.add_image(i["c"])
    real_remove = api.remove_image

    def remove_and_signal(image_id, **kwargs):
        os.kill(os.getpid(), signum)
        real_remove(image_id, **kwargs)

    api.remove_image = remove_and_signal
    with pytest.raises(Terminated) as raised:
        tracker.cleanup(warn=io.StringIO())
    assert raised.value.signum == signum
    assert set(api.images_by_id) == {i["a"]}
    assert signal.getsignal(signum) is signal.SIG_DFL
