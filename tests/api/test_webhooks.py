"""Webhook endpoints through the REST API: register, list, change, roll, replay, test; validation and safety.

Delivery itself is tested against a real receiver in tests/webhooks; here nothing is delivered."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from circles.app import create_app
from tests.conftest import make_settings
from tests.factories import auth, create_circle, ok, problem, seat

PUBLIC = "https://93.184.215.14/hooks"  # a public address, written as one: registering it needs no DNS


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database_url, webhooks_deliver=False))) as test_client:
        yield test_client


def register(client: TestClient, key: str, **fields: Any) -> dict[str, Any]:
    return ok(client.post("/v1/app/webhooks", json={"url": PUBLIC, **fields}, headers=auth(key)), 201)


def test_an_endpoint_is_registered_listed_changed_and_deleted(client: TestClient, app_key: str) -> None:
    created = register(client, app_key, events=["turn.started", "support.requested"], description="Our CRM")
    assert created["secret"].startswith("whsec_")
    assert created["url"] == PUBLIC and created["enabled"] is True and created["disabled_reason"] is None
    assert created["events"] == ["turn.started", "support.requested"]
    shown = ok(client.get(f"/v1/app/webhooks/{created['id']}", headers=auth(app_key)))
    assert "secret" not in shown  # shown once
    assert shown == {k: v for k, v in created.items() if k != "secret"}

    every = register(client, app_key)
    assert every["events"] is None
    listed = ok(client.get("/v1/app/webhooks", params={"limit": 1}, headers=auth(app_key)))
    assert [e["id"] for e in listed["items"]] == [every["id"]]  # newest first
    rest = ok(client.get("/v1/app/webhooks", params={"cursor": listed["next_cursor"]}, headers=auth(app_key)))
    assert [e["id"] for e in rest["items"]] == [created["id"]] and rest["next_cursor"] is None

    changed = ok(
        client.patch(
            f"/v1/app/webhooks/{created['id']}", json={"enabled": False, "events": None}, headers=auth(app_key)
        )
    )
    assert changed["enabled"] is False and changed["disabled_reason"] == "app" and changed["events"] is None
    assert changed["description"] == "Our CRM"  # left out: unchanged
    again = ok(client.patch(f"/v1/app/webhooks/{created['id']}", json={"enabled": True}, headers=auth(app_key)))
    assert again["enabled"] is True and again["disabled_reason"] is None

    assert client.delete(f"/v1/app/webhooks/{created['id']}", headers=auth(app_key)).status_code == 204
    problem(client.get(f"/v1/app/webhooks/{created['id']}", headers=auth(app_key)), 404, "webhook_not_found")

    audit = ok(client.get("/v1/app/audit", headers=auth(app_key)))["items"]
    actions = [(e["action"], e["object_id"]) for e in audit]
    for action in ("create_webhook", "update_webhook", "delete_webhook"):
        assert (action, created["id"]) in actions


def test_a_rolled_secret_is_new_and_shown_once(client: TestClient, app_key: str) -> None:
    created = register(client, app_key)
    rolled = ok(client.post(f"/v1/app/webhooks/{created['id']}/secret", headers=auth(app_key)))
    assert rolled["secret"].startswith("whsec_") and rolled["secret"] != created["secret"]
    assert rolled["previous_valid_until"] > created["created_at"]
    audit = ok(client.get("/v1/app/audit", headers=auth(app_key)))["items"]
    assert ("roll_webhook_secret", created["id"]) in [(e["action"], e["object_id"]) for e in audit]
    assert all(created["secret"] not in str(e) and rolled["secret"] not in str(e) for e in audit)


def test_another_apps_endpoints_are_not_found(client: TestClient, app_key: str, other_app_key: str) -> None:
    mine = register(client, app_key)
    theirs = auth(other_app_key)
    assert ok(client.get("/v1/app/webhooks", headers=theirs))["items"] == []
    base = f"/v1/app/webhooks/{mine['id']}"
    circle = create_circle(client, other_app_key)
    for method, path in [
        ("GET", base),
        ("PATCH", base),
        ("DELETE", base),
        ("POST", f"{base}/secret"),
        ("GET", f"{base}/attempts"),
        ("POST", f"{base}/replay?circle_id={circle['id']}"),
        ("POST", f"{base}/test"),
    ]:
        body = {"description": "x"} if method == "PATCH" else None
        problem(client.request(method, path, json=body, headers=theirs), 404, "webhook_not_found")
    # Nor can an app replay another app's circle to its own endpoint.
    path = f"{base}/replay"
    problem(client.post(path, params={"circle_id": circle["id"]}, headers=auth(app_key)), 404, "circle_not_found")


def test_a_participant_may_not_touch_webhooks(client: TestClient, app_key: str) -> None:
    circle = create_circle(client, app_key)
    keeper = seat(client, app_key, circle["id"], "Kim", role="keeper")
    problem(client.get("/v1/app/webhooks", headers=auth(keeper["token"])), 403, "app_only")
    problem(client.post("/v1/app/webhooks", json={"url": PUBLIC}, headers=auth(keeper["token"])), 403, "app_only")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": PUBLIC, "events": []}, "events"),
        ({"url": PUBLIC, "events": ["turn.started", "no.such.event"]}, "events[1]"),
        ({"url": PUBLIC, "events": ["webhook.test"]}, "events[0]"),
        ({"url": PUBLIC, "description": "x" * 501}, "description"),
        ({"url": PUBLIC, "secret": "whsec_mine"}, "secret"),
    ],
)
def test_an_invalid_endpoint_is_a_validation_problem(
    client: TestClient, app_key: str, body: dict[str, Any], field: str
) -> None:
    answer = problem(client.post("/v1/app/webhooks", json=body, headers=auth(app_key)), 422, "validation_error")
    assert field in [error["field"] for error in answer["errors"]]


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.215.14/hooks",  # not https
        "ftp://93.184.215.14/hooks",
        "https://127.0.0.1/hooks",  # loopback
        "https://localhost:8443/hooks",  # a name that resolves to loopback
        "https://[::1]/hooks",
        "https://10.1.2.3/hooks",  # private
        "https://192.168.0.10/hooks",
        "https://172.16.5.4/hooks",
        "https://169.254.169.254/latest/meta-data",  # link-local: the cloud's metadata service
        "https://100.100.100.200/hooks",  # shared address space (a metadata service too)
        "https://[fd00:ec2::254]/hooks",
        "https://[::ffff:127.0.0.1]/hooks",  # loopback, mapped into IPv6
        "https://0.0.0.0/hooks",
        "https://user:pass@93.184.215.14/hooks",
        "https://name.invalid/hooks",  # resolves to nothing
    ],
)
def test_an_unsafe_url_is_refused(client: TestClient, app_key: str, url: str) -> None:
    problem(client.post("/v1/app/webhooks", json={"url": url}, headers=auth(app_key)), 422, "webhook_url_refused")
    created = register(client, app_key)
    path = f"/v1/app/webhooks/{created['id']}"
    problem(client.patch(path, json={"url": url}, headers=auth(app_key)), 422, "webhook_url_refused")
    assert ok(client.get(path, headers=auth(app_key)))["url"] == PUBLIC


def test_replay_and_test_answer_what_they_queued(client: TestClient, app_key: str) -> None:
    created = register(client, app_key)
    circle = create_circle(client, app_key)
    for name in ("Ana", "Bo", "Cy"):
        seat(client, app_key, circle["id"], name)
    path = f"/v1/app/webhooks/{created['id']}"
    replayed = ok(client.post(f"{path}/replay", params={"circle_id": circle["id"], "after": 1}, headers=auth(app_key)))
    assert replayed == {"circle_id": circle["id"], "after": 1, "pending": 2}
    beyond = ok(client.post(f"{path}/replay", params={"circle_id": circle["id"], "after": 99}, headers=auth(app_key)))
    assert beyond == {"circle_id": circle["id"], "after": 3, "pending": 0}
    problem(client.post(f"{path}/replay", params={"after": 1}, headers=auth(app_key)), 422, "validation_error")
    problem(
        client.post(f"{path}/replay", params={"circle_id": circle["id"], "after": -1}, headers=auth(app_key)),
        422,
        "validation_error",
    )
    sent = ok(client.post(f"{path}/test", headers=auth(app_key)), 202)
    assert sent["message_id"].startswith("msg_")
    assert ok(client.get(f"{path}/attempts", headers=auth(app_key))) == {"items": [], "next_cursor": None}


def test_a_repeated_create_never_shows_the_secret_again(client: TestClient, app_key: str) -> None:
    headers = {**auth(app_key), "Idempotency-Key": "create-hook-1"}
    first = ok(client.post("/v1/app/webhooks", json={"url": PUBLIC}, headers=headers), 201)
    assert first["secret"].startswith("whsec_")
    again = client.post("/v1/app/webhooks", json={"url": PUBLIC}, headers=headers)
    assert first["secret"] not in again.text
    problem(again, 409, "idempotency_answer_withheld")
    assert len(ok(client.get("/v1/app/webhooks", headers=auth(app_key)))["items"]) == 1  # it acted once
