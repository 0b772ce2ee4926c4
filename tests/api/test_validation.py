"""Bad input gets a clear problem+json answer and changes nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.factories import auth, create_circle, events, ok, open_turn, problem, seat, start_round


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": ""},
        {"name": "x" * 121},
        {"name": "ok", "turn_seconds": 2},
        {"name": "ok", "turn_seconds": "soon"},
        {"name": "ok", "time_limit": "forever"},
        {"name": "ok", "agreements": "not a list"},
        {"name": "ok", "agreements": [""]},
        {"name": "ok", "agreements": ["x"] * 21},
        {"name": "ok", "owner": "me"},
        {"name": "ok", "status": "closed"},
        {"name": "ok", "app_id": "00000000-0000-0000-0000-000000000000"},
    ],
)
def test_a_malformed_or_unknown_circle_field_is_422(client: TestClient, app_key: str, body: dict) -> None:
    body_problem = problem(client.post("/v1/circles", json=body, headers=auth(app_key)), 422, "validation_error")
    assert body_problem["errors"]
    assert ok(client.get("/v1/circles", headers=auth(app_key)))["items"] == []


def test_a_body_that_is_not_json_is_422(client: TestClient, app_key: str) -> None:
    response = client.post(
        "/v1/circles", content=b"{not json", headers={**auth(app_key), "content-type": "application/json"}
    )
    problem(response, 422, "validation_error")


def test_a_path_id_that_is_not_a_uuid_is_422(client: TestClient, app_key: str) -> None:
    problem(client.get("/v1/circles/not-a-uuid", headers=auth(app_key)), 422, "validation_error")


def test_null_is_refused_for_fields_that_cannot_be_empty(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key, turn_seconds=60)
    for body in ({"name": None}, {"agreements": None}, {"time_limit": None}):
        problem(client.patch(f"/v1/circles/{circle['id']}", json=body, headers=auth(app_key)), 422, "validation_error")
    cleared = ok(client.patch(f"/v1/circles/{circle['id']}", json={"turn_seconds": None}, headers=auth(app_key)))
    assert cleared["turn_seconds"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"outcome": "skipped"},
        {"outcome": "timed_out"},
        {"outcome": "left"},
        {},
        {"outcome": "spoke", "content": "what I said"},
    ],
)
def test_a_finish_with_a_bad_outcome_is_422_and_the_turn_stays_open(
    client: TestClient, app_key: str, body: dict
) -> None:
    circle = create_circle(client, app_key)
    seat(client, app_key, circle["id"], "Ana")
    round_ = start_round(client, app_key, circle["id"])
    turn = open_turn(round_)
    response = client.post(f"/v1/circles/{circle['id']}/turns/{turn['id']}/finish", json=body, headers=auth(app_key))
    problem(response, 422, "validation_error")
    again = ok(client.get(f"/v1/circles/{circle['id']}/rounds/{round_['id']}", headers=auth(app_key)))
    assert open_turn(again)["id"] == turn["id"]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "around"},
        {"turn_seconds": 0},
        {"pass_back": "maybe"},
        {"starts_with": "someone"},
        {"prompt": "x" * 501},
        {"shuffle": True},
    ],
)
def test_a_malformed_round_is_422_and_starts_nothing(client: TestClient, app_key: str, body: dict) -> None:
    circle = create_circle(client, app_key)
    seat(client, app_key, circle["id"], "Ana")
    problem(
        client.post(f"/v1/circles/{circle['id']}/rounds", json=body, headers=auth(app_key)), 422, "validation_error"
    )
    assert [e["name"] for e in events(client, app_key, circle["id"])] == ["participant.joined"]


def test_seats_and_external_ids_are_unique_among_those_present(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    ana = seat(client, app_key, circle["id"], "Ana", seat=3, external_id="zoom-1")
    url = f"/v1/circles/{circle['id']}/participants"
    problem(client.post(url, json={"display_name": "B", "seat": 3}, headers=auth(app_key)), 409, "seat_taken")
    problem(
        client.post(url, json={"display_name": "B", "external_id": "zoom-1"}, headers=auth(app_key)),
        409,
        "external_id_taken",
    )
    bo = seat(client, app_key, circle["id"], "Bo")
    assert bo["seat"] == 4  # after the highest
    problem(client.patch(f"{url}/{bo['id']}", json={"seat": 3}, headers=auth(app_key)), 409, "seat_taken")
    assert client.delete(f"{url}/{ana['id']}", headers=auth(app_key)).status_code == 204
    again = seat(client, app_key, circle["id"], "Ana again", seat=3, external_id="zoom-1")
    assert again["seat"] == 3


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"cursor": "%%%"}, {"cursor": "WzFd"}])
def test_list_parameters_are_bounded_and_checked(client: TestClient, app_key: str, params: dict) -> None:
    response = client.get("/v1/circles", params=params, headers=auth(app_key))
    assert response.status_code == 422
    assert response.json()["code"] in {"validation_error", "invalid_cursor"}


def test_events_after_must_be_a_seq(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    url = f"/v1/circles/{circle['id']}/events"
    problem(client.get(url, params={"after": -1}, headers=auth(app_key)), 422, "validation_error")
    problem(client.get(url, params={"after": "x"}, headers=auth(app_key)), 422, "validation_error")


def test_a_closed_circle_refuses_changes_with_409(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    ana = seat(client, app_key, circle["id"], "Ana")
    start_round(client, app_key, circle["id"])
    closed = ok(client.post(f"/v1/circles/{circle['id']}/close", headers=auth(app_key)))
    assert closed["status"] == "closed" and closed["closed_at"]
    cid = circle["id"]
    log = events(client, app_key, cid)
    assert [e["name"] for e in log[-3:]] == ["turn.ended", "round.ended", "circle.closed"]
    assert log[-2]["data"]["round"]["end_reason"] == "circle_closed"
    problem(client.post(f"/v1/circles/{cid}/close", headers=auth(app_key)), 409, "circle_closed")
    problem(client.patch(f"/v1/circles/{cid}", json={"name": "x"}, headers=auth(app_key)), 409, "circle_closed")
    problem(
        client.post(f"/v1/circles/{cid}/participants", json={"display_name": "B"}, headers=auth(app_key)),
        409,
        "circle_closed",
    )
    problem(client.post(f"/v1/circles/{cid}/rounds", json={}, headers=auth(app_key)), 409, "circle_closed")
    problem(
        client.patch(f"/v1/circles/{cid}/participants/{ana['id']}", json={"display_name": "A"}, headers=auth(app_key)),
        409,
        "circle_closed",
    )
    assert events(client, app_key, cid) == log


def test_a_body_that_is_not_utf8_is_422(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    response = client.patch(
        f"/v1/circles/{circle['id']}", content=b"\x80", headers={**auth(app_key), "content-type": "application/json"}
    )
    problem(response, 422, "validation_error")


@pytest.mark.parametrize("seat_value", [False, "7", 7.5])
def test_numbers_are_numbers_not_things_that_could_be_read_as_one(
    client: TestClient, app_key: str, seat_value: object
) -> None:
    circle = create_circle(client, app_key)
    url = f"/v1/circles/{circle['id']}/participants"
    problem(
        client.post(url, json={"display_name": "A", "seat": seat_value}, headers=auth(app_key)), 422, "validation_error"
    )
    body = {"name": "x", "turn_seconds": "60"}
    problem(client.post("/v1/circles", json=body, headers=auth(app_key)), 422, "validation_error")
    problem(
        client.post(f"/v1/circles/{circle['id']}/rounds", json={"pass_back": "yes"}, headers=auth(app_key)),
        422,
        "validation_error",
    )


def test_positions_beyond_any_list_are_422_not_500(client: TestClient, app_key: str) -> None:
    import base64

    circle = create_circle(client, app_key)
    problem(
        client.get(f"/v1/circles/{circle['id']}/events", params={"after": 2**63}, headers=auth(app_key)),
        422,
        "validation_error",
    )
    huge = base64.urlsafe_b64encode(b"[1e30]").decode().rstrip("=")
    for cursor in (huge, base64.urlsafe_b64encode(str([2**64]).encode()).decode().rstrip("=")):
        response = client.get(
            f"/v1/circles/{circle['id']}/participants", params={"cursor": cursor}, headers=auth(app_key)
        )
        problem(response, 422, "invalid_cursor")


def test_a_wrong_method_names_every_allowed_one(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    response = client.put(f"/v1/circles/{circle['id']}", headers=auth(app_key))
    problem(response, 405, "method_not_allowed")
    assert {"DELETE", "GET", "PATCH"} <= {m.strip() for m in response.headers["allow"].split(",")}
    listing = client.put("/v1/circles", headers=auth(app_key))
    assert {"GET", "POST"} <= {m.strip() for m in listing.headers["allow"].split(",")}
    # without a credential that authenticates, /v1 answers 401 before it says what exists (issue 22, item 3)
    problem(client.put("/v1/circles"), 401, "unauthenticated")
