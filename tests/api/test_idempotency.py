"""Idempotency-Key: a retried POST replays the first answer and never acts twice."""

from __future__ import annotations

import threading

import httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.factories import auth, create_circle, events, ok, open_turn, problem, seat, start_round


def _with_key(credential: str, key: str) -> dict[str, str]:
    return {**auth(credential), "Idempotency-Key": key}


def test_a_retried_create_replays_the_first_answer(client: TestClient, app_key: str) -> None:
    first = client.post("/v1/circles", json={"name": "Tuesday"}, headers=_with_key(app_key, "create-1"))
    again = client.post("/v1/circles", json={"name": "Tuesday"}, headers=_with_key(app_key, "create-1"))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert [c["id"] for c in ok(client.get("/v1/circles", headers=auth(app_key)))["items"]] == [first.json()["id"]]


def test_the_same_key_for_another_request_is_refused(client: TestClient, app_key: str) -> None:
    client.post("/v1/circles", json={"name": "Tuesday"}, headers=_with_key(app_key, "k"))
    other = client.post("/v1/circles", json={"name": "Wednesday"}, headers=_with_key(app_key, "k"))
    problem(other, 422, "idempotency_key_reused")
    assert len(ok(client.get("/v1/circles", headers=auth(app_key)))["items"]) == 1


