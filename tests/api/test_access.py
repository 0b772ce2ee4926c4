"""Who may do what: app keys see only their own circles; tokens only their own circle; keepers keep."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from tests.factories import auth, create_circle, events, ok, open_turn, problem, seat, start_round


@pytest.fixture
def circle(client: TestClient, app_key: str) -> dict:
    circle = create_circle(client, app_key)
    people = {
        "keeper": seat(client, app_key, circle["id"], "Kim", role="keeper"),
        "member": seat(client, app_key, circle["id"], "Mo"),
        "witness": seat(client, app_key, circle["id"], "Wren", role="witness"),
    }
    return {**circle, "people": people}


def test_no_or_unknown_credential_is_401_with_a_bearer_challenge(client: TestClient, circle: dict) -> None:
    for headers in (
        {},
        auth("ck_not-a-key"),
        auth("cpt_not-a-token"),
        auth("garbage"),
        {"Authorization": "Basic eA=="},
    ):
        response = client.get(f"/v1/circles/{circle['id']}", headers=headers)
        problem(response, 401, "unauthenticated")
        assert response.headers["www-authenticate"] == "Bearer"


def test_another_apps_circle_is_404_for_every_operation(client: TestClient, circle: dict, other_app_key: str) -> None:
    cid = circle["id"]
    member_id = circle["people"]["member"]["id"]
    attempts = [
        ("GET", f"/v1/circles/{cid}", None),
        ("PATCH", f"/v1/circles/{cid}", {"name": "mine now"}),
        ("POST", f"/v1/circles/{cid}/close", None),
        ("DELETE", f"/v1/circles/{cid}", None),
        ("GET", f"/v1/circles/{cid}/participants", None),
        ("POST", f"/v1/circles/{cid}/participants", {"display_name": "Eve"}),
        ("PATCH", f"/v1/circles/{cid}/participants/{member_id}", {"display_name": "Eve"}),
        ("DELETE", f"/v1/circles/{cid}/participants/{member_id}", None),
        ("POST", f"/v1/circles/{cid}/rounds", {}),
        ("GET", f"/v1/circles/{cid}/state", None),
        ("GET", f"/v1/circles/{cid}/events", None),
    ]
    for method, path, body in attempts:
        response = client.request(method, path, json=body, headers=auth(other_app_key))
        problem(response, 404, "circle_not_found")
    assert ok(client.get("/v1/circles", headers=auth(other_app_key)))["items"] == []


def test_a_participant_sees_only_their_own_circle(client: TestClient, app_key: str, circle: dict) -> None:
    elsewhere = create_circle(client, app_key, name="Another circle")
    token = circle["people"]["keeper"]["token"]
    problem(client.get(f"/v1/circles/{elsewhere['id']}", headers=auth(token)), 404, "circle_not_found")
    problem(client.post(f"/v1/circles/{elsewhere['id']}/rounds", json={}, headers=auth(token)), 404, "circle_not_found")
    assert ok(client.get(f"/v1/circles/{circle['id']}", headers=auth(token)))["id"] == circle["id"]


def test_unknown_ids_are_404(client: TestClient, app_key: str, circle: dict) -> None:
    nobody = str(uuid.uuid4())
    problem(client.get(f"/v1/circles/{nobody}", headers=auth(app_key)), 404, "circle_not_found")
    problem(client.get(f"/v1/circles/{circle['id']}/rounds/{nobody}", headers=auth(app_key)), 404, "round_not_found")
    problem(
        client.post(
            f"/v1/circles/{circle['id']}/turns/{nobody}/finish", json={"outcome": "spoke"}, headers=auth(app_key)
        ),
        404,
        "turn_not_found",
    )
    problem(
        client.patch(
            f"/v1/circles/{circle['id']}/participants/{nobody}", json={"display_name": "X"}, headers=auth(app_key)
        ),
        404,
        "participant_not_found",
    )
    problem(client.get("/v1/nowhere", headers=auth(app_key)), 404, "not_found")


@pytest.mark.parametrize("who", ["member", "witness"])
def test_members_and_witnesses_may_not_run_keeper_actions(
    client: TestClient, app_key: str, circle: dict, who: str
) -> None:
    cid = circle["id"]
    token = circle["people"][who]["token"]
    log_before = events(client, app_key, cid)
    problem(client.post(f"/v1/circles/{cid}/rounds", json={}, headers=auth(token)), 403, "keeper_only")
    problem(client.patch(f"/v1/circles/{cid}", json={"name": "x"}, headers=auth(token)), 403, "keeper_only")
    problem(client.post(f"/v1/circles/{cid}/close", headers=auth(token)), 403, "keeper_only")
    problem(
        client.post(f"/v1/circles/{cid}/participants", json={"display_name": "Z"}, headers=auth(token)),
        403,
        "keeper_only",
    )
    problem(client.delete(f"/v1/circles/{cid}", headers=auth(token)), 403, "app_only")
    problem(client.get("/v1/circles", headers=auth(token)), 403, "app_only")
    problem(client.post("/v1/circles", json={"name": "x"}, headers=auth(token)), 403, "app_only")
    round_ = start_round(client, app_key, cid)
    turn = open_turn(round_)
    for action in ("pause", "end"):
        problem(
            client.post(f"/v1/circles/{cid}/rounds/{round_['id']}/{action}", headers=auth(token)), 403, "keeper_only"
        )
    problem(client.post(f"/v1/circles/{cid}/turns/{turn['id']}/skip", headers=auth(token)), 403, "keeper_only")
    # Nothing the refused calls tried is in the log: only the app's round.
    assert [e["name"] for e in events(client, app_key, cid)[len(log_before) :]] == ["round.started", "turn.started"]


def test_a_keeper_runs_the_circle(client: TestClient, circle: dict) -> None:
    cid = circle["id"]
    token = circle["people"]["keeper"]["token"]
    ok(client.patch(f"/v1/circles/{cid}", json={"intention": "To listen"}, headers=auth(token)))
    newcomer = seat(client, token, cid, "Nia")
    round_ = start_round(client, token, cid)
    ok(client.post(f"/v1/circles/{cid}/rounds/{round_['id']}/pause", headers=auth(token)))
    ok(client.post(f"/v1/circles/{cid}/rounds/{round_['id']}/resume", headers=auth(token)))
    assert client.delete(f"/v1/circles/{cid}/participants/{newcomer['id']}", headers=auth(token)).status_code == 204
    assert ok(client.post(f"/v1/circles/{cid}/close", headers=auth(token)))["status"] == "closed"


def test_a_participant_may_rename_only_themselves_and_not_promote_themselves(client: TestClient, circle: dict) -> None:
    cid = circle["id"]
    member = circle["people"]["member"]
    witness = circle["people"]["witness"]
    url = f"/v1/circles/{cid}/participants/{member['id']}"
    assert (
        ok(client.patch(url, json={"display_name": "Mo B."}, headers=auth(member["token"])))["display_name"] == "Mo B."
    )
    problem(client.patch(url, json={"role": "keeper"}, headers=auth(member["token"])), 403, "forbidden")
    problem(client.patch(url, json={"seat": 40}, headers=auth(member["token"])), 403, "forbidden")
    problem(client.patch(url, json={"display_name": "Not you"}, headers=auth(witness["token"])), 403, "forbidden")
    problem(
        client.patch(url, json={"circle_id": str(uuid.uuid4())}, headers=auth(member["token"])), 422, "validation_error"
    )


def test_a_participant_may_leave_but_not_remove_others(client: TestClient, circle: dict) -> None:
    cid = circle["id"]
    member, witness = circle["people"]["member"], circle["people"]["witness"]
    response = client.delete(f"/v1/circles/{cid}/participants/{witness['id']}", headers=auth(member["token"]))
    problem(response, 403, "forbidden")
    assert (
        client.delete(f"/v1/circles/{cid}/participants/{member['id']}", headers=auth(member["token"])).status_code
        == 204
    )
    problem(client.get(f"/v1/circles/{cid}", headers=auth(member["token"])), 401, "unauthenticated")
