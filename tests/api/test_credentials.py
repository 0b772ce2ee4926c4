"""Keys and tokens: rotate and revoke; a revoked credential stops working at once, its sockets included."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from circles.app import create_app
from circles.cli import main as cli
from tests.conftest import make_settings
from tests.factories import auth, create_circle, ok, problem, seat


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database_url, credential_check_seconds=0.2))) as test_client:
        yield test_client


@contextmanager
def _follow(client: TestClient, circle_id: str, credential: str) -> Iterator[WebSocketTestSession]:
    with client.websocket_connect(f"/v1/circles/{circle_id}/live") as socket:
        socket.send_json({"type": "auth", "token": credential})
        assert socket.receive_json()["type"] == "welcome"
        assert socket.receive_json()["type"] == "snapshot"
        yield socket


def _closed_with(socket: WebSocketTestSession) -> int:
    with pytest.raises(WebSocketDisconnect) as closed:
        while True:
            socket.receive_json()
    return closed.value.code


def test_an_app_rotates_its_key_and_the_old_one_stops_working_at_once(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    with _follow(client, circle["id"], app_key) as old_socket:
        created = ok(client.post("/v1/app/keys", headers=auth(app_key)), 201)
        new_key = created["key"]
        assert new_key.startswith("ck_") and new_key != app_key
        listed = ok(client.get("/v1/app/keys", headers=auth(new_key)))["items"]
        assert len(listed) == 2 and all(set(k) == {"id", "created_at", "revoked_at"} for k in listed)
        old_id = next(k["id"] for k in listed if k["id"] != created["id"])
        assert client.delete(f"/v1/app/keys/{old_id}", headers=auth(new_key)).status_code == 204
        assert _closed_with(old_socket) == 4401
    problem(client.get("/v1/circles", headers=auth(app_key)), 401, "unauthenticated")
    assert ok(client.get(f"/v1/circles/{circle['id']}", headers=auth(new_key)))["id"] == circle["id"]
    problem(client.delete(f"/v1/app/keys/{created['id']}", headers=auth(new_key)), 409, "last_app_key")


def test_keys_are_the_apps_alone(client: TestClient, app_key: str, other_app_key: str) -> None:
    circle = create_circle(client, app_key)
    member = seat(client, app_key, circle["id"], "Ana")
    problem(client.get("/v1/app/keys", headers=auth(member["token"])), 403, "app_only")
    problem(client.post("/v1/app/keys", headers=auth(member["token"])), 403, "app_only")
    mine = ok(client.get("/v1/app/keys", headers=auth(app_key)))["items"][0]["id"]
    problem(client.delete(f"/v1/app/keys/{mine}", headers=auth(other_app_key)), 404, "app_key_not_found")
    problem(client.delete(f"/v1/app/keys/{uuid.uuid4()}", headers=auth(app_key)), 404, "app_key_not_found")


def test_a_participant_renews_their_token_and_the_old_sockets_close(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    ana = seat(client, app_key, circle["id"], "Ana")
    ben = seat(client, app_key, circle["id"], "Ben")
    url = f"/v1/circles/{circle['id']}/participants/{ana['id']}/token"
    with _follow(client, circle["id"], ana["token"]) as socket:
        problem(client.post(url, headers=auth(ben["token"])), 403, "forbidden")
        renewed = ok(client.post(url, headers=auth(ana["token"])))
        assert renewed["id"] == ana["id"] and renewed["token"] != ana["token"]
        assert _closed_with(socket) == 4401
    problem(client.get(f"/v1/circles/{circle['id']}", headers=auth(ana["token"])), 401, "unauthenticated")
    assert ok(client.get(f"/v1/circles/{circle['id']}", headers=auth(renewed["token"])))["id"] == circle["id"]
    # A keeper or the app may renew it too (the participant lost it).
    assert ok(client.post(url, headers=auth(app_key)))["token"] != renewed["token"]


def test_a_key_revoked_from_the_cli_loses_its_sockets_too(
    client: TestClient,
    app_key: str,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    circle = create_circle(client, app_key)
    monkeypatch.setenv("CIRCLES_DATABASE_URL", database_url)
    with _follow(client, circle["id"], app_key) as socket:
        assert cli(["apps", "list"]) == 0
        app_id = capsys.readouterr().out.split()[0]
        assert cli(["apps", "rotate", app_id]) == 0
        new_key = capsys.readouterr().out.strip()
        assert _closed_with(socket) == 4401  # another process revoked it: found by the periodic check
    problem(client.get("/v1/circles", headers=auth(app_key)), 401, "unauthenticated")
    assert ok(client.get("/v1/circles", headers=auth(new_key)))["items"][0]["id"] == circle["id"]
