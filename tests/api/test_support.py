"""Asking for support and a circle's support resources, through the REST API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import auth, create_circle, events, ok, problem, seat, state

CRISIS_LINE = {"label": "Crisis line", "text": "Call or text 988", "url": "tel:988"}
WEB_HELP = {"label": "Find a helpline", "url": "https://findahelpline.com"}


def _circle(client: TestClient, key: str, **fields: Any) -> tuple[str, dict[str, dict[str, Any]]]:
    circle = create_circle(client, key, **fields)
    people = {
        name: seat(client, key, circle["id"], name, role=role)
        for name, role in [("Keeper", "keeper"), ("Ana", "member"), ("Wren", "witness")]
    }
    return circle["id"], people


def test_support_resources_are_on_the_circle_and_in_every_snapshot(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key, support_resources=[CRISIS_LINE])
    assert ok(client.get(f"/v1/circles/{circle_id}", headers=auth(app_key)))["support_resources"] == [CRISIS_LINE]
    assert state(client, people["Ana"]["token"], circle_id)["circle"]["support_resources"] == [CRISIS_LINE]

    patched = ok(
        client.patch(
            f"/v1/circles/{circle_id}",
            json={"support_resources": [WEB_HELP, CRISIS_LINE]},
            headers=auth(people["Keeper"]["token"]),
        )
    )
    assert patched["support_resources"] == [WEB_HELP, CRISIS_LINE]
    updated = [e for e in events(client, app_key, circle_id) if e["name"] == "circle.updated"]
    assert updated[-1]["data"]["circle"]["support_resources"] == [WEB_HELP, CRISIS_LINE]
    problem(
        client.patch(f"/v1/circles/{circle_id}", json={"support_resources": []}, headers=auth(people["Ana"]["token"])),
        403,
        "keeper_only",
    )
    assert ok(client.get(f"/v1/circles/{circle_id}", headers=auth(app_key)))["support_resources"] == [
        WEB_HELP,
        CRISIS_LINE,
    ]
    # Without any: an empty list.
    assert create_circle(client, app_key)["support_resources"] == []


@pytest.mark.parametrize(
    "resources",
    [
        [{"label": "No way to reach it"}],
        [{"label": "", "text": "x"}],
        [{"label": "Script", "url": "javascript:alert(1)"}],
        [{"label": "No host", "url": "https://"}],
        [{"label": "Spaces", "url": "https://example.org/a b"}],
        [{"label": "Empty phone", "url": "tel:"}],
        [{"label": "Extra", "text": "x", "colour": "red"}],
        [{"label": "x" * 81, "text": "x"}],
        [{"label": "Long", "text": "x" * 301}],
        [CRISIS_LINE] * 11,
        None,
    ],
)
def test_malformed_support_resources_are_refused_and_change_nothing(
    client: TestClient, app_key: str, resources: Any
) -> None:
    circle_id, _people = _circle(client, app_key, support_resources=[CRISIS_LINE])
    before = state(client, app_key, circle_id)["seq"]
    response = client.patch(f"/v1/circles/{circle_id}", json={"support_resources": resources}, headers=auth(app_key))
    problem(response, 422, "validation_error")
    problem(
        client.post("/v1/circles", json={"name": "n", "support_resources": resources}, headers=auth(app_key)),
        422,
        "validation_error",
    )
    assert state(client, app_key, circle_id)["seq"] == before
    assert ok(client.get(f"/v1/circles/{circle_id}", headers=auth(app_key)))["support_resources"] == [CRISIS_LINE]


def test_asking_for_support_keeps_who_and_when_and_is_never_an_event(client: TestClient, app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    before = events(client, app_key, circle_id)
    asked = ok(client.post(f"/v1/circles/{circle_id}/support", headers=auth(people["Ana"]["token"])), 201)
    assert set(asked) == {"id", "participant_id", "at", "status", "acknowledged_at", "acknowledged_by"}
    assert asked["participant_id"] == people["Ana"]["id"]
    assert (asked["status"], asked["acknowledged_at"], asked["acknowledged_by"]) == ("pending", None, None)
    witness = ok(client.post(f"/v1/circles/{circle_id}/support", headers=auth(people["Wren"]["token"])), 201)

    assert events(client, app_key, circle_id) == before  # the log never shows it
    assert state(client, app_key, circle_id)["seq"] == before[-1]["seq"]
    listed = ok(client.get(f"/v1/circles/{circle_id}/support", headers=auth(people["Keeper"]["token"])))
    assert listed == {"items": [witness, asked], "next_cursor": None}  # newest first
    first_page = ok(client.get(f"/v1/circles/{circle_id}/support", params={"limit": 1}, headers=auth(app_key)))
    assert first_page["items"] == [witness] and first_page["next_cursor"]
    rest = ok(
        client.get(
            f"/v1/circles/{circle_id}/support",
            params={"limit": 1, "cursor": first_page["next_cursor"]},
            headers=auth(app_key),
        )
    )
    assert rest == {"items": [asked], "next_cursor": None}


def test_who_may_ask_and_who_may_see(client: TestClient, app_key: str, other_app_key: str) -> None:
    circle_id, people = _circle(client, app_key)
    path = f"/v1/circles/{circle_id}/support"
    problem(client.post(path, headers=auth(app_key)), 403, "participant_only")
    problem(client.post(path, headers=auth(other_app_key)), 404, "circle_not_found")
    problem(client.get(path, headers=auth(people["Ana"]["token"])), 403, "keeper_only")
    problem(client.get(path, headers=auth(people["Wren"]["token"])), 403, "keeper_only")
    ok(client.post(path, headers=auth(people["Keeper"]["token"])), 201)  # a keeper may need support too
    ok(client.post(f"/v1/circles/{circle_id}/close", headers=auth(app_key)))
    problem(client.post(path, headers=auth(people["Ana"]["token"])), 409, "circle_closed")
    assert len(ok(client.get(path, headers=auth(app_key)))["items"]) == 1


def _ack(client: TestClient, token: str, circle_id: str, signal_id: str) -> Any:
    return client.post(f"/v1/circles/{circle_id}/support/{signal_id}/ack", headers=auth(token))


def _listed(client: TestClient, token: str, circle_id: str, status: str | None = None) -> list[dict[str, Any]]:
    params = {"status": status} if status else {}
    items: list[dict[str, Any]] = ok(
        client.get(f"/v1/circles/{circle_id}/support", params=params, headers=auth(token))
    )["items"]
    return items


def test_a_request_is_pending_until_a_keeper_acknowledges_it_and_a_second_press_changes_nothing(
    client: TestClient, app_key: str
) -> None:
    circle_id, people = _circle(client, app_key)
    kai = seat(client, app_key, circle_id, "Kai", role="keeper")
    keeper = people["Keeper"]
    first = ok(client.post(f"/v1/circles/{circle_id}/support", headers=auth(people["Ana"]["token"])), 201)
    second = ok(client.post(f"/v1/circles/{circle_id}/support", headers=auth(people["Wren"]["token"])), 201)
    before = events(client, app_key, circle_id)
    assert [s["id"] for s in _listed(client, keeper["token"], circle_id, "pending")] == [second["id"], first["id"]]

    acked = ok(_ack(client, keeper["token"], circle_id, first["id"]))
    assert acked["id"] == first["id"] and acked["status"] == "acknowledged"
    assert acked["acknowledged_by"] == keeper["id"] and acked["acknowledged_at"] >= first["at"]
    assert (acked["participant_id"], acked["at"]) == (first["participant_id"], first["at"])
    assert [s["id"] for s in _listed(client, kai["token"], circle_id, "pending")] == [second["id"]]
    assert _listed(client, app_key, circle_id, "acknowledged") == [acked]
    assert [s["id"] for s in _listed(client, app_key, circle_id)] == [second["id"], first["id"]]

    # Kai presses too, a moment later, and the app: the first acknowledgement stands, nothing changes.
    assert ok(_ack(client, kai["token"], circle_id, first["id"])) == acked
    assert ok(_ack(client, app_key, circle_id, first["id"])) == acked
    assert _listed(client, app_key, circle_id, "acknowledged") == [acked]
    # The app acknowledges the other: by no keeper.
    by_app = ok(_ack(client, app_key, circle_id, second["id"]))
    assert (by_app["status"], by_app["acknowledged_by"]) == ("acknowledged", None) and by_app["acknowledged_at"]
    assert _listed(client, keeper["token"], circle_id, "pending") == []
    assert events(client, app_key, circle_id) == before  # never an event
    problem(
        client.get(f"/v1/circles/{circle_id}/support", params={"status": "open"}, headers=auth(app_key)),
        422,
        "validation_error",
    )


def test_only_keepers_and_the_app_may_acknowledge_and_only_a_request_of_their_circle(
    client: TestClient, app_key: str, other_app_key: str
) -> None:
    circle_id, people = _circle(client, app_key)
    other_circle_id, others = _circle(client, app_key)
    asked = ok(client.post(f"/v1/circles/{circle_id}/support", headers=auth(people["Ana"]["token"])), 201)
    elsewhere = ok(client.post(f"/v1/circles/{other_circle_id}/support", headers=auth(others["Ana"]["token"])), 201)

    problem(_ack(client, people["Ana"]["token"], circle_id, asked["id"]), 403, "keeper_only")  # not even one's own
    problem(_ack(client, people["Wren"]["token"], circle_id, asked["id"]), 403, "keeper_only")
    problem(_ack(client, other_app_key, circle_id, asked["id"]), 404, "circle_not_found")
    problem(_ack(client, others["Keeper"]["token"], circle_id, asked["id"]), 404, "circle_not_found")
    problem(_ack(client, people["Keeper"]["token"], circle_id, elsewhere["id"]), 404, "support_not_found")
    problem(_ack(client, app_key, circle_id, elsewhere["id"]), 404, "support_not_found")
    problem(_ack(client, app_key, circle_id, "00000000-0000-4000-8000-000000000000"), 404, "support_not_found")
    problem(_ack(client, app_key, circle_id, "not-an-id"), 422, "validation_error")
    problem(client.get(f"/v1/circles/{circle_id}/support", headers=auth(other_app_key)), 404, "circle_not_found")
    assert [s["status"] for s in _listed(client, app_key, circle_id)] == ["pending"]  # nothing changed
    assert [s["status"] for s in _listed(client, app_key, other_circle_id)] == ["pending"]

    # Once the circle has closed its keepers may still acknowledge what is pending (nothing else changes).
    ok(client.post(f"/v1/circles/{circle_id}/close", headers=auth(app_key)))
    assert ok(_ack(client, people["Keeper"]["token"], circle_id, asked["id"]))["status"] == "acknowledged"
