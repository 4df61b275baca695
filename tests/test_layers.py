"""The architecture holds: imports run one way through the layers (.importlinter), and the
shells (cli.py, commands/, app.py, views/) write no SQL and join no index paths."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import ROOT

LAYERS = ("core", "ingest", "models", "store", "query", "present", "commands", "views")
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache"], cwd=tree, capture_output=True, text=True,
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}, timeout=120)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """The layer packages' sources and the contract, copied: a probe may then add a file."""
    copy = tmp_path_factory.mktemp("tree")
    shutil.copy(ROOT / ".importlinter", copy)
    for package in LAYERS:
        shutil.copytree(ROOT / package, copy / package,
                        ignore=shutil.ignore_patterns("__pycache__", "cache"))
    return copy


def test_the_layers_contract_is_kept(tree):
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "imports"), [
    ("core/probe.py", "from store.catalog import Catalog"),  # foundation reaching up
    ("ingest/probe.py", "from store import bm25"),  # what ingest/batch.py once did
    ("store/probe.py", "from query.lexical import build_query"),  # catalog → FTS query side
    ("query/probe.py", "import commands"),  # a verb reaching into the CLI
])
def test_a_back_arrow_breaks_the_contract(tree, module, imports):
    probe = tree / module
    probe.write_text(imports + "\n", encoding="utf-8")
    try:
        result = _lint(tree)
    finally:
        probe.unlink()
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and module.replace("/", ".")[:-3] in result.stdout


SHELLS = [ROOT / "cli.py", ROOT / "app.py", *sorted((ROOT / "commands").glob("*.py")),
          *sorted((ROOT / "views").glob("*.py"))]
# What only the store may know: SQL, and where the catalog and indexes lie on disk.
_STORE_KNOWLEDGE = re.compile(
    r"\.execute\(|\bSELECT\b|\bsqlite3\b|catalog\.sqlite|manifest\.json|[\"']dense[\"']|"
    r"[\"']bm25[\"']")


@pytest.mark.parametrize("shell", SHELLS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shells_write_no_sql_and_join_no_index_paths(shell):
    found = [line.strip() for line in shell.read_text(encoding="utf-8").splitlines()
             if _STORE_KNOWLEDGE.search(line)]
    assert found == []
