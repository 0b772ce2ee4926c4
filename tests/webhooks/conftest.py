from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from fastapi.testclient import TestClient

from circles.app import create_app
from tests.conftest import make_settings
from tests.webhook_receiver import Receiver, running_receiver

# Delivery at test speed: the same code, its delays scaled down through settings (never by sleeping long).
FAST = {
    "webhooks_allow_private": True,
    "webhooks_timeout_seconds": 2.0,
    "webhooks_retry_base_seconds": 0.05,
    "webhooks_retry_max_seconds": 0.2,
    "webhooks_lease_seconds": 5.0,
    "webhooks_poll_seconds": 0.1,
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Delivery runs on the embedded default and on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("migrated_postgres_url")


@pytest.fixture
def start_client(database_url: str) -> Iterator[Callable[..., TestClient]]:
    """A running app with the fast delivery settings, and any overrides."""
    with ExitStack() as stack:

        def start(**overrides: Any) -> TestClient:
            return stack.enter_context(TestClient(create_app(make_settings(database_url, **{**FAST, **overrides}))))

        yield start


@pytest.fixture
def client(start_client: Callable[..., TestClient]) -> TestClient:
    return start_client()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running
