"""A gathering's shape through the REST API: plan the rounds, start each with one command, read the progress."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.factories import auth, create_circle, events, ok, open_turn, problem, seat, start_round, state

PLAN = {
    "rounds": [
        {"phase": "opening", "prompt": "A breath together", "turn_seconds": None},
        {"phase": "check_in", "prompt": "How are you arriving?", "turn_seconds": 60, "pass_back": True},
        {"prompt": "What is alive for you?"},
        {"phase": "closing", "prompt": "One word to close", "time_limit": "hard", "turn_seconds": 10},
    ]
}


def _circle(client: TestClient, key: str) -> tuple[str, dict[str, dict[str, Any]]]:
    circle = create_circle(client, key, turn_seconds=120, time_limit="soft")
    people = {
        name: seat(client, key, circle["id"], name, role=role)
        for name, role in [("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member")]
    }
    return circle["id"], people


def _next(client: TestClient, credential: str, circle_id: str, **body: Any) -> Any:
    return client.post(f"/v1/circles/{circle_id}/gathering/next", json=body, headers=auth(credential))


def _end(client: TestClient, key: str, circle_id: str, round_id: str) -> None:
    ok(client.post(f"/v1/circles/{circle_id}/rounds/{round_id}/end", headers=auth(key)))


def test_a_planned_gathering_starts_each_round_with_one_command(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    keeper = people["Keeper"]["token"]
    planned = ok(client.put(f"/v1/circles/{circle_id}/gathering", json=PLAN, headers=auth(keeper)))
    assert [(r["position"], r["phase"], r["prompt"]) for r in planned["rounds"]] == [
        (0, "opening", "A breath together"),
        (1, "check_in", "How are you arriving?"),
        (2, "round", "What is alive for you?"),
        (3, "closing", "One word to close"),
    ]
    assert planned["next_position"] == 0 and all(r["round_id"] is None for r in planned["rounds"])
    assert planned["rounds"][1]["round_options"] == {"turn_seconds": 60, "pass_back": True}
    log = events(client, app_key, circle_id)
    assert log[-1]["name"] == "gathering.planned" and log[-1]["data"]["gathering"] == planned
    # Every screen sees it: in the snapshot, and readable by anyone in the circle.
    assert state(client, people["Ana"]["token"], circle_id)["gathering"] == planned
    assert ok(client.get(f"/v1/circles/{circle_id}/gathering", headers=auth(people["Ben"]["token"]))) == planned

    started = []
    for position in range(4):
        seq = state(client, app_key, circle_id)["seq"]
        advanced = ok(_next(client, keeper, circle_id, position=position), 201)
        round_ = advanced["round"]
        step = advanced["gathering"]["rounds"][position]
        assert step["round_id"] == round_["id"] and step["started_at"] == round_["started_at"]
        assert advanced["gathering"]["next_position"] == (position + 1 if position < 3 else None)
        assert round_["prompt"] == PLAN["rounds"][position]["prompt"] and round_["status"] == "active"
        new = [e["name"] for e in events(client, app_key, circle_id, after=seq)]
        assert new == ["round.started", "turn.started", "gathering.advanced"]
        started.append(round_)
        _end(client, app_key, circle_id, round_["id"])
    # The plan's options, and the circle's where the plan left them out.
    assert [(r["turn_seconds"], r["time_limit"], r["pass_back"]) for r in started] == [
        (None, "soft", False),
        (60, "soft", True),
        (120, "soft", False),
        (10, "hard", False),
    ]
    problem(_next(client, keeper, circle_id), 409, "gathering_complete")


def test_next_refuses_without_changing_anything(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    problem(_next(client, app_key, circle_id), 404, "gathering_not_found")
    problem(client.get(f"/v1/circles/{circle_id}/gathering", headers=auth(app_key)), 404, "gathering_not_found")
    ok(client.put(f"/v1/circles/{circle_id}/gathering", json=PLAN, headers=auth(app_key)))
    problem(_next(client, people["Ana"]["token"], circle_id), 403, "keeper_only")

    first = ok(_next(client, app_key, circle_id, position=0), 201)
    before = state(client, app_key, circle_id)
    # A second press while the round is on, and a press that names a position that is no longer next.
    problem(_next(client, people["Keeper"]["token"], circle_id), 409, "round_already_active")
    problem(_next(client, people["Keeper"]["token"], circle_id, position=0), 409, "not_next_planned_round")
    after = state(client, app_key, circle_id)
    assert after["seq"] == before["seq"] and after["gathering"] == before["gathering"] == first["gathering"]

    # A round started by hand is not the plan's: the plan still starts its own next one afterwards.
    _end(client, app_key, circle_id, first["round"]["id"])
    by_hand = start_round(client, app_key, circle_id, prompt="An extra round")
    problem(_next(client, app_key, circle_id), 409, "round_already_active")
    _end(client, app_key, circle_id, by_hand["id"])
    assert ok(_next(client, app_key, circle_id), 201)["round"]["prompt"] == "How are you arriving?"


def test_a_new_plan_replaces_the_current_one_and_a_closed_circle_refuses(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    old = ok(client.put(f"/v1/circles/{circle_id}/gathering", json=PLAN, headers=auth(app_key)))
    advanced = ok(_next(client, app_key, circle_id), 201)
    new = ok(
        client.put(
            f"/v1/circles/{circle_id}/gathering",
            json={"rounds": [{"phase": "check_out", "prompt": "What do you take with you?"}]},
            headers=auth(app_key),
        )
    )
    assert new["id"] != old["id"] and new["next_position"] == 0
    assert ok(client.get(f"/v1/circles/{circle_id}/gathering", headers=auth(app_key)))["id"] == new["id"]
    # The round the old plan started goes on.
    assert state(client, app_key, circle_id)["round"]["id"] == advanced["round"]["id"]
    problem(
        client.put(f"/v1/circles/{circle_id}/gathering", json=PLAN, headers=auth(people["Ana"]["token"])),
        403,
        "keeper_only",
    )
    ok(client.post(f"/v1/circles/{circle_id}/close", headers=auth(app_key)))
    problem(client.put(f"/v1/circles/{circle_id}/gathering", json=PLAN, headers=auth(app_key)), 409, "circle_closed")
    problem(_next(client, app_key, circle_id), 409, "circle_closed")


@pytest.mark.parametrize(
    "body",
    [
        {"rounds": []},
        {"rounds": [{"prompt": "x"}] * 31},
        {"rounds": [{"phase": "intermission"}]},
        {"rounds": [{"kind": "lottery"}]},
        {"rounds": [{"turn_seconds": 2}]},
        {"rounds": [{"prompt": "x" * 501}]},
        {"rounds": [{"colour": "red"}]},
        {"rounds": [{}], "name": "extra"},
        {},
    ],
)
def test_malformed_plans_are_refused(client: TestClient, app_key: str, body: dict[str, Any]) -> None:
    circle_id, _people = _circle(client, app_key)
    seq = state(client, app_key, circle_id)["seq"]
    problem(client.put(f"/v1/circles/{circle_id}/gathering", json=body, headers=auth(app_key)), 422, "validation_error")
    assert state(client, app_key, circle_id)["seq"] == seq and state(client, app_key, circle_id)["gathering"] is None


def test_a_gatherings_airtime_covers_the_rounds_it_started(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    gathering = ok(client.put(f"/v1/circles/{circle_id}/gathering", json=PLAN, headers=auth(app_key)))
    planned = []
    for _ in range(2):
        round_ = ok(_next(client, app_key, circle_id), 201)["round"]
        while (turn := open_turn(round_)) is not None:
            holder = next(p for p in people.values() if p["id"] == turn["participant_id"])
            round_ = ok(
                client.post(
                    f"/v1/circles/{circle_id}/turns/{turn['id']}/finish",
                    json={"outcome": "spoke"},
                    headers=auth(holder["token"]),
                )
            )
        planned.append(round_)
    by_hand = start_round(client, app_key, circle_id)
    _end(client, app_key, circle_id, by_hand["id"])

    path = f"/v1/circles/{circle_id}/gatherings/{gathering['id']}/airtime"
    airtime = ok(client.get(path, headers=auth(people["Keeper"]["token"])))
    assert airtime["gathering_id"] == gathering["id"] and airtime["since"] is None
    assert [r["round_id"] for r in airtime["rounds"]] == [r["id"] for r in planned]
    assert {p["participant_id"] for p in airtime["people"]} == {p["id"] for p in people.values()}
    assert all(p["outcomes"] == {"spoke": 2} and p["turns"] == 2 for p in airtime["people"])
    problem(client.get(path, headers=auth(people["Ana"]["token"])), 403, "keeper_only")
    missing = f"/v1/circles/{circle_id}/gatherings/00000000-0000-4000-8000-000000000000/airtime"
    problem(client.get(missing, headers=auth(app_key)), 404, "gathering_not_found")


def test_erasing_the_circle_erases_its_gatherings_and_support_signals(
    client: TestClient, app_key: str, database_url: str
) -> None:
    circle_id, people = _circle(client, app_key)
    gathering = ok(client.put(f"/v1/circles/{circle_id}/gathering", json=PLAN, headers=auth(app_key)))
    ok(_next(client, app_key, circle_id), 201)
    ok(client.post(f"/v1/circles/{circle_id}/support", headers=auth(people["Ana"]["token"])), 201)

    def rows() -> dict[str, int]:
        sqlite = database_url.startswith("sqlite")
        circle_key = uuid.UUID(circle_id).hex if sqlite else circle_id
        gathering_key = uuid.UUID(gathering["id"]).hex if sqlite else gathering["id"]
        engine = sa.create_engine(database_url)
        try:
            with engine.connect() as connection:
                count = connection.execute
                return {
                    "gathering": count(
                        sa.text("SELECT count(*) FROM gathering WHERE circle_id = :c"), {"c": circle_key}
                    ).scalar_one(),
                    "planned_round": count(
                        sa.text("SELECT count(*) FROM planned_round WHERE gathering_id = :g"), {"g": gathering_key}
                    ).scalar_one(),
                    "support_signal": count(
                        sa.text("SELECT count(*) FROM support_signal WHERE circle_id = :c"), {"c": circle_key}
                    ).scalar_one(),
                }
        finally:
            engine.dispose()

    assert rows() == {"gathering": 1, "planned_round": 4, "support_signal": 1}
    assert client.delete(f"/v1/circles/{circle_id}", headers=auth(app_key)).status_code == 204
    assert rows() == {"gathering": 0, "planned_round": 0, "support_signal": 0}
