"""Zoom Apps: an app stores its Zoom client secret; a Zoom user's app context, built here as Zoom builds it,
becomes a seat in the circle bound to their meeting, with no other credential. Every bad context is refused
with one and the same answer."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from circles.app import create_app
from tests.conftest import make_settings, new_app_key
from tests.factories import auth, create_circle, ok, problem, state
from tests.zoom_tokens import claims, tampered, zoom_context

SECRET_KEY = "operator-secret-key-for-tests"
ZOOM_SECRET = "zoom-client-secret-0123456789"
MEETING = "wceIoD0lTySwype1/23456+89=="
REFUSED = "zoom_context_refused"


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database_url, secret_key=SECRET_KEY))) as test_client:
        yield test_client


def set_zoom(client: TestClient, key: str, client_id: str = "zoomClientA", secret: str = ZOOM_SECRET) -> Any:
    return ok(client.put("/v1/app/zoom", json={"client_id": client_id, "client_secret": secret}, headers=auth(key)))


def session(client: TestClient, context: str, **more: Any) -> Any:
    return client.post("/v1/zoom/session", json={"context": context, **more})


@pytest.fixture
def bound(client: TestClient, app_key: str) -> dict[str, Any]:
    """An app with its Zoom secret stored, and a circle bound to MEETING."""
    set_zoom(client, app_key)
    return create_circle(client, app_key, zoom_meeting_uuid=MEETING)


def test_a_good_context_seats_the_zoom_user_and_a_second_finds_them_again(
    client: TestClient, app_key: str, bound: dict[str, Any]
) -> None:
    first = ok(session(client, zoom_context(claims("zoomUser1", MEETING), ZOOM_SECRET), display_name="Ana"))
    assert first["circle_id"] == bound["id"]
    assert (first["external_id"], first["role"], first["display_name"]) == ("zoomUser1", "member", "Ana")
    assert state(client, first["token"], bound["id"])["circle"]["id"] == bound["id"]  # the token is a credential

    again = ok(session(client, zoom_context(claims("zoomUser1", MEETING), ZOOM_SECRET), display_name="Other"))
    assert again["id"] == first["id"] and again["display_name"] == "Ana"  # found, not seated twice
    assert again["token"] != first["token"]
    problem(client.get(f"/v1/circles/{bound['id']}/state", headers=auth(first["token"])), 401, "unauthenticated")
    assert state(client, again["token"], bound["id"])["circle"]["id"] == bound["id"]

    other = ok(session(client, zoom_context(claims("zoomUser2", MEETING), ZOOM_SECRET)))
    assert other["id"] != first["id"] and other["display_name"] == "Zoom participant"
    people = ok(client.get(f"/v1/circles/{bound['id']}/participants", headers=auth(app_key)))["items"]
    assert sorted(p["external_id"] for p in people) == ["zoomUser1", "zoomUser2"]


def test_the_app_may_name_its_client_id_and_standard_base64_is_read_too(
    client: TestClient, bound: dict[str, Any]
) -> None:
    context = zoom_context(claims("zoomUser1", MEETING, aud="zoomClientA"), ZOOM_SECRET, aad=b"zoom aad")
    ok(session(client, context, client_id="zoomClientA"))
    standard = context.replace("-", "+").replace("_", "/") + "=" * (-len(context) % 4)
    ok(session(client, standard))
    problem(session(client, context, client_id="zoomClientB"), 401, REFUSED)


def test_tampering_expiry_a_wrong_secret_and_another_apps_meeting_are_refused_alike(
    client: TestClient, database_url: str, app_key: str, bound: dict[str, Any]
) -> None:
    other_key = new_app_key(database_url, "another app")
    set_zoom(client, other_key, "zoomClientB", "another-zoom-secret-987654")
    create_circle(client, other_key, zoom_meeting_uuid="theirMeeting")
    good = claims("zoomUser1", MEETING)
    refused = {
        "tampered": tampered(zoom_context(good, ZOOM_SECRET)),
        "expired": zoom_context(claims("zoomUser1", MEETING, age_seconds=301), ZOOM_SECRET),
        "past its exp": zoom_context({**good, "exp": good["ts"] - 1}, ZOOM_SECRET),
        "from the future": zoom_context(claims("zoomUser1", MEETING, age_seconds=-600), ZOOM_SECRET),
        "wrong secret": zoom_context(good, "not-the-zoom-secret-at-all"),
        "another app's meeting": zoom_context(claims("zoomUser1", "theirMeeting"), ZOOM_SECRET),
        "an unbound meeting": zoom_context(claims("zoomUser1", "noSuchMeeting"), ZOOM_SECRET),
        "another zoom app's audience": zoom_context({**good, "aud": "zoomClientB"}, ZOOM_SECRET),
        "no uid (guest mode)": zoom_context({k: v for k, v in good.items() if k != "uid"}, ZOOM_SECRET),
        "a uid no external_id can be": zoom_context({**good, "uid": "x" * 300}, ZOOM_SECRET),
        "too short": "AQID",
    }
    answers = {}
    for name, context in refused.items():
        response = session(client, context)
        assert response.status_code == 401, (name, response.text)
        answers[name] = (response.headers["content-type"], response.json())
    assert len({repr(answer) for answer in answers.values()}) == 1, answers  # nothing says which check failed
    assert next(iter(answers.values()))[1]["code"] == REFUSED
    assert ok(client.get(f"/v1/circles/{bound['id']}/participants", headers=auth(app_key)))["items"] == []
    ok(session(client, zoom_context(good, ZOOM_SECRET)))  # and the good one still works
    problem(session(client, "%%% not base64 %%%"), 422, "validation_error")  # no context can look like that


def test_the_secret_is_never_shown_and_is_kept_only_encrypted(
    client: TestClient, database_url: str, app_key: str
) -> None:
    assert ok(client.get("/v1/app/zoom", headers=auth(app_key))) == {
        "configured": False,
        "client_id": None,
        "set_at": None,
    }
    stored = set_zoom(client, app_key)
    read = ok(client.get("/v1/app/zoom", headers=auth(app_key)))
    assert read == stored and set(read) == {"configured", "client_id", "set_at"} and read["configured"] is True
    engine = create_engine(database_url)
    with engine.connect() as connection:
        sealed = connection.execute(text("SELECT sealed_secret FROM zoom_app")).scalar_one()
    engine.dispose()
    assert ZOOM_SECRET not in sealed and sealed.startswith("v1.")
    entries = ok(client.get("/v1/app/audit", headers=auth(app_key)))["items"]
    assert [e["action"] for e in entries] == ["set_zoom_secret"]
    assert ZOOM_SECRET not in repr(entries)

    ok(client.delete("/v1/app/zoom", headers=auth(app_key)), 204)
    assert ok(client.get("/v1/app/zoom", headers=auth(app_key)))["configured"] is False


def test_without_a_secret_key_nothing_is_stored(database_url: str, app_key: str) -> None:
    with TestClient(create_app(make_settings(database_url))) as bare:
        body = {"client_id": "zoomClientA", "client_secret": ZOOM_SECRET}
        refused = problem(bare.put("/v1/app/zoom", json=body, headers=auth(app_key)), 409, "secret_key_unset")
        assert "CIRCLES_SECRET_KEY" in refused["detail"]
        assert ok(bare.get("/v1/app/zoom", headers=auth(app_key)))["configured"] is False


def test_a_new_secret_key_cannot_open_secrets_sealed_under_the_old(database_url: str, app_key: str) -> None:
    with TestClient(create_app(make_settings(database_url, secret_key=SECRET_KEY))) as before:
        set_zoom(before, app_key)
        create_circle(before, app_key, zoom_meeting_uuid=MEETING)
    with TestClient(create_app(make_settings(database_url, secret_key="a-rotated-key"))) as after:
        problem(session(after, zoom_context(claims("zoomUser1", MEETING), ZOOM_SECRET)), 401, REFUSED)
        set_zoom(after, app_key)  # the app stores its secret again
        ok(session(after, zoom_context(claims("zoomUser1", MEETING), ZOOM_SECRET)))


def test_only_the_app_stores_a_secret_and_a_client_id_belongs_to_one_app(
    client: TestClient, database_url: str, app_key: str, bound: dict[str, Any]
) -> None:
    member = ok(session(client, zoom_context(claims("zoomUser1", MEETING), ZOOM_SECRET)))
    body = {"client_id": "zoomClientA", "client_secret": ZOOM_SECRET}
    problem(client.put("/v1/app/zoom", json=body, headers=auth(member["token"])), 403, "app_only")
    problem(client.put("/v1/app/zoom", json=body), 401, "unauthenticated")
    other_key = new_app_key(database_url, "another app")
    problem(client.put("/v1/app/zoom", json=body, headers=auth(other_key)), 409, "zoom_client_id_taken")
    problem(
        client.put("/v1/app/zoom", json={**body, "client_secret": "short"}, headers=auth(app_key)),
        422,
        "validation_error",
    )


def test_a_meeting_binds_one_circle_of_an_app(
    client: TestClient, database_url: str, app_key: str, bound: dict[str, Any]
) -> None:
    assert bound["zoom_meeting_uuid"] == MEETING
    problem(
        client.post("/v1/circles", json={"name": "n", "zoom_meeting_uuid": MEETING}, headers=auth(app_key)),
        409,
        "zoom_meeting_taken",
    )
    second = create_circle(client, app_key)
    path = f"/v1/circles/{second['id']}"
    problem(client.patch(path, json={"zoom_meeting_uuid": MEETING}, headers=auth(app_key)), 409, "zoom_meeting_taken")
    other_key = new_app_key(database_url, "another app")
    assert create_circle(client, other_key, zoom_meeting_uuid=MEETING)["zoom_meeting_uuid"] == MEETING

    unbound = ok(client.patch(f"/v1/circles/{bound['id']}", json={"zoom_meeting_uuid": None}, headers=auth(app_key)))
    assert unbound["zoom_meeting_uuid"] is None
    problem(session(client, zoom_context(claims("zoomUser1", MEETING), ZOOM_SECRET)), 401, REFUSED)
    moved = ok(client.patch(path, json={"zoom_meeting_uuid": MEETING}, headers=auth(app_key)))
    assert ok(session(client, zoom_context(claims("zoomUser1", MEETING), ZOOM_SECRET)))["circle_id"] == moved["id"]


def test_a_closed_circle_seats_no_one(client: TestClient, app_key: str, bound: dict[str, Any]) -> None:
    ok(client.post(f"/v1/circles/{bound['id']}/close", headers=auth(app_key)))
    problem(session(client, zoom_context(claims("zoomUser1", MEETING), ZOOM_SECRET)), 409, "circle_closed")


def test_a_closed_circle_gives_its_meeting_up_to_the_next_circle_bound_to_it(
    client: TestClient, app_key: str, bound: dict[str, Any]
) -> None:
    """A closed circle can no longer be changed, so it cannot be unbound: binding a new circle to the meeting
    takes it over, or that meeting would be lost to the app for good."""
    ok(client.post(f"/v1/circles/{bound['id']}/close", headers=auth(app_key)))
    later = create_circle(client, app_key, zoom_meeting_uuid=MEETING)
    assert later["zoom_meeting_uuid"] == MEETING
    seated = ok(session(client, zoom_context(claims("zoomUser1", MEETING), ZOOM_SECRET)))
    assert seated["circle_id"] == later["id"]
    closed = ok(client.get(f"/v1/circles/{bound['id']}", headers=auth(app_key)))
    assert (closed["status"], closed["zoom_meeting_uuid"]) == ("closed", None)
    problem(create_circle_answer(client, app_key, MEETING), 409, "zoom_meeting_taken")  # an open one keeps it


def create_circle_answer(client: TestClient, key: str, meeting: str) -> Any:
    return client.post("/v1/circles", json={"name": "Another", "zoom_meeting_uuid": meeting}, headers=auth(key))


def test_a_session_is_audited_and_the_uid_is_never_logged(
    client: TestClient, app_key: str, bound: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    uid = "zoomUserWhoMustNotBeLogged"
    caplog.set_level(logging.DEBUG)
    seated = ok(session(client, zoom_context(claims(uid, MEETING), ZOOM_SECRET)))
    session(client, tampered(zoom_context(claims(uid, MEETING), ZOOM_SECRET)))
    assert uid not in caplog.text
    entries = ok(client.get("/v1/app/audit", headers=auth(app_key)))["items"]
    started = [e for e in entries if e["action"] == "start_zoom_session"]
    assert len(started) == 1
    assert (started[0]["circle_id"], started[0]["object_id"], started[0]["actor"]) == (
        bound["id"],
        seated["id"],
        "member",
    )
    assert uid not in repr(entries)


def test_without_a_credential_the_session_is_limited_by_address(database_url: str, app_key: str) -> None:
    settings = make_settings(database_url, secret_key=SECRET_KEY, rate_limit_burst=3, rate_limit_per_minute=1)
    with TestClient(create_app(settings)) as limited:
        answers = [session(limited, "AQID").status_code for _ in range(4)]
        assert answers == [401, 401, 401, 429]
