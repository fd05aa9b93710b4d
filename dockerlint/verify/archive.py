"""Read a ``docker save`` archive in one pass: legacy layout or OCI layout.

The outer tar is walked front to back.  Small JSON members (manifests,
configs, the OCI index) are kept; every member that is a layer is summarised
as it streams past (see :mod:`dockerlint.verify.layers`).  Which member is a
layer is only known from ``manifest.json`` / ``index.json``, which may come
*after* the layers, so members are sniffed (tar / gzip / zstd magic) and
recorded by name; the order is resolved at the end.
"""
from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from dockerlint.verify.layers import (
    BLOCK,
    HeaderLimits,
    ImageFormatError,
    LayerSummary,
    Limited,
    PathIssue,
    Reader,
    canonical_path,
    data_size,
    decompressed,
    iter_members,
    looks_like_tar,
    path_problems,
    read_layer,
    sniff_compression,
)

MAX_JSON_BYTES = 16 << 20          # one manifest / config / index
MAX_JSON_TOTAL = 64 << 20          # all of them: a hostile archive cannot fill memory
_MANIFEST_TYPES = {
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
}
_INDEX_TYPES = {
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
}


@dataclass(slots=True)
class Layer:
    """One layer of an image, in image order."""

    member: str                      # outer-tar member it was read from
    diff_id: str                     # declared in the config (rootfs.diff_ids)
    summary: LayerSummary
    created_by: str = ""             # history entry that produced it ("" if unknown)
    created: str = ""
    blob_digest: str = ""            # OCI blob digest (compressed bytes) when known


@dataclass(slots=True)
class Image:
    """An image as read from an archive: config JSON plus layer summaries."""

    layout: str                      # "docker-save" (legacy) or "oci"
    config: dict
    layers: list[Layer]
    issues: list[PathIssue] = field(default_factory=list)
    bytes_read: int = 0


def _member_path(name: str) -> str:
    return canonical_path(name)


PROGRESS_EVERY = 4 << 20


def _counting(stream, progress) -> Callable[[int], bytes]:
    """``stream.read`` that reports the bytes read so far every few MB."""
    if progress is None:
        return stream.read
    state = [0, 0]                                   # total, total at the last report

    def read(n: int) -> bytes:
        data = stream.read(n)
        state[0] += len(data)
        if state[0] - state[1] >= PROGRESS_EVERY or not data:
            state[1] = state[0]
            progress(state[0])
        return data

    return read


def read_image(stream, progress: Callable[[int], None] | None = None,
               layer_reader: Callable[[Reader], LayerSummary] = read_layer) -> Image:
    """Summarise a ``docker save`` stream (binary file-like with ``read``).

    ``progress(bytes_read)`` is called every few MB of archive read (it may
    raise to abort the read).  ``layer_reader`` reads each (uncompressed)
    layer tar; ``--dump`` passes one that writes files instead of summarising.
    Raises :class:`ImageFormatError` for anything that is not a readable image.
    """
    outer, _ = decompressed(Reader(_counting(stream, progress)))  # `docker save | gzip` too
    jsons: dict[str, object] = {}
    layers: dict[str, LayerSummary] = {}
    links: dict[str, str] = {}
    issues: list[PathIssue] = []
    json_bytes = 0
    limits = HeaderLimits()
    for member in iter_members(outer, "image archive", limits):
        name = _member_path(member.name)
        for problem, detail in path_problems(member.name, member.type, member.linkname):
            issues.append(PathIssue(None, "archive:" + member.name, problem, detail))
        size = data_size(member)
        if member.type in ("symlink", "hardlink"):
            target = member.linkname
            if member.type == "symlink":
                target = posixpath.join(posixpath.dirname(name), target)
            links[name] = canonical_path(posixpath.normpath(target))
        if member.type != "file" or size == 0:
            outer.skip(size + (-size % BLOCK), "image archive")
            continue
        head = outer.peek(min(size, BLOCK))
        body = Limited(outer, size)
        if head.lstrip()[:1] in (b"{", b"[") and size <= MAX_JSON_BYTES:
            json_bytes += size
            if json_bytes > MAX_JSON_TOTAL:
                raise ImageFormatError("image archive holds too much JSON metadata")
            try:
                jsons[name] = json.loads(body.read(size))
            except ValueError:
                pass                                  # not JSON after all: ignore
        elif sniff_compression(head) or looks_like_tar(head) or name.endswith("layer.tar"):
            try:
                reader, codec = decompressed(Reader(body.read))
                summary = layer_reader(reader)
                reader.drain()
            except ImageFormatError as exc:
                raise ImageFormatError(f"{member.name}: {exc}") from None
            summary.compression = codec
            summary.uncompressed_size = reader.consumed
            layers[name] = summary
        _skip_rest(outer, body)
        outer.skip(-size % BLOCK, "image archive")
    outer.drain()
    image = _assemble(jsons, layers, links)
    issues += [replace(i, path="archive:" + i.path) for i in limits.issues()]
    image.issues = issues + image.issues
    image.bytes_read = outer.consumed
    return image


