"""Requests take a database slot on the event loop; /readyz says 503 when requests cannot get a connection
(issue 23): when the pool is exhausted, or a request has waited too long for a slot."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient

from circles.app import create_app
from circles.db import STARVED_AFTER_SECONDS, Database, pool_capacity
from tests.conftest import make_settings
from tests.factories import auth

GIVE_UP_SECONDS = STARVED_AFTER_SECONDS + 30.0  # only so that a broken check fails instead of hanging


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "migrated_postgres_url"))


@pytest.fixture
def served(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database_url))) as client:
        yield client


def _readiness_until(client: TestClient, status: int) -> dict[str, object]:
    give_up = time.monotonic() + GIVE_UP_SECONDS
    while (answer := client.get("/readyz")).status_code != status:
        assert time.monotonic() < give_up, f"/readyz stayed {answer.status_code}: {answer.text}"
        time.sleep(0.1)
    body: dict[str, object] = answer.json()
    return body


def test_the_pool_keeps_connections_beyond_the_request_slots(served: TestClient) -> None:
    database: Database = served.app.state.database  # type: ignore[attr-defined]
    capacity = pool_capacity(database.engine)
    assert capacity is not None and database.request_slots is not None
    assert 1 <= database.request_slots < capacity


@pytest.mark.allows_5xx(503)
def test_readyz_is_503_while_the_pool_is_exhausted(served: TestClient) -> None:
    database: Database = served.app.state.database  # type: ignore[attr-defined]
    assert served.get("/readyz").status_code == 200
    capacity = pool_capacity(database.engine)
    assert capacity is not None
    with ExitStack() as held:
        for _ in range(capacity):
            held.enter_context(database.engine.connect())
        answer = served.get("/readyz")
        assert answer.status_code == 503
        assert answer.json()["database"] is False
    assert served.get("/readyz").status_code == 200


@pytest.mark.allows_5xx(503)
def test_readyz_is_503_while_requests_wait_too_long_for_a_slot(served: TestClient, app_key: str) -> None:
    database: Database = served.app.state.database  # type: ignore[attr-defined]
    assert database.request_slots is not None
    portal = served.portal  # type: ignore[attr-defined]
    with ThreadPoolExecutor(max_workers=1) as waiting, ExitStack() as slots:
        for _ in range(database.request_slots):  # every slot taken, as a burst in the database would
            slots.enter_context(portal.wrap_async_context_manager(database.request_slot()))
        queued = waiting.submit(served.get, "/v1/circles", headers=auth(app_key))
        body = _readiness_until(served, 503)
        assert body["database"] is False
        assert not queued.done()  # it waits for a slot, on the event loop
        slots.close()
        assert queued.result(timeout=GIVE_UP_SECONDS).status_code == 200
    _readiness_until(served, 200)
