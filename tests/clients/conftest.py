"""The client libraries (clients/) against a real `circles serve` process, as an app developer uses them.

The server fixtures are the live suite's (a server process per test, on a copy of a migrated SQLite file
with two apps). The Python client is imported from its folder, as `pip install clients/python` would install
it (test_python_client.py also builds its wheel)."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.live.conftest import live_template, server, start_server  # noqa: F401 (fixtures)

PYTHON_CLIENT = Path(__file__).resolve().parents[2] / "clients" / "python"
if str(PYTHON_CLIENT) not in sys.path:
    sys.path.insert(0, str(PYTHON_CLIENT))
