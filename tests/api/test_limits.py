"""Limits: body size (413), request rate per credential (429 + Retry-After), socket floods and too many
sockets (1008)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from circles.access.caller import Caller
from circles.access.principal import AppPrincipal, ParticipantPrincipal
from circles.app import create_app
from circles.limits import InFlight
from circles.talking_piece.model import Role
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


def test_invented_credentials_count_against_the_address_and_are_refused_here(
    strict_client: TestClient, app_key: str
) -> None:
    """Issue 22, item 3: each invented token used to get a bucket of its own and reach the route."""
    invented = [f"Bearer cpt_invented{n}" for n in range(3)] + ["Bearer ck_invented", "Bearer nonsense"]
    answers = [strict_client.get("/v1/circles", headers={"Authorization": value}) for value in invented]
    for answer in answers:
        problem(answer, 401, "unauthenticated")
    # the address's bucket is spent: invented, missing or real-looking, the next one is limited
    problem(strict_client.get("/v1/circles", headers={"Authorization": "Bearer cpt_another"}), 429, "rate_limited")
    problem(strict_client.get("/v1/circles"), 429, "rate_limited")
    # a credential that authenticates has a bucket of its own
    assert strict_client.get("/v1/circles", headers=auth(app_key)).status_code == 200


def test_the_spelling_of_the_scheme_buys_no_bucket_of_its_own(strict_client: TestClient, app_key: str) -> None:
    """Issue 22, item 4: `bearer`, `Bearer` and `BEARER` are one scheme, and one credential is one bucket."""
    spellings = ["bearer", "Bearer", "BEARER", "bEaReR", "Bearer", "bearer"]
    answers = [strict_client.get("/v1/circles", headers={"Authorization": f"{s} {app_key}"}) for s in spellings]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    problem(answers[-1], 429, "rate_limited")


def test_an_invented_credential_never_takes_the_writers_turn(client: TestClient, app_key: str) -> None:
    """Issue 22, item 3: on SQLite each write queues for the one writer; a write that does not authenticate is
    answered 401 before it queues, so it costs the real writers nothing."""
    database = client.app.state.database  # type: ignore[attr-defined]
    before = database.writer_turns
    for credential in ("cpt_invented", "ck_invented", "not-even-a-token"):
        headers = {"Authorization": f"Bearer {credential}"}
        problem(client.post("/v1/circles", json={"name": "x"}, headers=headers), 401, "unauthenticated")
        problem(
            client.patch("/v1/circles/00000000-0000-0000-0000-000000000000", json={}, headers=headers),
            401,
            "unauthenticated",
        )
    problem(client.post("/v1/circles", json={"name": "x"}), 401, "unauthenticated")
    assert database.writer_turns == before
    assert client.get("/v1/circles", headers=auth(app_key)).json()["items"] == []

    create_circle(client, app_key)  # a write that authenticates does take a turn: the counter counts
    assert database.writer_turns == before + 1


def test_requests_in_flight_are_bounded_per_credential_and_per_app() -> None:
    in_flight = InFlight(per_credential=2, per_app=3)
    app_id = uuid.uuid4()
    key = Caller(principal=AppPrincipal(app_id=app_id), credential_hash="k")
    token = Caller(
        principal=ParticipantPrincipal(
            participant_id=uuid.uuid4(), circle_id=uuid.uuid4(), app_id=app_id, role=Role.MEMBER
        ),
        credential_hash="t",
    )
    stranger = Caller(principal=AppPrincipal(app_id=uuid.uuid4()), credential_hash="s")
    with ExitStack() as held:
        assert [held.enter_context(in_flight.enter(key)) for _ in range(3)] == [True, True, False]  # per credential
        assert held.enter_context(in_flight.enter(token)) is True
        assert held.enter_context(in_flight.enter(token)) is False  # the app has 3 in flight
        assert held.enter_context(in_flight.enter(stranger)) is True  # another app is not held back
    assert in_flight.count("credential:k") == 0 and in_flight.count(f"app:{app_id}") == 0
    with in_flight.enter(key) as admitted:  # all given back
        assert admitted
