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


def _old(target: Path) -> Path:
    return target.with_name(target.name + ".old")


def current(target: Path) -> Path:
    """Where a reader finds the folder ``target``: itself, or, when a writer was killed
    between the two renames of :func:`swap_in`, the previous version it set aside."""
    old = _old(target)
    return old if not target.exists() and old.exists() else target


def recover(target: Path) -> None:
    """Undo what a killed :func:`swap_in` left: the previous version put back when the new
    one never arrived, else the set-aside one deleted. For the writer alone (a reader would
    race a swap under way)."""
    old = _old(target)
    if not old.exists():
        return
    if not target.exists():
        os.replace(old, target)
    else:
        shutil.rmtree(old)  # not ignore_errors: a half-deleted folder blocks the next swap


def swap_in(built: Path, target: Path) -> None:
    """Put the folder ``built`` where ``target`` is, replacing it; the old one is deleted.
    Killed at any point, it leaves ``target`` whole (old or new) or a state that
    :func:`current` reads and :func:`recover` repairs."""
    recover(target)
    old = _old(target)
    if target.exists():
        os.replace(target, old)
    os.replace(built, target)
    shutil.rmtree(old, ignore_errors=True)  # a leftover is removed by the next recover
