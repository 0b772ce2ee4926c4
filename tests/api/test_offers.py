"""Offer and accept, and the moment of silence, through the REST API (no waiting: the live test lets
an offer lapse)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import auth, create_circle, events, finish, ok, open_turn, problem, seat, start_round, state


def _accept(client: TestClient, credential: str, circle_id: str, turn_id: str):
    return client.post(f"/v1/circles/{circle_id}/turns/{turn_id}/accept", headers=auth(credential))


def test_the_piece_is_offered_and_the_clock_starts_when_it_is_taken(client: TestClient, app_key: str) -> None:
    circle_id = create_circle(client, app_key)["id"]
    kim = seat(client, app_key, circle_id, "Kim", role="keeper")
    ana = seat(client, app_key, circle_id, "Ana")
    round_ = start_round(client, app_key, circle_id, offer_seconds=30, turn_seconds=120)
    assert round_["offer_seconds"] == 30 and round_["pause_seconds"] is None
    offered = open_turn(round_)
    assert offered["participant_id"] == kim["id"] and offered["accepted_at"] is None
    assert offered["deadline"] is not None, "an offer's deadline is when it lapses"

    problem(_accept(client, ana["token"], circle_id, offered["id"]), 403, "not_your_turn")
    round_ = ok(_accept(client, kim["token"], circle_id, offered["id"]))
    taken = open_turn(round_)
    assert taken["accepted_at"] is not None and taken["deadline"] > offered["deadline"]
    accepted = events(client, app_key, circle_id)[-1]
    assert accepted["name"] == "turn.accepted" and accepted["data"]["turn"] == taken

    log_before, before = events(client, app_key, circle_id), state(client, app_key, circle_id)
    problem(_accept(client, kim["token"], circle_id, offered["id"]), 409, "not_an_offer")
    assert events(client, app_key, circle_id) == log_before
    assert {**state(client, app_key, circle_id), "server_time": None} == {**before, "server_time": None}

    round_ = ok(finish(client, kim["token"], circle_id, taken["id"]))
    problem(_accept(client, app_key, circle_id, taken["id"]), 409, "turn_not_open")
    ana_offer = open_turn(round_)
    assert ana_offer["participant_id"] == ana["id"] and ana_offer["accepted_at"] is None


def test_a_moment_of_silence_comes_between_speakers(client: TestClient, app_key: str) -> None:
    circle_id = create_circle(client, app_key)["id"]
    kim = seat(client, app_key, circle_id, "Kim", role="keeper")
    ana = seat(client, app_key, circle_id, "Ana")
    round_ = start_round(client, app_key, circle_id, offer_seconds=30, pause_seconds=60)
    first = open_turn(round_)
    assert first["silent_until"] is None, "the first turn follows no one"
    round_ = ok(finish(client, kim["token"], circle_id, first["id"], "passed"))
    second = open_turn(round_)
    assert second["participant_id"] == ana["id"] and second["silent_until"] > second["started_at"]
    problem(_accept(client, ana["token"], circle_id, second["id"]), 409, "still_silent")
    ok(finish(client, ana["token"], circle_id, second["id"], "passed"))  # passing during the silence is fine


def test_offer_and_pause_are_validated(client: TestClient, app_key: str) -> None:
    circle_id = create_circle(client, app_key)["id"]
    seat(client, app_key, circle_id, "Ana")
    url = f"/v1/circles/{circle_id}/rounds"
    for body in ({"offer_seconds": 4}, {"offer_seconds": 601}, {"pause_seconds": 0}, {"pause_seconds": "a"}):
        problem(client.post(url, json=body, headers=auth(app_key)), 422, "validation_error")
    round_ = start_round(client, app_key, circle_id)
    problem(_accept(client, app_key, circle_id, open_turn(round_)["id"]), 409, "not_an_offer")
