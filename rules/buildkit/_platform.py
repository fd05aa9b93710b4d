"""Platform strings as containerd's ``platforms.Parse`` reads them (the parts BuildKit's checks use)."""
from __future__ import annotations

from typing import NamedTuple

# containerd/platforms: known operating systems and the architecture spellings it normalizes.
KNOWN_OS = frozenset({
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl",
    "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
})
_ARCH_ALIASES = {"x86_64": "amd64", "x86-64": "amd64", "aarch64": "arm64", "armhf": "arm", "armel": "arm",
                 "i386": "386", "i686": "386"}
KNOWN_ARCH = frozenset({
    "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64",
    "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x",
    "sparc", "sparc64", "wasm",
}) | frozenset(_ARCH_ALIASES)


class Platform(NamedTuple):
    os: str
    architecture: str
    variant: str = ""

    def __str__(self) -> str:
        return "/".join(p for p in (self.os, self.architecture, self.variant) if p)


def parse_platform(text: str, host_os: str = "linux", host_arch: str = "amd64") -> Platform | None:
    """``linux/arm64/v8`` -> Platform; None when containerd would refuse it."""
    parts = text.strip().lower().split("/")
    if not parts or not all(parts) or len(parts) > 3:
        return None
    if len(parts) == 1:
        word = parts[0]
        if word in KNOWN_OS:
            return Platform(word, host_arch if word == host_os else "")
        if word in KNOWN_ARCH:
            return Platform(host_os, _ARCH_ALIASES.get(word, word))
        return None
    os_, arch = parts[0], parts[1]
    if os_ not in KNOWN_OS or arch not in KNOWN_ARCH:
        return None
    return Platform(os_, _ARCH_ALIASES.get(arch, arch), parts[2] if len(parts) == 3 else "")
