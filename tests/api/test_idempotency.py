"""Idempotency-Key: a retried POST replays the first answer and never acts twice."""

from __future__ import annotations

import threading

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
    import sqlalchemy as sa

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