def _skip_rest(outer: Reader, body: Limited) -> None:
    if body.remaining:
        outer.skip(body.remaining, "image archive")
        body.remaining = 0


def _resolve(name: str, links: dict[str, str]) -> str:
    seen = set()
    while name in links and name not in seen:
        seen.add(name)
        name = links[name]
    return name


def _blob(digest: str) -> str:
    algo, _, hexpart = digest.partition(":")
    return f"blobs/{algo}/{hexpart}"


def _assemble(jsons: dict, layers: dict[str, LayerSummary], links: dict[str, str]) -> Image:
    manifest = jsons.get("manifest.json")
    if isinstance(manifest, list) and manifest and isinstance(manifest[0], dict):
        entry = manifest[0]
        config_name = canonical_path(str(entry.get("Config", "")))
        layer_names = [canonical_path(str(x)) for x in entry.get("Layers") or []]
        layout = "oci" if config_name.startswith("blobs/") else "docker-save"
        blob_digests = [_digest_of(n) for n in layer_names]
    elif isinstance(jsons.get("index.json"), dict):
        oci = _oci_manifest(jsons)
        config_name = _blob(str(oci.get("config", {}).get("digest", "")))
        descriptors = oci.get("layers") or []
        layer_names = [_blob(str(d.get("digest", ""))) for d in descriptors]
        blob_digests = [str(d.get("digest", "")) for d in descriptors]
        layout = "oci"
    else:
        raise ImageFormatError("not a docker save archive: no manifest.json or index.json")
    config = jsons.get(_resolve(config_name, links))
    if not isinstance(config, dict):
        raise ImageFormatError(f"image config {config_name!r} is missing from the archive")
    diff_ids = (config.get("rootfs") or {}).get("diff_ids") or []
    history = [h for h in config.get("history") or [] if isinstance(h, dict)
               and not h.get("empty_layer")]
    result: list[Layer] = []
    issues: list[PathIssue] = []
    for i, name in enumerate(layer_names):
        summary = layers.get(_resolve(name, links))
        if summary is None:
            raise ImageFormatError(f"layer {name!r} is missing from the archive or not a tar")
        issues.extend(replace(issue, layer=i) for issue in summary.issues)
        hist = history[i] if i < len(history) and len(history) == len(layer_names) else {}
        result.append(Layer(
            member=name, diff_id=str(diff_ids[i]) if i < len(diff_ids) else "",
            summary=summary, created_by=str(hist.get("created_by", "")),
            created=str(hist.get("created", "")), blob_digest=blob_digests[i]))
    return Image(layout=layout, config=config, layers=result, issues=issues)


def _digest_of(member: str) -> str:
    parts = member.split("/")
    return f"{parts[1]}:{parts[2]}" if len(parts) == 3 and parts[0] == "blobs" else ""


def _oci_manifest(jsons: dict) -> dict:
    """Follow index.json (and nested indexes) to the first image manifest."""
    node = jsons["index.json"]
    for _ in range(8):
        candidates = [m for m in node.get("manifests") or [] if isinstance(m, dict)
                      and (m.get("annotations") or {}).get("vnd.docker.reference.type")
                      != "attestation-manifest"]
        if not candidates:
            break
        child = jsons.get(_blob(str(candidates[0].get("digest", ""))))
        if not isinstance(child, dict):
            break
        media = child.get("mediaType") or candidates[0].get("mediaType", "")
        if media in _INDEX_TYPES or "manifests" in child:
            node = child
            continue
        if media in _MANIFEST_TYPES or "layers" in child:
            return child
        break
    raise ImageFormatError("OCI layout without a readable image manifest")
