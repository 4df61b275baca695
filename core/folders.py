"""Folders written whole: built under a staging name beside their target, then renamed into
place, so a crash mid-build never leaves half an index or half a model where it is read.

Used by the BM25 index, the vector index and the model build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def staging(target: Path) -> Path:
    """A new empty folder beside ``target`` on the same file system (so the final rename is
    atomic). Staging folders a killed build left behind are removed first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{target.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-"))


def swap_in(built: Path, target: Path) -> None:
    """Put the folder ``built`` where ``target`` is, replacing it; the old one is deleted."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(built, target)
    shutil.rmtree(old, ignore_errors=True)
