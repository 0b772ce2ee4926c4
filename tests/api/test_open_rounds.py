"""Open rounds through the REST API: hands go up, the server keeps the line, the piece goes to the first."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.factories import auth, create_circle, events, finish, ok, open_turn, problem, seat, start_round, state


def _circle(client: TestClient, key: str) -> tuple[str, dict[str, dict[str, Any]]]:
    circle = create_circle(client, key)
    people = {
        name: seat(client, key, circle["id"], name, role=role)
        for name, role in [("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"), ("Wren", "witness")]
    }
    return circle["id"], people


def _raise(client: TestClient, credential: str, circle_id: str, round_id: str) -> httpx.Response:
    return client.post(f"/v1/circles/{circle_id}/rounds/{round_id}/hands", headers=auth(credential))


def _lower(client: TestClient, credential: str, circle_id: str, round_id: str, participant_id: str) -> httpx.Response:
    return client.delete(f"/v1/circles/{circle_id}/rounds/{round_id}/hands/{participant_id}", headers=auth(credential))


def _call(client: TestClient, credential: str, circle_id: str, round_id: str, participant_id: str) -> httpx.Response:
    return client.post(
        f"/v1/circles/{circle_id}/rounds/{round_id}/hands/{participant_id}/call", headers=auth(credential)
    )


def test_hands_go_up_in_order_and_the_piece_goes_to_the_first(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    round_ = start_round(client, app_key, circle_id, kind="open", prompt="What is alive for you?")
    assert round_["kind"] == "open" and round_["starts_with"] is None
    assert open_turn(round_) is None and round_["hands"] == [] and round_["status"] == "active"

    round_ = ok(_raise(client, people["Ben"]["token"], circle_id, round_["id"]))
    assert open_turn(round_)["participant_id"] == people["Ben"]["id"], "a free piece goes to the first hand"
    ok(_raise(client, people["Ana"]["token"], circle_id, round_["id"]))
    round_ = ok(_raise(client, people["Keeper"]["token"], circle_id, round_["id"]))
    line = [people["Ana"]["id"], people["Keeper"]["id"]]
    assert round_["hands"] == line
    assert state(client, people["Wren"]["token"], circle_id)["hands"] == line, "every screen sees one line"

    round_ = ok(finish(client, people["Ben"]["token"], circle_id, open_turn(round_)["id"]))
    assert open_turn(round_)["participant_id"] == people["Ana"]["id"]
    round_ = ok(finish(client, people["Ana"]["token"], circle_id, open_turn(round_)["id"], "passed"))
    round_ = ok(finish(client, people["Keeper"]["token"], circle_id, open_turn(round_)["id"]))
    assert open_turn(round_) is None and round_["status"] == "active", "the piece waits; the round goes on"
    assert state(client, app_key, circle_id)["turn"] is None

    round_ = ok(client.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/end", headers=auth(app_key)))
    assert round_["end_reason"] == "ended"

    log = [e for e in events(client, app_key, circle_id) if e["name"].startswith(("hand.", "turn."))]
    assert [(e["name"], e["data"].get("reason")) for e in log[:4]] == [
        ("hand.raised", None),
        ("hand.lowered", "given_piece"),
        ("turn.started", None),
        ("hand.raised", None),
    ]
    assert log[0]["data"] == {
        "round_id": round_["id"],
        "participant_id": people["Ben"]["id"],
        "hands": [people["Ben"]["id"]],
    }
    assert log[1]["data"]["hands"] == []


def test_a_keeper_calls_on_a_hand_out_of_order_and_hands_come_down(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    keeper = people["Keeper"]["token"]
    round_ = start_round(client, keeper, circle_id, kind="open", starts_with=people["Keeper"]["id"])
    assert open_turn(round_)["participant_id"] == people["Keeper"]["id"]
    ok(_raise(client, people["Ana"]["token"], circle_id, round_["id"]))
    ok(_raise(client, people["Ben"]["token"], circle_id, round_["id"]))

    problem(_call(client, people["Ana"]["token"], circle_id, round_["id"], people["Ben"]["id"]), 403, "keeper_only")
    round_ = ok(_call(client, keeper, circle_id, round_["id"], people["Ben"]["id"]))
    assert round_["hands"] == [people["Ben"]["id"], people["Ana"]["id"]]
    assert open_turn(round_)["participant_id"] == people["Keeper"]["id"], "calling on a hand interrupts no one"
    called = events(client, app_key, circle_id)[-1]
    assert called["name"] == "hand.called" and called["data"]["hands"] == round_["hands"]

    problem(_lower(client, people["Ben"]["token"], circle_id, round_["id"], people["Ana"]["id"]), 403, "not_your_hand")
    assert ok(_lower(client, people["Ana"]["token"], circle_id, round_["id"], people["Ana"]["id"]), 204) is None
    lowered = events(client, app_key, circle_id)[-1]
    assert lowered["name"] == "hand.lowered"
    assert lowered["data"]["reason"] == "lowered" and lowered["data"]["hands"] == [people["Ben"]["id"]]
    ok(_lower(client, keeper, circle_id, round_["id"], people["Ben"]["id"]), 204)
    assert state(client, app_key, circle_id)["hands"] == []


def test_who_may_raise_a_hand_and_what_a_refusal_leaves_unchanged(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    sequential = start_round(client, app_key, circle_id)
    problem(_raise(client, people["Ana"]["token"], circle_id, sequential["id"]), 409, "not_an_open_round")
    ok(client.post(f"/v1/circles/{circle_id}/rounds/{sequential['id']}/end", headers=auth(app_key)))
    bad = client.post(
        f"/v1/circles/{circle_id}/rounds", json={"kind": "open", "pass_back": True}, headers=auth(app_key)
    )
    problem(bad, 422, "pass_back_is_sequential")

    round_ = start_round(client, app_key, circle_id, kind="open", starts_with=people["Ana"]["id"])
    ok(_raise(client, people["Ben"]["token"], circle_id, round_["id"]))
    before, log_before = state(client, app_key, circle_id), events(client, app_key, circle_id)

    problem(_raise(client, app_key, circle_id, round_["id"]), 403, "own_hand_only")
    problem(_raise(client, people["Wren"]["token"], circle_id, round_["id"]), 403, "witness_never_holds")
    problem(_raise(client, people["Ana"]["token"], circle_id, round_["id"]), 409, "holds_the_piece")
    problem(_raise(client, people["Ben"]["token"], circle_id, round_["id"]), 409, "hand_already_raised")
    problem(_lower(client, app_key, circle_id, round_["id"], people["Keeper"]["id"]), 409, "hand_not_raised")
    problem(_call(client, app_key, circle_id, round_["id"], people["Keeper"]["id"]), 409, "hand_not_raised")
    unknown_round = "00000000-0000-0000-0000-000000000000"
    problem(_raise(client, people["Ben"]["token"], circle_id, unknown_round), 404, "round_not_found")

    after = state(client, app_key, circle_id)
    assert {**after, "server_time": None} == {**before, "server_time": None}
    assert events(client, app_key, circle_id) == log_before


def test_leaving_takes_a_hand_down_and_ending_the_round_clears_the_line(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    round_ = start_round(client, app_key, circle_id, kind="open", starts_with=people["Keeper"]["id"])
    ok(_raise(client, people["Ana"]["token"], circle_id, round_["id"]))
    ok(_raise(client, people["Ben"]["token"], circle_id, round_["id"]))
    ok(client.delete(f"/v1/circles/{circle_id}/participants/{people['Ana']['id']}", headers=auth(app_key)), 204)
    assert state(client, app_key, circle_id)["hands"] == [people["Ben"]["id"]]
    lowered = [e for e in events(client, app_key, circle_id) if e["name"] == "hand.lowered"]
    assert lowered[-1]["data"]["reason"] == "left" and lowered[-1]["data"]["participant_id"] == people["Ana"]["id"]

    round_ = ok(client.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/end", headers=auth(app_key)))
    assert round_["hands"] == [] and state(client, app_key, circle_id)["hands"] == []
    problem(_raise(client, people["Ben"]["token"], circle_id, round_["id"]), 409, "round_ended")
