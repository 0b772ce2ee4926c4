"""The live sockets' backstop check: which of many credential hashes still authenticate, on both databases."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from circles.access.principal import STILL_VALID_BATCH, still_valid
from circles.access.secrets import hash_secret
from circles.app import create_app
from circles.db import Database
from tests.conftest import make_settings, new_app_key
from tests.factories import auth, create_circle, ok, seat


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        return request.getfixturevalue("database_url")
    return request.getfixturevalue("migrated_postgres_url")


@pytest.fixture
def app_client(any_database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(any_database_url))) as test_client:
        yield test_client


def unknown(count: int) -> list[str]:
    return [hashlib.sha256(f"nobody {n}".encode()).hexdigest() for n in range(count)]


def test_only_active_keys_and_present_participants_pass_however_many_are_asked_about(
    app_client: TestClient, any_database_url: str
) -> None:
    app_key = new_app_key(any_database_url)
    revoked_key = ok(app_client.post("/v1/app/keys", headers=auth(app_key)), 201)
    ok(app_client.delete(f"/v1/app/keys/{revoked_key['id']}", headers=auth(app_key)), 204)
    circle = create_circle(app_client, app_key)
    ana = seat(app_client, app_key, circle["id"], "Ana")
    gone = seat(app_client, app_key, circle["id"], "Gone")
    ok(app_client.delete(f"/v1/circles/{circle['id']}/participants/{gone['id']}", headers=auth(app_key)), 204)

    asked = unknown(2 * STILL_VALID_BATCH + 500)
    # One of each in a different batch, the valid ones past the first.
    asked[10] = hash_secret(revoked_key["key"])
    asked[STILL_VALID_BATCH + 10] = hash_secret(app_key)
    asked[STILL_VALID_BATCH + 20] = hash_secret(gone["token"])
    asked[-1] = hash_secret(ana["token"])
    database: Database = app_client.app.state.database  # type: ignore[attr-defined]
    with database.read_session() as session:
        assert still_valid(session, asked) == {hash_secret(app_key), hash_secret(ana["token"])}
        assert still_valid(session, []) == set()