def test_keys_belong_to_the_credential_that_sent_them(client: TestClient, app_key: str, other_app_key: str) -> None:
    mine = client.post("/v1/circles", json={"name": "Mine"}, headers=_with_key(app_key, "shared"))
    theirs = client.post("/v1/circles", json={"name": "Mine"}, headers=_with_key(other_app_key, "shared"))
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_retried_finish_replays_its_200_and_ends_one_turn(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    ana = seat(client, app_key, circle["id"], "Ana")
    seat(client, app_key, circle["id"], "Ben")
    turn = open_turn(start_round(client, app_key, circle["id"]))
    url = f"/v1/circles/{circle['id']}/turns/{turn['id']}/finish"
    answers = [client.post(url, json={"outcome": "spoke"}, headers=_with_key(ana["token"], "done-1")) for _ in range(3)]
    assert {a.status_code for a in answers} == {200}
    assert answers[1].json() == answers[2].json() == answers[0].json()
    assert sum(e["name"] == "turn.ended" for e in events(client, app_key, circle["id"])) == 1
    # Without the key, the same retry is the usual 409.
    problem(client.post(url, json={"outcome": "spoke"}, headers=auth(ana["token"])), 409, "turn_not_open")


def test_a_refused_request_leaves_nothing_behind_and_may_be_retried(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    url = f"/v1/circles/{circle['id']}/rounds"
    problem(client.post(url, json={}, headers=_with_key(app_key, "round-1")), 409, "no_one_to_hold")
    seat(client, app_key, circle["id"], "Ana")
    assert client.post(url, json={}, headers=_with_key(app_key, "round-1")).status_code == 201


def test_racing_requests_with_one_key_act_once(client: TestClient, app_key: str) -> None:
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def create() -> None:
        barrier.wait()
        response = client.post("/v1/circles", json={"name": "Race"}, headers=_with_key(app_key, "race"))
        statuses.append(response.status_code)

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(statuses) == 4 and 201 in statuses and set(statuses) <= {201, 409}
    assert len(ok(client.get("/v1/circles", headers=auth(app_key)))["items"]) == 1


def test_a_malformed_key_is_422(client: TestClient, app_key: str) -> None:
    for key in ("", "x" * 201, "has space"):
        response = client.post("/v1/circles", json={"name": "x"}, headers=_with_key(app_key, key))
        problem(response, 422, "validation_error")


def test_an_answer_with_a_credential_is_never_stored_nor_replayed(
    client: TestClient, app_key: str, database_url: str
) -> None:
    circle = create_circle(client, app_key)
    url = f"/v1/circles/{circle['id']}/participants"
    first = client.post(url, json={"display_name": "Ana"}, headers=_with_key(app_key, "seat-ana"))
    assert first.status_code == 201
    again = client.post(url, json={"display_name": "Ana"}, headers=_with_key(app_key, "seat-ana"))
    problem(again, 409, "idempotency_answer_withheld")
    new_key = client.post("/v1/app/keys", headers=_with_key(app_key, "new-key"))
    assert new_key.status_code == 201
    problem(client.post("/v1/app/keys", headers=_with_key(app_key, "new-key")), 409, "idempotency_answer_withheld")
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            stored = " ".join(str(row) for row in connection.execute(sa.text("SELECT * FROM idempotency_record")))
    finally:
        engine.dispose()
    assert first.json()["token"] not in stored and new_key.json()["key"] not in stored
    assert len(ok(client.get(url, headers=auth(app_key)))["items"]) == 1  # seated once


def _accept_agreements(client: TestClient, token: str, circle: dict, participant_id: str) -> httpx.Response:
    url = f"/v1/circles/{circle['id']}/participants/{participant_id}/agreement"
    body = {"agreements_version": circle["agreements_version"]}
    return client.post(url, json=body, headers=_with_key(token, "agree-1"))


def test_a_replay_after_erasure_is_refused_and_names_no_one(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key, agreements=["We listen."])
    ana = seat(client, app_key, circle["id"], "Anastasia Q.", external_id="zoom-anastasia")
    first = _accept_agreements(client, ana["token"], circle, ana["id"])
    assert first.status_code == 200 and first.json()["display_name"] == "Anastasia Q."
    assert _accept_agreements(client, ana["token"], circle, ana["id"]).headers["idempotent-replayed"] == "true"

    url = f"/v1/circles/{circle['id']}/participants/{ana['id']}/erase"
    assert client.post(url, headers=auth(app_key)).status_code == 204
    replay = _accept_agreements(client, ana["token"], circle, ana["id"])
    problem(replay, 401, "unauthenticated")
    assert "Anastasia" not in replay.text and "zoom-anastasia" not in replay.text


def test_a_replay_after_the_circle_is_erased_acts_as_the_route_would(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key, name="Tuesday's circle")
    ana = seat(client, app_key, circle["id"], "Anastasia Q.")
    close = f"/v1/circles/{circle['id']}/close"
    assert client.post(close, headers=_with_key(app_key, "close-1")).status_code == 200
    assert client.delete(f"/v1/circles/{circle['id']}", headers=auth(app_key)).status_code == 204
    replay = client.post(close, headers=_with_key(app_key, "close-1"))
    problem(replay, 404, "circle_not_found")  # the app key still works: the route ran, and found no circle
    assert "Tuesday" not in replay.text
    problem(_accept_agreements(client, ana["token"], circle, ana["id"]), 401, "unauthenticated")


def test_a_replay_is_authenticated_first(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key, agreements=["We listen."])
    ana = seat(client, app_key, circle["id"], "Ana")
    ben = seat(client, app_key, circle["id"], "Ben")
    assert _accept_agreements(client, ana["token"], circle, ana["id"]).status_code == 200
    assert _accept_agreements(client, ben["token"], circle, ben["id"]).status_code == 200
    # Ana leaves; Ben is removed by the app: neither token authenticates any more, replay or not.
    assert (
        client.delete(f"/v1/circles/{circle['id']}/participants/{ana['id']}", headers=auth(ana["token"])).status_code
        == 204
    )
    assert (
        client.delete(f"/v1/circles/{circle['id']}/participants/{ben['id']}", headers=auth(app_key)).status_code == 204
    )
    for person in (ana, ben):
        problem(_accept_agreements(client, person["token"], circle, person["id"]), 401, "unauthenticated")

    # A revoked key: its records stay, but are never replayed to it.
    second = ok(client.post("/v1/app/keys", headers=auth(app_key)), 201)
    made = client.post("/v1/circles", json={"name": "By the second key"}, headers=_with_key(second["key"], "c-1"))
    assert made.status_code == 201
    assert client.delete(f"/v1/app/keys/{second['id']}", headers=auth(app_key)).status_code == 204
    replay = client.post("/v1/circles", json={"name": "By the second key"}, headers=_with_key(second["key"], "c-1"))
    problem(replay, 401, "unauthenticated")
    assert "By the second key" not in replay.text
    # An unknown credential, or none, with a key someone used: the route's 401, whatever the key.
    problem(
        client.post("/v1/circles", json={"name": "x"}, headers=_with_key("ck_made-up", "c-1")), 401, "unauthenticated"
    )
    no_credential = client.post("/v1/circles", json={"name": "x"}, headers={"Idempotency-Key": "c-1"})
    problem(no_credential, 401, "unauthenticated")


def test_the_scheme_is_read_as_the_routes_read_it(client: TestClient, app_key: str) -> None:
    first = client.post(
        "/v1/circles", json={"name": "T"}, headers={"Authorization": f"Bearer {app_key}", "Idempotency-Key": "s"}
    )
    again = client.post(
        "/v1/circles", json={"name": "T"}, headers={"Authorization": f"bearer {app_key}", "Idempotency-Key": "s"}
    )
    assert first.status_code == again.status_code == 201 and again.headers["idempotent-replayed"] == "true"


def test_erasing_a_participant_deletes_the_records_sent_by_them_or_about_them(
    client: TestClient, app_key: str, database_url: str
) -> None:
    circle = create_circle(client, app_key, agreements=["We listen."])
    ana = seat(client, app_key, circle["id"], "Ana")  # the app's record about her (her seat)
    ben = seat(client, app_key, circle["id"], "Ben")
    renew = f"/v1/circles/{circle['id']}/participants/{ana['id']}/token"
    assert client.post(renew, headers=_with_key(app_key, "renew-ana")).status_code == 200
    ana["token"] = client.post(renew, headers=auth(app_key)).json()["token"]
    assert _accept_agreements(client, ana["token"], circle, ana["id"]).status_code == 200  # hers
    assert _accept_agreements(client, ben["token"], circle, ben["id"]).status_code == 200  # Ben's, kept
    seat_url = f"/v1/circles/{circle['id']}/participants"
    assert (
        client.post(seat_url, json={"display_name": "Ana"}, headers=_with_key(app_key, "seat-ana")).status_code == 201
    )
    assert len(_records_naming(database_url, ana["id"])) >= 2

    assert client.post(f"{seat_url}/{ana['id']}/erase", headers=_with_key(app_key, "erase-ana")).status_code == 204
    assert _records_naming(database_url, ana["id"]) == ["erase-ana"]  # the erasure's own (no body)
    assert _accept_agreements(client, ben["token"], circle, ben["id"]).headers["idempotent-replayed"] == "true"
    again = client.post(f"{seat_url}/{ana['id']}/erase", headers=_with_key(app_key, "erase-ana"))
    assert again.status_code == 204 and again.headers["idempotent-replayed"] == "true"


def _records_naming(database_url: str, participant_id: str) -> list[str]:
    """The keys of the idempotency records sent by this participant or about them."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT key, actor_id, object_id FROM idempotency_record"),
            ).all()
    finally:
        engine.dispose()
    wanted = participant_id.replace("-", "")
    return sorted(key for key, *ids in rows if any(str(i).replace("-", "") == wanted for i in ids if i))
