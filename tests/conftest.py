"""Test defaults. Plumbing tests run without the embedding model (fast, and independent of
whether `make` has built it); tests that measure quality load it explicitly."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("VANKIEN_MODEL", "/nonexistent/vankien-test-model")
