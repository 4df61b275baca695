"""``python -m tests.fault_cli ARGS…``: the real CLI, with the fake encoder in place of e5.

The fault tests kill this process at random points; the fake encoder keeps each ingest to
seconds. Everything else (argument table, library, messages) is the CLI a user runs.
"""

from __future__ import annotations

import sys

import commands
from tests.fakes import FakeEncoder

commands.encoder = lambda _quiet: FakeEncoder()

if __name__ == "__main__":
    from cli import main

    sys.exit(main(sys.argv[1:]))
