"""Limits: body size (413), request rate per credential (429 + Retry-After), socket floods and too many
sockets (1008)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from circles.app import create_app
from tests.conftest import make_settings
from tests.factories import auth, create_circle, problem, seat


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url  # limits live in front of the database: one backend is enough


@pytest.fixture
def strict_client(database_url: str) -> Iterator[TestClient]:
    settings = make_settings(
        database_url,
        rate_limit_per_minute=60,
        rate_limit_burst=5,
        max_body_bytes=2048,
        socket_messages_per_second=2,
        max_sockets_per_participant=2,
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_caller_over_its_rate_gets_429_with_retry_after(
    strict_client: TestClient, app_key: str, other_app_key: str
) -> None:
    answers = [strict_client.get("/v1/circles", headers=auth(app_key)) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    limited = problem(answers[-1], 429, "rate_limited")
    assert limited["status"] == 429
    assert int(answers[-1].headers["retry-after"]) >= 1
    assert "remaining=0" in answers[-1].headers["ratelimit"]
    assert answers[0].headers["ratelimit-policy"] == "5;w=5"
    # Another credential has a bucket of its own; health checks are never limited.
    assert strict_client.get("/v1/circles", headers=auth(other_app_key)).status_code == 200
    assert strict_client.get("/livez").status_code == 200


def test_callers_without_a_credential_are_limited_by_address(strict_client: TestClient) -> None:
    statuses = [strict_client.get("/v1/circles").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_a_body_over_the_limit_is_413_and_changes_nothing(strict_client: TestClient, app_key: str) -> None:
    too_big = {"name": "x", "intention": "y" * 3000}
    problem(strict_client.post("/v1/circles", json=too_big, headers=auth(app_key)), 413, "body_too_large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it arrives
        yield b'{"name": "x", "intention": "'
        yield b"y" * 3000
        yield b'"}'

    chunked = strict_client.post(
        "/v1/circles", content=chunks(), headers={**auth(app_key), "content-type": "application/json"}
    )
    problem(chunked, 413, "body_too_large")
    assert strict_client.get("/v1/circles", headers=auth(app_key)).json()["items"] == []


def test_a_socket_that_floods_is_closed_with_1008(strict_client: TestClient, app_key: str) -> None:
    circle = create_circle(strict_client, app_key)
    member = seat(strict_client, app_key, circle["id"], "Ana")
    with strict_client.websocket_connect(f"/v1/circles/{circle['id']}/live") as socket:
        socket.send_json({"type": "auth", "token": member["token"]})
        assert socket.receive_json()["type"] == "welcome"
        for _ in range(10):
            socket.send_text("{}")
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                socket.receive_json()
        assert closed.value.code == 1008


def test_a_participant_may_hold_only_so_many_sockets(strict_client: TestClient, app_key: str) -> None:
    circle = create_circle(strict_client, app_key)
    member = seat(strict_client, app_key, circle["id"], "Ana")
    url = f"/v1/circles/{circle['id']}/live"
    with strict_client.websocket_connect(url) as first, strict_client.websocket_connect(url) as second:
        for socket in (first, second):
            socket.send_json({"type": "auth", "token": member["token"]})
            assert socket.receive_json()["type"] == "welcome"
        with strict_client.websocket_connect(url) as third:
            third.send_json({"type": "auth", "token": member["token"]})
            with pytest.raises(WebSocketDisconnect) as closed:
                third.receive_json()
            assert closed.value.code == 1008
