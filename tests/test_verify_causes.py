"""Cause classification: each family detected, aggregated and placed on its instruction."""
from __future__ import annotations

import gzip
import io
import sys
import tarfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "verify_diff"))
from imagesynth import EPOCH, F, config, docker_save, layer, oci_layout, pyc

from dockerlint.verify.causes import CATALOGUE, classify
from dockerlint.verify.diff import diff_images

BASE = layer(F("./", type="dir"), F("./bin/", type="dir"), F("./bin/sh", b"#" * 300))
RUN = (4, 1, 4, 30, "RUN pip install -r requirements.txt")
COPY = (3, 1, 3, 20, "COPY src/ /app/")


def nested_tar(stamp: int) -> bytes:
    return layer(F("inner.txt", b"same", mtime=stamp), fmt=tarfile.USTAR_FORMAT)


def explain(layer_a: bytes, layer_b: bytes, instruction=RUN, **cfg_b):
    a = docker_save([BASE, layer_a])
    b = docker_save([BASE, layer_b], config([BASE, layer_b], **cfg_b) if cfg_b else None)
    return classify(diff_images(io.BytesIO(a), io.BytesIO(b)), {1: instruction})


def ids(causes):
    return {c.id: c.count for c in causes}


def build(stamp: int, *specs_of_stamp):
    return layer(*[spec(stamp) for spec in specs_of_stamp])


@pytest.mark.parametrize("cause_id,spec", [
    ("REPRO-MTIME-BUILD", lambda t: F("app/out.txt", b"same", mtime=t)),
    ("REPRO-PYC-TIMESTAMP", lambda t: F("app/__pycache__/m.cpython-311.pyc", pyc(t))),
    ("REPRO-PYC-CONTENT", lambda t: F("app/__pycache__/m.cpython-311.pyc",
                                      pyc(5, body=b"/tmp/pip-%d" % t))),
    ("REPRO-CACHE-PIP", lambda t: F("root/.cache/pip/http/a/b", b"%d" % t)),
    ("REPRO-CACHE-PIP", lambda t: F("root/.cache/uv/wheels/x", b"%d" % t)),
    ("REPRO-CACHE-NPM", lambda t: F("root/.npm/_cacache/index/x", b"%d" % t)),
    ("REPRO-CACHE-NPM", lambda t: F("root/.npm/_logs/debug-0.log", b"%d" % t)),
    ("REPRO-CACHE-CONDA", lambda t: F("opt/conda/pkgs/numpy-1.26.tar.bz2", b"%d" % t)),
    ("REPRO-CACHE-CONDA", lambda t: F("opt/conda/conda-meta/history", b"==> %d <==" % t)),
    ("REPRO-CACHE-ML", lambda t: F("root/.cache/huggingface/hub/x", b"%d" % t)),
    ("REPRO-CACHE-OTHER", lambda t: F("root/.wget-hsts", b"%d" % t)),
    ("REPRO-APT-CACHE", lambda t: F("var/lib/apt/lists/deb.debian.org_InRelease", b"%d" % t)),
    ("REPRO-APT-CACHE", lambda t: F("var/cache/apt/pkgcache.bin", b"%d" % t)),
    ("REPRO-LOG", lambda t: F("var/log/dpkg.log", b"%d install" % t)),
    ("REPRO-LOG", lambda t: F("srv/app/build.log", b"%d" % t)),
    ("REPRO-LDCONFIG-CACHE", lambda t: F("var/cache/ldconfig/aux-cache", b"%d" % t)),
    ("REPRO-MACHINE-ID", lambda t: F("etc/machine-id", b"%032x\n" % t)),
    ("REPRO-TMP", lambda t: F("tmp/build.tmp", b"%d" % t)),
    ("REPRO-SHADOW-DATE", lambda t: F("etc/shadow", b"me:!:%d:0:99999:7:::\n" % t)),
    ("REPRO-ARCHIVE", lambda t: F("srv/data.gz", gzip.compress(b"payload", mtime=t))),
    ("REPRO-ARCHIVE", lambda t: F("srv/bundle.tar", nested_tar(t))),
    ("REPRO-ARCHIVE", lambda t: F("srv/app.whl", b"PK\x03\x04" + b"%d" % t)),
    ("REPRO-CONTENT", lambda t: F("app/version.txt", b"built at %d" % t)),
    ("REPRO-FILE-SET", lambda t: F(f"app/out-{t}.txt", b"x")),
    ("REPRO-FILE-METADATA", lambda t: F("app/run.sh", b"x", mode=0o700 + (t % 2) * 0o55)),
    ("REPRO-WHITEOUT", lambda t: F("app/.wh.old", mtime=t)),
    ("REPRO-MOUNT-STUB", lambda t: F("proc/", type="dir", mtime=t)),
    ("REPRO-PIP-METADATA", lambda t: F("usr/lib/python3/site-packages/x-1.0.dist-info/RECORD",
                                       b"x.pyc,sha256=%d" % t)),
])
def test_each_family_is_detected(cause_id, spec):
    causes = explain(build(EPOCH + 1, spec), build(EPOCH + 2, spec))
    assert [c.id for c in causes] == [cause_id]
    (cause,) = causes
    assert cause.count == (2 if cause_id == "REPRO-FILE-SET" else 1)
    assert cause.layer == 1 and cause.location == RUN
    assert cause.fix == CATALOGUE[cause_id].fix and cause.fix


