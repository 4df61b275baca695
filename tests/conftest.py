"""Test defaults, and the seeded store most tests read.

Plumbing tests run without the embedding model (fast, and independent of whether `make` has
built it); tests that measure quality load it explicitly (tests/quality.py).
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("VANKIEN_MODEL", "/nonexistent/vankien-test-model")

from tests.seeds import Seeded, seed_store  # noqa: E402


@pytest.fixture(scope="session")
def seeded(tmp_path_factory) -> Seeded:
    """The five seeds, words only, shared by every test of a worker: read it, never change
    it (a test that changes its catalog makes its own with ``tests.seeds.seed_store``)."""
    return seed_store(tmp_path_factory)
