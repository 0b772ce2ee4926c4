"""Absence rounds through the REST API, with participants made online by real live sockets (the live test
runs the grace out on a real server process)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from tests.factories import auth, create_circle, events, finish, ok, open_turn, problem, seat, start_round, state

WAIT = 10.0


@contextmanager
def _online(client: TestClient, circle_id: str, token: str) -> Iterator[WebSocketTestSession]:
    """A live socket for `token`: its participant is online from the welcome until the block ends."""
    with client.websocket_connect(f"/v1/circles/{circle_id}/live") as socket:
        socket.send_json({"type": "auth", "token": token})
        assert socket.receive_json()["type"] == "welcome"
        assert socket.receive_json()["type"] == "snapshot"
        yield socket


def _eventually(read: Callable[[], Any], check: Callable[[Any], bool], what: str) -> Any:
    give_up = time.monotonic() + WAIT
    while True:
        value = read()
        if check(value):
            return value
        assert time.monotonic() < give_up, f"timed out waiting for {what}: {value}"
        time.sleep(0.05)


def _give(client: TestClient, credential: str, circle_id: str, round_id: str, body: dict[str, Any]):
    return client.post(f"/v1/circles/{circle_id}/rounds/{round_id}/give", json=body, headers=auth(credential))


def test_whoever_is_offline_is_passed_over_as_absent_and_keeps_their_seat(client: TestClient, app_key: str) -> None:
    circle_id = create_circle(client, app_key)["id"]
    kim = seat(client, app_key, circle_id, "Kim", role="keeper")
    ana = seat(client, app_key, circle_id, "Ana")
    ben = seat(client, app_key, circle_id, "Ben")
    with ExitStack() as sockets:
        sockets.enter_context(_online(client, circle_id, kim["token"]))
        sockets.enter_context(_online(client, circle_id, ben["token"]))
        round_ = start_round(client, app_key, circle_id, absence=True, turn_seconds=None)
        assert round_["absence"] is True
        kims = open_turn(round_)
        assert kims["participant_id"] == kim["id"] and kims["away_until"] is None

        before_log, before_state = events(client, app_key, circle_id), state(client, app_key, circle_id)
        problem(
            _give(client, app_key, circle_id, round_["id"], {"participant_id": ana["id"], "turn_id": kims["id"]}),
            409,
            "offline",
        )
        assert events(client, app_key, circle_id) == before_log, "a refusal changes nothing"
        assert {**state(client, app_key, circle_id), "server_time": None} == {**before_state, "server_time": None}

        round_ = ok(finish(client, kim["token"], circle_id, kims["id"]))
        absent = round_["turns"][1]
        assert (absent["participant_id"], absent["outcome"]) == (ana["id"], "absent")
        assert absent["started_at"] == absent["ended_at"] and absent["deadline"] is None
        assert open_turn(round_)["participant_id"] == ben["id"], "the piece moves straight on"
        ended = [e for e in events(client, app_key, circle_id) if e["name"] == "turn.ended"]
        assert ended[-1]["data"]["turn"] == absent
        seated = ok(client.get(f"/v1/circles/{circle_id}/participants", headers=auth(app_key)))["items"]
        assert ana["id"] in [p["id"] for p in seated], "they keep their seat"

        round_ = ok(finish(client, ben["token"], circle_id, open_turn(round_)["id"]))
        assert round_["status"] == "ended" and round_["end_reason"] == "completed"


def test_without_the_option_no_one_is_passed_over_for_being_offline(client: TestClient, app_key: str) -> None:
    circle_id = create_circle(client, app_key)["id"]
    kim = seat(client, app_key, circle_id, "Kim", role="keeper")
    seat(client, app_key, circle_id, "Ana")
    round_ = start_round(client, app_key, circle_id)
    assert round_["absence"] is False
    round_ = ok(finish(client, kim["token"], circle_id, open_turn(round_)["id"]))
    assert [t["outcome"] for t in round_["turns"]] == ["spoke", None], "Ana, offline, holds the piece"


def test_a_holder_whose_socket_drops_is_away_and_back_when_they_reconnect(client: TestClient, app_key: str) -> None:
    circle_id = create_circle(client, app_key)["id"]
    kim = seat(client, app_key, circle_id, "Kim", role="keeper")
    seat(client, app_key, circle_id, "Ana")

    def round_now() -> dict[str, Any]:
        return ok(client.get(f"/v1/circles/{circle_id}/rounds/{round_id}", headers=auth(app_key)))

    with _online(client, circle_id, kim["token"]):
        round_ = start_round(client, app_key, circle_id, absence=True)
        round_id, turn_id = round_["id"], open_turn(round_)["id"]
    away = _eventually(round_now, lambda r: open_turn(r)["away_until"] is not None, "turn.away")
    assert open_turn(away)["id"] == turn_id, "the piece waits for them"
    with _online(client, circle_id, kim["token"]):
        back = _eventually(round_now, lambda r: open_turn(r)["away_until"] is None, "turn.back")
        assert open_turn(back)["id"] == turn_id and open_turn(back)["deadline"] == open_turn(round_)["deadline"]
        names = [e["name"] for e in events(client, app_key, circle_id)]
        assert names.count("turn.away") == 1 and names.count("turn.back") == 1
        logged = [e for e in events(client, app_key, circle_id) if e["name"] == "turn.away"][0]["data"]["turn"]
        assert logged["away_until"] == open_turn(away)["away_until"]
