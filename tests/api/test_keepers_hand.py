"""The keeper's hand through the REST API: give the piece, speak out of turn, reorder seats, many keepers."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.factories import auth, create_circle, events, finish, ok, open_turn, problem, seat, start_round, state


def _circle(client: TestClient, key: str) -> tuple[str, dict[str, dict[str, Any]]]:
    circle = create_circle(client, key)
    people = {
        name: seat(client, key, circle["id"], name, role=role, seat=number)
        for number, (name, role) in enumerate(
            [("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"), ("Cai", "member"), ("Dee", "keeper")],
            start=1,
        )
    }
    return circle["id"], people


def _give(client: TestClient, credential: str, circle_id: str, round_: dict, to: str) -> httpx.Response:
    turn = open_turn(round_)
    body = {"participant_id": to, "turn_id": turn["id"] if turn else None}
    return client.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/give", json=body, headers=auth(credential))


def _speak(client: TestClient, credential: str, circle_id: str, round_: dict) -> httpx.Response:
    body = {"turn_id": open_turn(round_)["id"]}
    return client.post(
        f"/v1/circles/{circle_id}/rounds/{round_['id']}/out-of-turn", json=body, headers=auth(credential)
    )


def _run_out(client: TestClient, key: str, circle_id: str, round_: dict, names: dict[str, str]) -> list[str]:
    order = []
    while (turn := open_turn(round_)) is not None:
        order.append(names[turn["participant_id"]])
        round_ = ok(finish(client, key, circle_id, turn["id"]))
    assert round_["end_reason"] == "completed"
    return order


def test_a_keeper_gives_the_piece_and_the_round_goes_on_from_where_it_was(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    names = {p["id"]: n for n, p in people.items()}
    round_ = start_round(client, app_key, circle_id)
    round_ = ok(finish(client, app_key, circle_id, open_turn(round_)["id"]))  # Keeper spoke; Ana holds
    stale = round_
    round_ = ok(_give(client, people["Dee"]["token"], circle_id, round_, people["Cai"]["id"]))
    assert open_turn(round_)["participant_id"] == people["Cai"]["id"] and open_turn(round_)["how"] == "given"
    assert round_["turns"][1]["outcome"] == "skipped"

    before, log_before = state(client, app_key, circle_id), events(client, app_key, circle_id)
    problem(_give(client, app_key, circle_id, stale, people["Ben"]["id"]), 409, "turn_not_open")
    problem(_give(client, people["Ben"]["token"], circle_id, round_, people["Ben"]["id"]), 403, "keeper_only")
    problem(_give(client, app_key, circle_id, round_, people["Cai"]["id"]), 409, "already_holds")
    problem(_give(client, app_key, circle_id, round_, "00000000-0000-0000-0000-000000000000"), 422, "cannot_hold")
    assert {**state(client, app_key, circle_id), "server_time": None} == {**before, "server_time": None}
    assert events(client, app_key, circle_id) == log_before

    assert _run_out(client, app_key, circle_id, round_, names) == ["Cai", "Ben", "Dee"]


def test_a_keeper_speaks_out_of_turn_and_the_one_interrupted_gets_the_piece_back(
    client: TestClient, app_key: str
) -> None:
    circle_id, people = _circle(client, app_key)
    names = {p["id"]: n for n, p in people.items()}
    round_ = start_round(client, app_key, circle_id, starts_with=people["Ana"]["id"])
    problem(_speak(client, app_key, circle_id, round_), 403, "keepers_speak_for_themselves")
    problem(_speak(client, people["Ben"]["token"], circle_id, round_), 403, "keeper_only")
    round_ = ok(_speak(client, people["Dee"]["token"], circle_id, round_))
    assert round_["turns"][0]["outcome"] == "interrupted" and round_["returns_to"] == people["Ana"]["id"]
    assert (open_turn(round_)["participant_id"], open_turn(round_)["how"]) == (people["Dee"]["id"], "out_of_turn")
    assert state(client, app_key, circle_id)["round"]["returns_to"] == people["Ana"]["id"]

    assert _run_out(client, app_key, circle_id, round_, names) == ["Dee", "Ana", "Ben", "Cai", "Dee", "Keeper"]


def test_reordering_seats_mid_round_reorders_what_is_left(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    names = {p["id"]: n for n, p in people.items()}
    round_ = start_round(client, app_key, circle_id)
    round_ = ok(finish(client, app_key, circle_id, open_turn(round_)["id"]))  # Ana holds
    keeper = people["Keeper"]["token"]
    for name, number in [("Ben", 6), ("Dee", 3), ("Ben", 5)]:  # Dee, Cai, Ben after Ana now
        patch = client.patch(
            f"/v1/circles/{circle_id}/participants/{people[name]['id']}", json={"seat": number}, headers=auth(keeper)
        )
        ok(patch)
    round_ = ok(client.get(f"/v1/circles/{circle_id}/rounds/{round_['id']}", headers=auth(app_key)))
    assert _run_out(client, app_key, circle_id, round_, names) == ["Ana", "Dee", "Cai", "Ben"]


def test_keepers_are_made_and_unmade_mid_round(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    round_ = start_round(client, people["Dee"]["token"], circle_id)
    url = f"/v1/circles/{circle_id}/participants"

    ok(client.patch(f"{url}/{people['Dee']['id']}", json={"role": "member"}, headers=auth(people["Keeper"]["token"])))
    ok(client.patch(f"{url}/{people['Ben']['id']}", json={"role": "keeper"}, headers=auth(people["Keeper"]["token"])))
    pause = f"/v1/circles/{circle_id}/rounds/{round_['id']}/pause"
    problem(client.post(pause, headers=auth(people["Dee"]["token"])), 403, "keeper_only")
    ok(client.post(pause, headers=auth(people["Ben"]["token"])))
    roles = {p["display_name"]: p["role"] for p in state(client, app_key, circle_id)["participants"]}
    assert roles == {"Keeper": "keeper", "Ana": "member", "Ben": "keeper", "Cai": "member", "Dee": "member"}
    assert [e["name"] for e in events(client, app_key, circle_id)][-3:] == [
        "participant.updated",
        "participant.updated",
        "round.paused",
    ]
