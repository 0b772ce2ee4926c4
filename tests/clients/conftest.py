"""The client libraries (clients/) against a real `circles serve` process, as an app developer uses them.

The server fixtures are the live suite's (a server process per test, on a copy of a migrated SQLite file
with two apps). The Python client is imported from its folder, as `pip install clients/python` would install
it (test_python_client.py also builds its wheel)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live.conftest import Server, StartServer, live_template, start_server  # noqa: F401 (fixtures)
from tests.webhook_receiver import Receiver, running_receiver

PYTHON_CLIENT = Path(__file__).resolve().parents[2] / "clients" / "python"
if str(PYTHON_CLIENT) not in sys.path:
    sys.path.insert(0, str(PYTHON_CLIENT))

# The server delivers webhooks to the test's receiver on 127.0.0.1 (plain http, a private address: allowed
# for development and tests only), at test speed: the same code, its waits scaled down through settings.
WEBHOOKS_ENV = {
    "CIRCLES_WEBHOOKS_ALLOW_PRIVATE": "1",
    "CIRCLES_WEBHOOKS_TIMEOUT_SECONDS": "2",
    "CIRCLES_WEBHOOKS_RETRY_BASE_SECONDS": "0.05",
    "CIRCLES_WEBHOOKS_RETRY_MAX_SECONDS": "0.2",
    "CIRCLES_WEBHOOKS_LEASE_SECONDS": "5",
    "CIRCLES_WEBHOOKS_POLL_SECONDS": "0.1",
}


@pytest.fixture
def server(start_server: StartServer) -> Server:  # noqa: F811 (the live suite's, with webhooks on)
    return start_server(env=WEBHOOKS_ENV)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real webhook receiver (tests/webhook_receiver.py): it verifies signatures with `standardwebhooks`."""
    with running_receiver() as running:
        yield running
