"""The README must document every option, config key and hadolint key the code accepts."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dockerlint.commands import check_command, verify_command
from dockerlint.config.hadolint import HADOLINT_KEYS
from dockerlint.config.schema import KEYS

DOC = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def mentions(word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", DOC) is not None


@pytest.mark.parametrize("option", sorted({o for cmd in (check_command, verify_command) for p in cmd.params
                                           for o in p.opts if o.startswith("--")}))
def test_every_option_is_documented(option):
    assert mentions(option)


@pytest.mark.parametrize("key", list(KEYS))
def test_every_config_key_is_documented(key):
    assert mentions(key)


@pytest.mark.parametrize("key", sorted(HADOLINT_KEYS))
def test_every_hadolint_key_is_documented(key):
    assert mentions(key)