def test_mtime_only_entries_aggregate_into_one_finding_with_three_examples():
    def run_layer(t):
        return layer(F("app/", type="dir", mtime=t),
                     *[F(f"app/f{i:04d}.txt", b"same", mtime=t) for i in range(500)],
                     *[F(f"app/__pycache__/m{i}.cpython-311.pyc", pyc(t)) for i in range(12)])

    causes = explain(run_layer(EPOCH), run_layer(EPOCH + 60))
    assert ids(causes) == {"REPRO-MTIME-BUILD": 501, "REPRO-PYC-TIMESTAMP": 12}
    mtime = next(c for c in causes if c.id == "REPRO-MTIME-BUILD")
    assert mtime.examples == ("app/f0000.txt", "app/f0001.txt", "app/f0002.txt")
    assert mtime.message.startswith("501 entries differ only in their modification time")
    assert "2023-11-14T22:13:20Z vs 2023-11-14T22:14:20Z" in mtime.message
    pyc_cause = next(c for c in causes if c.id == "REPRO-PYC-TIMESTAMP")
    assert pyc_cause.message.startswith("12 entries are .pyc files")


def test_copied_files_keep_context_mtimes_but_directories_get_build_time():
    def copy_layer(t):
        return layer(F("app/", type="dir", mtime=t), F("app/main.py", b"print()", mtime=t))

    causes = explain(copy_layer(EPOCH), copy_layer(EPOCH + 5), instruction=COPY)
    assert ids(causes) == {"REPRO-MTIME-BUILD": 1, "REPRO-MTIME-CONTEXT": 1}
    assert next(c for c in causes if c.id == "REPRO-MTIME-CONTEXT").examples == ("app/main.py",)


def test_legacy_history_tells_copy_from_run_without_attribution():
    def copy_layer(t):
        return layer(F("app/main.py", b"print()", mtime=t))

    history = [{"created_by": "base"},
               {"created_by": "/bin/sh -c #(nop) COPY file:abc in /app/main.py "}]
    a = docker_save([BASE, copy_layer(EPOCH)], config([BASE, copy_layer(EPOCH)],
                                                      history=history))
    b = docker_save([BASE, copy_layer(EPOCH + 1)], config([BASE, copy_layer(EPOCH + 1)],
                                                          history=history))
    causes = classify(diff_images(io.BytesIO(a), io.BytesIO(b)))
    assert ids(causes) == {"REPRO-MTIME-CONTEXT": 1}
    assert causes[0].location is None


