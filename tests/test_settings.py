"""Every setting is documented in the README, with its default (datasette's habit)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core import settings

README = Path("README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_setting_is_documented_with_its_default(setting):
    row = re.search(rf"^\| `{setting.name}` \| `?([^|`]*)`? \|", README, re.M)
    assert row, f"{setting.name} missing from the README settings table"
    assert row.group(1).strip() == str(setting.default)


def test_environment_overrides_with_the_default_type(monkeypatch):
    monkeypatch.setenv("VANKIEN_MAX_FILE_MB", "7")
    assert settings.get("max_file_mb") == 7
    monkeypatch.setenv("VANKIEN_DATA", "/srv/vankien")
    assert settings.get("data") == "/srv/vankien"
