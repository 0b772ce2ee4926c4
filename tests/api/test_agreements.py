"""Agreements through the REST API: accepted before holding the piece, asked again when they change."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.factories import auth, create_circle, events, finish, ok, open_turn, problem, seat, start_round, state

AGREEMENTS = ["What is shared here stays here", "Speak from the heart"]


def _accept(client: TestClient, person: dict[str, Any], circle_id: str, version: int, who: str | None = None):
    return client.post(
        f"/v1/circles/{circle_id}/participants/{person['id']}/agreement",
        json={"agreements_version": version},
        headers=auth(who or person["token"]),
    )


def _circle(client: TestClient, key: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    circle = create_circle(client, key, agreements=AGREEMENTS)
    assert circle["agreements_version"] == 1
    people = {
        name: seat(client, key, circle["id"], name, role=role)
        for name, role in [("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member")]
    }
    return circle, people


def test_whoever_has_not_accepted_is_passed_over_and_keeps_their_seat(client: TestClient, app_key: str) -> None:
    circle, people = _circle(client, app_key)
    circle_id = circle["id"]
    accepted = ok(_accept(client, people["Keeper"], circle_id, 1))
    assert accepted["agreed_version"] == 1 and accepted["agreed_at"] is not None
    ok(_accept(client, people["Ben"], circle_id, 1))
    agreed = events(client, app_key, circle_id)[-1]
    assert agreed["name"] == "participant.agreed"
    assert agreed["data"] == {
        "participant_id": people["Ben"]["id"],
        "agreements_version": 1,
        "agreed_at": agreed["data"]["agreed_at"],
    }

    round_ = start_round(client, app_key, circle_id)
    round_ = ok(finish(client, app_key, circle_id, open_turn(round_)["id"]))
    ana = round_["turns"][1]
    assert (ana["participant_id"], ana["outcome"]) == (people["Ana"]["id"], "not_agreed")
    assert ana["started_at"] == ana["ended_at"] and ana["deadline"] is None
    assert open_turn(round_)["participant_id"] == people["Ben"]["id"]
    assert people["Ana"]["id"] in [p["id"] for p in state(client, app_key, circle_id)["participants"]]


def test_changed_agreements_ask_again_and_a_stale_acceptance_is_409(client: TestClient, app_key: str) -> None:
    circle, people = _circle(client, app_key)
    circle_id = circle["id"]
    for name in people:
        ok(_accept(client, people[name], circle_id, 1))
    changed = ok(
        client.patch(f"/v1/circles/{circle_id}", json={"agreements": [*AGREEMENTS, "Listen"]}, headers=auth(app_key))
    )
    assert changed["agreements_version"] == 2
    same = ok(
        client.patch(f"/v1/circles/{circle_id}", json={"agreements": changed["agreements"]}, headers=auth(app_key))
    )
    assert same["agreements_version"] == 2, "setting the same agreements again asks no one again"

    before = events(client, app_key, circle_id)
    problem(_accept(client, people["Ana"], circle_id, 1), 409, "agreements_changed")
    problem(_accept(client, people["Ana"], circle_id, 2, who=people["Keeper"]["token"]), 403, "forbidden")
    assert events(client, app_key, circle_id) == before
    ok(_accept(client, people["Ana"], circle_id, 2))

    round_ = start_round(client, app_key, circle_id, starts_with=people["Ana"]["id"])
    assert open_turn(round_)["participant_id"] == people["Ana"]["id"]
    round_ = ok(finish(client, app_key, circle_id, open_turn(round_)["id"]))
    assert [t["outcome"] for t in round_["turns"]] == ["spoke", "not_agreed", "not_agreed"]
    assert round_["end_reason"] == "completed"


def test_no_hand_and_no_gift_before_accepting(client: TestClient, app_key: str) -> None:
    circle, people = _circle(client, app_key)
    circle_id = circle["id"]
    round_ = start_round(client, app_key, circle_id, kind="open")
    hands = f"/v1/circles/{circle_id}/rounds/{round_['id']}/hands"
    problem(client.post(hands, headers=auth(people["Ana"]["token"])), 409, "agreements_not_accepted")
    give = {"participant_id": people["Ana"]["id"], "turn_id": None}
    response: httpx.Response = client.post(
        f"/v1/circles/{circle_id}/rounds/{round_['id']}/give", json=give, headers=auth(app_key)
    )
    problem(response, 409, "agreements_not_accepted")
    ok(_accept(client, people["Ana"], circle_id, 1))
    round_ = ok(client.post(hands, headers=auth(people["Ana"]["token"])))
    assert open_turn(round_)["participant_id"] == people["Ana"]["id"]


def test_a_circle_without_agreements_asks_nothing(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    ana = seat(client, app_key, circle["id"], "Ana")
    round_ = start_round(client, app_key, circle["id"])
    assert open_turn(round_)["participant_id"] == ana["id"]