def test_package_drift_from_dpkg_status_and_dist_info():
    def drift_layer(version):
        status = (b"Package: libssl3\nArchitecture: amd64\nVersion: %s\n\n"
                  b"Package: bash\nArchitecture: amd64\nVersion: 5.2\n" % version.encode())
        return layer(F("var/lib/dpkg/status", status),
                     F(f"usr/lib/python3/site-packages/Numpy-{version}.dist-info/METADATA",
                       b"Name: numpy"))

    causes = explain(drift_layer("3.0.11"), drift_layer("3.0.13"))
    assert ids(causes) == {"REPRO-PACKAGE-DRIFT": 3}
    (cause,) = causes
    assert cause.details["packages"] == ["libssl3:amd64 3.0.11 -> 3.0.13",
                                         "numpy 3.0.11 -> 3.0.13"]
    assert "libssl3:amd64 3.0.11 -> 3.0.13" in cause.message


def test_dpkg_status_without_version_change_is_not_drift():
    def status_layer(extra):
        return layer(F("var/lib/dpkg/status", b"Package: a\nVersion: 1\nStatus: %s\n" % extra))

    assert ids(explain(status_layer(b"install"), status_layer(b"deinstall"))) == {
        "REPRO-CONTENT": 1}


def test_etc_is_a_mount_stub_only_when_nothing_below_it_changed():
    def stub_layer(t):
        return layer(F("etc/", type="dir", mtime=t), F("app", b"x"))

    def written_layer(t):
        return layer(F("etc/", type="dir", mtime=t), F("etc/app.conf", b"x", mtime=t))

    assert ids(explain(stub_layer(EPOCH), stub_layer(EPOCH + 1))) == {"REPRO-MOUNT-STUB": 1}
    assert ids(explain(written_layer(EPOCH), written_layer(EPOCH + 1))) == {
        "REPRO-MTIME-BUILD": 2}


def test_structure_and_order_causes():
    l1, l2 = layer(F("one", b"1")), layer(F("two", b"2"))
    a = docker_save([BASE, l1, l2])
    b = docker_save([BASE, l2, l1])
    assert "REPRO-LAYER-ORDER" in ids(classify(diff_images(io.BytesIO(a), io.BytesIO(b))))

    c = docker_save([BASE, l1])
    d = docker_save([BASE, l1, layer(F("extra", b"e"))])
    found = classify(diff_images(io.BytesIO(c), io.BytesIO(d)), {2: RUN})
    assert ids(found) == {"REPRO-LAYER-COUNT": 1, "REPRO-FILE-SET": 1,
                          "REPRO-CONFIG": 1,               # history[2].created_by: B only
                          "REPRO-CONFIG-METADATA": 1}      # history[2].created: B only
    file_set = next(x for x in found if x.id == "REPRO-FILE-SET")
    assert file_set.location == RUN and file_set.examples == ("extra",)

    e = docker_save([layer(F("x", b"1"), F("y", b"2"))])
    f = docker_save([layer(F("y", b"2"), F("x", b"1"))])
    assert ids(classify(diff_images(io.BytesIO(e), io.BytesIO(f)))) == {"REPRO-TAR-ORDER": 2}


def test_config_causes_split_metadata_from_semantic():
    same = layer(F("a", b"1"))
    causes = explain(same, same, created="2030-01-01T00:00:00Z")
    assert ids(causes) == {"REPRO-CONFIG-METADATA": 3}
    assert all(c.metadata for c in causes)

    cfg = config([BASE, same])
    cfg["config"]["Env"].append("BUILD_DATE=now")
    a = docker_save([BASE, same])
    b = docker_save([BASE, same], cfg)
    causes = classify(diff_images(io.BytesIO(a), io.BytesIO(b)))
    assert ids(causes) == {"REPRO-CONFIG": 1}
    assert causes[0].examples == ("config.Env",) and not causes[0].metadata


def test_compression_only_difference_is_metadata():
    import gzip as gz
    plain = layer(F("a", b"1" * 1000))
    a = oci_layout([gz.compress(plain, mtime=0)])
    b = oci_layout([gz.compress(plain, mtime=0, compresslevel=1)])
    (cause,) = classify(diff_images(io.BytesIO(a), io.BytesIO(b)))
    assert cause.id == "REPRO-LAYER-COMPRESSION" and cause.metadata


