"""Airtime through the REST API: per round and per gathering, paused time excluded, metadata only."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from circles.airtime.measure import balance
from tests.factories import auth, create_circle, events, finish, ok, open_turn, problem, seat, start_round


def _seconds(later: str, earlier: str) -> float:
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds()


def _circle(client: TestClient, key: str) -> tuple[str, dict[str, dict[str, Any]]]:
    circle = create_circle(client, key)
    people = {
        name: seat(client, key, circle["id"], name, role=role)
        for name, role in [("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member")]
    }
    return circle["id"], people


def _airtime(client: TestClient, credential: str, circle_id: str, round_id: str) -> dict[str, Any]:
    return ok(client.get(f"/v1/circles/{circle_id}/rounds/{round_id}/airtime", headers=auth(credential)))


def _a_round_with_a_pause(client: TestClient, key: str, circle_id: str, people: dict[str, dict[str, Any]]) -> dict:
    """Keeper speaks; Ana's turn is paused and resumed, then she passes; the app skips Ben."""
    round_ = start_round(client, key, circle_id)
    time.sleep(0.02)
    round_ = ok(finish(client, people["Keeper"]["token"], circle_id, open_turn(round_)["id"]))
    ok(client.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/pause", headers=auth(key)))
    time.sleep(0.05)
    ok(client.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/resume", headers=auth(key)))
    round_ = ok(finish(client, people["Ana"]["token"], circle_id, open_turn(round_)["id"], "passed"))
    round_ = ok(client.post(f"/v1/circles/{circle_id}/turns/{open_turn(round_)['id']}/skip", headers=auth(key)))
    assert round_["status"] == "ended"
    return round_


def test_round_airtime_is_held_time_less_pauses_with_outcomes_and_balance(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    round_ = _a_round_with_a_pause(client, app_key, circle_id, people)
    log = events(client, app_key, circle_id)
    paused_at = next(e["at"] for e in log if e["name"] == "round.paused")
    resumed_at = next(e["at"] for e in log if e["name"] == "round.resumed")

    airtime = _airtime(client, app_key, circle_id, round_["id"])
    assert airtime["round_id"] == round_["id"] and airtime["status"] == "ended"
    expected = {}
    for turn in round_["turns"]:
        held = _seconds(turn["ended_at"], turn["started_at"])
        if turn["participant_id"] == people["Ana"]["id"]:
            held -= _seconds(resumed_at, paused_at)  # paused time is not airtime
        expected[turn["id"]] = held
    assert [(t["turn_id"], t["outcome"]) for t in airtime["turns"]] == [
        (t["id"], t["outcome"]) for t in round_["turns"]
    ]
    for turn in airtime["turns"]:
        assert turn["held_seconds"] == pytest.approx(expected[turn["turn_id"]], abs=1e-6)
    assert airtime["total_seconds"] == pytest.approx(sum(expected.values()), abs=1e-6)
    assert airtime["balance"] == pytest.approx(balance(list(expected.values())), abs=1e-9)

    by_person = {p["participant_id"]: p for p in airtime["people"]}
    assert by_person[people["Keeper"]["id"]]["outcomes"] == {"spoke": 1}
    assert by_person[people["Ana"]["id"]]["outcomes"] == {"passed": 1}
    assert by_person[people["Ben"]["id"]]["outcomes"] == {"skipped": 1}
    assert all(p["turns"] == 1 for p in airtime["people"])
    assert sum(p["share"] for p in airtime["people"]) == pytest.approx(1.0)
    held = [p["held_seconds"] for p in airtime["people"]]
    assert held == sorted(held, reverse=True)
    # Metadata only: ids, times, outcomes and figures; no names, no prompts.
    assert "display_name" not in str(airtime) and "prompt" not in airtime


def test_an_open_turn_counts_up_to_now_and_not_while_paused(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    round_ = start_round(client, app_key, circle_id)
    ok(client.post(f"/v1/circles/{circle_id}/rounds/{round_['id']}/pause", headers=auth(app_key)))
    first = _airtime(client, app_key, circle_id, round_["id"])
    time.sleep(0.05)
    again = _airtime(client, app_key, circle_id, round_["id"])
    assert first["turns"][0]["ended_at"] is None and first["turns"][0]["outcome"] is None
    assert again["turns"][0]["held_seconds"] == pytest.approx(first["turns"][0]["held_seconds"], abs=1e-6)
    assert again["balance"] in (None, 1.0)  # one person so far (None only if no time passed at all)


def test_gathering_airtime_spans_the_rounds_in_its_window(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    first = _a_round_with_a_pause(client, app_key, circle_id, people)
    second = _a_round_with_a_pause(client, app_key, circle_id, people)
    rounds = [_airtime(client, app_key, circle_id, r["id"]) for r in (first, second)]

    whole = ok(client.get(f"/v1/circles/{circle_id}/airtime", headers=auth(app_key)))
    assert [r["round_id"] for r in whole["rounds"]] == [first["id"], second["id"]]
    assert [r["balance"] for r in whole["rounds"]] == [r["balance"] for r in rounds]
    totals: dict[str, float] = {}
    for round_airtime in rounds:
        for person in round_airtime["people"]:
            totals[person["participant_id"]] = totals.get(person["participant_id"], 0.0) + person["held_seconds"]
    assert {p["participant_id"]: p["held_seconds"] for p in whole["people"]} == pytest.approx(totals)
    assert whole["balance"] == pytest.approx(balance(list(totals.values())))
    assert all(p["turns"] == 2 for p in whole["people"])
    keeper = next(p for p in whole["people"] if p["participant_id"] == people["Keeper"]["id"])
    assert keeper["outcomes"] == {"spoke": 2}

    since = datetime.fromisoformat(second["started_at"])
    later = ok(
        client.get(f"/v1/circles/{circle_id}/airtime", params={"since": since.isoformat()}, headers=auth(app_key))
    )
    assert [r["round_id"] for r in later["rounds"]] == [second["id"]]
    earlier = ok(
        client.get(f"/v1/circles/{circle_id}/airtime", params={"until": since.isoformat()}, headers=auth(app_key))
    )
    assert [r["round_id"] for r in earlier["rounds"]] == [first["id"]]
    empty = ok(
        client.get(
            f"/v1/circles/{circle_id}/airtime",
            params={"since": (since + timedelta(days=1)).isoformat()},
            headers=auth(app_key),
        )
    )
    assert empty["rounds"] == [] and empty["people"] == [] and empty["balance"] is None


def test_who_may_read_airtime_and_bad_windows(client: TestClient, app_key: str, other_app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    round_ = start_round(client, app_key, circle_id)
    round_path = f"/v1/circles/{circle_id}/rounds/{round_['id']}/airtime"
    assert ok(client.get(round_path, headers=auth(people["Keeper"]["token"])))["round_id"] == round_["id"]
    problem(client.get(round_path, headers=auth(people["Ana"]["token"])), 403, "keeper_only")
    problem(client.get(f"/v1/circles/{circle_id}/airtime", headers=auth(people["Ben"]["token"])), 403, "keeper_only")
    problem(client.get(round_path, headers=auth(other_app_key)), 404, "circle_not_found")
    problem(client.get(round_path), 401, "unauthenticated")
    missing = f"/v1/circles/{circle_id}/rounds/00000000-0000-4000-8000-000000000000/airtime"
    problem(client.get(missing, headers=auth(app_key)), 404, "round_not_found")
    window = {"since": "2026-11-24T12:00:00Z", "until": "2026-11-24T11:00:00Z"}
    problem(client.get(f"/v1/circles/{circle_id}/airtime", params=window, headers=auth(app_key)), 422, "invalid_window")
    naive = {"since": "2026-11-24T12:00:00"}
    problem(
        client.get(f"/v1/circles/{circle_id}/airtime", params=naive, headers=auth(app_key)), 422, "validation_error"
    )
