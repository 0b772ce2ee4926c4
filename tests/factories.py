"""Small create_* helpers over the real API. They work with TestClient and httpx.Client alike."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx


def auth(credential: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {credential}"}


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def create_circle(client: httpx.Client, key: str, **fields: Any) -> dict[str, Any]:
    body = {"name": "Tuesday circle", **fields}
    return ok(client.post("/v1/circles", json=body, headers=auth(key)), 201)


def seat(client: httpx.Client, credential: str, circle_id: str, name: str, **fields: Any) -> dict[str, Any]:
    body = {"display_name": name, **fields}
    return ok(client.post(f"/v1/circles/{circle_id}/participants", json=body, headers=auth(credential)), 201)


def start_round(client: httpx.Client, credential: str, circle_id: str, **fields: Any) -> dict[str, Any]:
    return ok(client.post(f"/v1/circles/{circle_id}/rounds", json=fields, headers=auth(credential)), 201)


def finish(
    client: httpx.Client, credential: str, circle_id: str, turn_id: str, outcome: str = "spoke"
) -> httpx.Response:
    return client.post(
        f"/v1/circles/{circle_id}/turns/{turn_id}/finish", json={"outcome": outcome}, headers=auth(credential)
    )


def state(client: httpx.Client, credential: str, circle_id: str) -> dict[str, Any]:
    return ok(client.get(f"/v1/circles/{circle_id}/state", headers=auth(credential)))


def events(client: httpx.Client, credential: str, circle_id: str, after: int = 0) -> list[dict[str, Any]]:
    return ok(client.get(f"/v1/circles/{circle_id}/events", params={"after": after}, headers=auth(credential)))["items"]


def open_turn(round_: dict[str, Any]) -> dict[str, Any] | None:
    return next((t for t in round_["turns"] if t["ended_at"] is None), None)


def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    assert body["status"] == status
    return body


def seat_many(client: httpx.Client, credential: str, circle_id: str, prefix: str, count: int) -> list[int]:
    """Seat `count` people one after another (a load for concurrency tests); their status codes."""
    return [
        client.post(
            f"/v1/circles/{circle_id}/participants", json={"display_name": f"{prefix}.{i}"}, headers=auth(credential)
        ).status_code
        for i in range(count)
    ]


def finish_open_turns(client: httpx.Client, credential: str, circle_id: str, at_most: int) -> list[int]:
    """Finish whatever turn is open, up to `at_most` times, racing whoever else does; the status codes
    (200, or 409 turn_not_open when someone else got there first)."""
    codes = []
    for _ in range(at_most):
        turn = state(client, credential, circle_id)["turn"]
        if turn is None:
            break
        response = finish(client, credential, circle_id, turn["id"])
        assert response.status_code == 200 or response.json()["code"] == "turn_not_open", response.text
        codes.append(response.status_code)
    return codes


def finisher(
    credential: str, circle_id: str, turn_id: str, outcome: str = "spoke"
) -> Callable[[httpx.Client], httpx.Response]:
    """A finish of one turn, to race on whichever client it is given."""
    return lambda client: finish(client, credential, circle_id, turn_id, outcome)


def exactly_one_won(responses: list[httpx.Response]) -> httpx.Response:
    """Of racing commands on one turn, exactly one succeeded and every other got 409 turn_not_open."""
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: len(responses) - 1}, [r.text for r in responses]
    for response in responses:
        if response.status_code == 409:
            assert response.json()["code"] == "turn_not_open", response.text
    return next(r for r in responses if r.status_code == 200)