def test_unsafe_paths_become_an_error_cause():
    evil = layer(F("../../root/.ssh/authorized_keys", b"key"),
                 F("lib/x", type="symlink", linkname="../../../../etc"))
    a = docker_save([BASE, evil])
    causes = classify(diff_images(io.BytesIO(a), io.BytesIO(a)), {1: RUN})
    (cause,) = causes
    assert cause.id == "REPRO-UNSAFE-PATH" and str(cause.severity) == "error"
    assert cause.count == 2 and cause.location == RUN
    assert "in both builds (1 link-escape, 1 parent-traversal)" in cause.message


def test_causes_are_sorted_by_layer_then_catalogue_order():
    def two(t):
        return layer(F("var/log/x.log", b"%d" % t), F("app/f", b"s", mtime=t))

    a = docker_save([BASE, two(EPOCH), two(EPOCH)])
    b = docker_save([BASE, two(EPOCH + 1), two(EPOCH + 2)], config(
        [BASE, two(EPOCH + 1), two(EPOCH + 2)], created="2030-01-01T00:00:00Z"))
    causes = classify(diff_images(io.BytesIO(a), io.BytesIO(b)))
    assert [(c.layer, c.id) for c in causes] == [
        (1, "REPRO-LOG"), (1, "REPRO-MTIME-BUILD"), (2, "REPRO-LOG"), (2, "REPRO-MTIME-BUILD"),
        (None, "REPRO-CONFIG-METADATA")]


def test_as_dict_is_json_ready():
    import json
    causes = explain(layer(F("var/log/a.log", b"1")), layer(F("var/log/a.log", b"2")))
    payload = json.loads(json.dumps([c.as_dict() for c in causes]))
    assert payload[0]["id"] == "REPRO-LOG" and payload[0]["location"] == list(RUN)


def test_equivalent_layer_is_a_tar_format_cause():
    specs = (F("a", b"1"),)
    a = docker_save([layer(*specs, fmt=tarfile.USTAR_FORMAT)])
    b = docker_save([layer(*specs, fmt=tarfile.GNU_FORMAT)])
    (cause,) = classify(diff_images(io.BytesIO(a), io.BytesIO(b)), {0: RUN})
    assert cause.id == "REPRO-TAR-FORMAT" and cause.location == RUN
    assert "every entry is equal" in cause.message


def test_directories_follow_the_cause_of_what_changed_inside_them():
    def pip_layer(t):
        return layer(F("root/", type="dir", mtime=t), F("root/.cache/", type="dir", mtime=t),
                     F("root/.cache/pip/", type="dir", mtime=t),
                     F("root/.cache/pip/x", b"%d" % t, mtime=t),
                     F("etc/", type="dir", mtime=t), F("etc/machine-id", b"%d" % t, mtime=t),
                     F("app/", type="dir", mtime=t), F("app/run.log", b"%d" % t, mtime=t),
                     F("app/out.txt", b"same", mtime=t))

    causes = explain(pip_layer(EPOCH), pip_layer(EPOCH + 1))
    assert ids(causes) == {"REPRO-CACHE-PIP": 4, "REPRO-MACHINE-ID": 2, "REPRO-LOG": 1,
                           "REPRO-MTIME-BUILD": 2}          # app/ has mixed children
    assert next(c for c in causes if c.id == "REPRO-MTIME-BUILD").examples == (
        "app/out.txt", "app")


def test_conda_package_drift():
    def conda_layer(version):
        return layer(F(f"opt/conda/conda-meta/numpy-{version}-py311h64a7726_0.json", b"{}"),
                     F("opt/conda/conda-meta/python-3.11.7-h955ad1f_0.json", b"{}"))

    (cause,) = explain(conda_layer("1.26.3"), conda_layer("1.26.4"))
    assert cause.id == "REPRO-PACKAGE-DRIFT" and cause.count == 2
    assert cause.details["packages"] == ["numpy 1.26.3 -> 1.26.4"]


