"""EXPOSE words as BuildKit's port parser splits them: ``[ip:][hostPort:]containerPort[/proto]``."""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from dockerlint.model.expand import UNKNOWN


class PortSpec(NamedTuple):
    raw: str  # the expanded word, as BuildKit names it in messages
    ip: str
    host_port: str
    container_port: str
    proto: str  # as written ("" when absent)


def split_port(raw: str) -> PortSpec:
    """Split like BuildKit's splitParts/splitProtoPort."""
    parts = raw.split(":")
    if len(parts) == 1:
        ip, host, container = "", "", parts[0]
    elif len(parts) == 2:
        ip, host, container = "", parts[0], parts[1]
    elif len(parts) == 3:
        ip, host, container = parts
    else:  # an IPv6 address: [::1]:80:80
        ip, host, container = ":".join(parts[:-2]), parts[-2], parts[-1]
    port, _, proto = container.partition("/")
    return PortSpec(raw, ip, host, port, proto)


def port_specs(instr) -> Iterator[PortSpec]:
    """Each fully known port word of an EXPOSE, after ARG/ENV expansion."""
    for arg in instr.syntax.args:
        value = instr.expand(arg.value)
        if value.value is None or UNKNOWN in value.text:
            continue
        for word in value.value.split():
            yield split_port(word)