def test_tarball_made_during_the_build_is_explained_as_member_timestamps():
    def bundle_layer(t):
        inner = layer(F("payload.txt", b"same payload", mtime=t), compress="gzip")
        return layer(F("opt/data/bundle.tar.gz", inner, mtime=EPOCH))

    (cause,) = explain(bundle_layer(EPOCH + 1), bundle_layer(EPOCH + 2))
    assert cause.id == "REPRO-ARCHIVE"
    assert "same members, only their timestamps or order differ" in cause.message
    assert cause.details["same_members"] == 1


def test_gzip_whose_only_difference_is_the_header_mtime():
    def gz_layer(t):
        return layer(F("srv/data.gz", gzip.compress(b"payload", mtime=t), mtime=EPOCH))

    (cause,) = explain(gz_layer(1), gz_layer(2))
    assert "only the gzip header mtime differs: 1 vs 2" in cause.message


def test_directories_holding_the_files_are_counted_apart_in_the_message():
    def pyc_layer(t):
        return layer(F("app/__pycache__/", type="dir", mtime=t),
                     F("app/__pycache__/a.cpython-311.pyc", pyc(t), mtime=t))

    (cause,) = explain(pyc_layer(EPOCH), pyc_layer(EPOCH + 1))
    assert cause.id == "REPRO-PYC-TIMESTAMP" and cause.count == 2
    assert cause.message.startswith("1 entry is a .pyc file that differs only in the source "
                                    "mtime in its header")
    assert "; and 1 directory whose mtime changed with them" in cause.message
    assert cause.details["directories"] == 1


def test_content_cause_shows_the_start_of_small_text_files():
    def stamp_layer(minute):
        return layer(F("build-stamp.txt", b"Thu Nov 26 16:%02d:22 UTC 2026\n3f 9a\n" % minute))

    (cause,) = explain(stamp_layer(1), stamp_layer(2))
    assert cause.id == "REPRO-CONTENT"
    assert ("(build-stamp.txt: 'Thu Nov 26 16:01:22 UTC 2026…' vs "
            "'Thu Nov 26 16:02:22 UTC 2026…')") in cause.message


def test_small_logs_show_their_changed_first_line():
    def log_layer(second):
        return layer(F("var/log/dpkg.log", b"2026-11-26 16:01:%02d status installed x\n" % second))

    (cause,) = explain(log_layer(1), log_layer(2))
    assert cause.id == "REPRO-LOG"
    assert "'2026-11-26 16:01:01 status installed x' vs '2026-11-26 16:01:02" in cause.message


WORKDIR = (3, 1, 3, 14, "WORKDIR /srv/app")
COPY_FROM = (3, 1, 3, 40, "COPY --from=build /root /root")


@pytest.mark.parametrize("instruction,cause_id,spec,says", [
    (COPY, "REPRO-MTIME-BUILD", lambda t: F("app/", type="dir", mtime=t),
     "COPY creates its destination directories at build time"),
    (WORKDIR, "REPRO-MTIME-BUILD", lambda t: F("srv/app/", type="dir", mtime=t),
     "WORKDIR creates its directory at build time"),
    (COPY, "REPRO-CACHE-PIP", lambda t: F("app/.cache/pip/x", b"%d" % t),
     "It comes from the build context: keep it out with `.dockerignore`"),
    (COPY_FROM, "REPRO-LOG", lambda t: F("root/build.log", b"%d" % t),
     "`COPY --from` brings it from another stage: fix the step there"),
    (RUN, "REPRO-LOG", lambda t: F("var/log/x.log", b"%d" % t), "at the end of the same RUN"),
])
def test_the_fix_fits_the_instruction_it_is_shown_on(instruction, cause_id, spec, says):
    """A COPY or WORKDIR line used to get "… at the end of the RUN"."""
    causes = explain(build(EPOCH + 1, spec), build(EPOCH + 2, spec), instruction)
    cause = next(c for c in causes if c.id == cause_id)
    assert says in cause.fix
    if instruction is not RUN:
        assert "RUN" not in cause.fix.replace("earlier RUN", "")
