"""Every operation in the OpenAPI document × every kind of credential, with the answer each must get,
over REST and over the live socket. Each cell runs on a world of its own, so no cell depends on another."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from circles.app import create_app
from tests.conftest import make_settings, new_app_key
from tests.factories import auth, create_circle, ok, open_turn, seat, start_round
from tests.zoom_tokens import claims, zoom_context

# `date_person`: one of the two of a support date in the same app; in a circle they are someone from elsewhere.
CREDENTIALS = [
    "none",
    "unknown",
    "revoked_key",
    "other_app",
    "other_circle",
    "date_person",
    "witness",
    "member",
    "keeper",
    "app",
]
OUTSIDERS = {"none": 401, "unknown": 401, "revoked_key": 401, "other_app": 404, "other_circle": 404, "date_person": 404}
IN_CIRCLE = ["witness", "member", "keeper", "app"]


def expect(allowed: dict[str, int], refused: int = 403, **outsiders: int) -> dict[str, int]:
    """The answer for each credential: outsiders as usual (or as given), the people in the circle and the
    app as `allowed` says, anyone else in the circle `refused`."""
    return {**OUTSIDERS, **outsiders, **{c: allowed.get(c, refused) for c in IN_CIRCLE}}


APP_ONLY = {"other_circle": 403, "date_person": 403}  # app-only operations refuse any participant first
EVERYONE = dict.fromkeys(IN_CIRCLE, 200)
KEEPERS = {"keeper": 200, "app": 200}
BOTH = {"app": 200}  # support dates: the app; and the date's two (date_person), given apart
DATE = {
    "people": [{"external_id": "x", "display_name": "X"}, {"external_id": "y", "display_name": "Y"}],
    "seconds_each": 60,
}

# (method, path template, world it needs, body, expected answer per credential)
MATRIX: list[tuple[str, str, str, dict | None, dict[str, int]]] = [
    ("POST", "/v1/circles", "plain", {"name": "n"}, expect({"app": 201}, other_app=201, **APP_ONLY)),
    ("GET", "/v1/circles", "plain", None, expect({"app": 200}, other_app=200, **APP_ONLY)),
    ("GET", "/v1/circles/{circle_id}", "plain", None, expect(EVERYONE)),
    ("PATCH", "/v1/circles/{circle_id}", "plain", {"name": "n"}, expect(KEEPERS)),
    ("POST", "/v1/circles/{circle_id}/close", "plain", None, expect(KEEPERS)),
    ("DELETE", "/v1/circles/{circle_id}", "plain", None, expect({"app": 204}, **APP_ONLY)),
    ("GET", "/v1/circles/{circle_id}/state", "plain", None, expect(EVERYONE)),
    ("GET", "/v1/circles/{circle_id}/events", "plain", None, expect(EVERYONE)),
    ("GET", "/v1/circles/{circle_id}/participants", "plain", None, expect(EVERYONE)),
    (
        "POST",
        "/v1/circles/{circle_id}/participants",
        "plain",
        {"display_name": "n"},
        expect({"keeper": 201, "app": 201}),
    ),
    # On the member: they may read themselves, with their agreement status; another participant may not.
    ("GET", "/v1/circles/{circle_id}/participants/{member_id}", "plain", None, expect({"member": 200, **KEEPERS})),
    # On the member: they may rename themselves; a witness may not rename them.
    (
        "PATCH",
        "/v1/circles/{circle_id}/participants/{member_id}",
        "plain",
        {"display_name": "n"},
        expect({"member": 200, **KEEPERS}),
    ),
    ("PATCH", "/v1/circles/{circle_id}/participants/{member_id}", "plain", {"role": "keeper"}, expect(KEEPERS)),
    (
        "DELETE",
        "/v1/circles/{circle_id}/participants/{member_id}",
        "plain",
        None,
        expect({"member": 204, "keeper": 204, "app": 204}),
    ),
    ("POST", "/v1/circles/{circle_id}/participants/{member_id}/erase", "plain", None, expect({"app": 204}, **APP_ONLY)),
    (
        "POST",
        "/v1/circles/{circle_id}/participants/{member_id}/token",
        "plain",
        None,
        expect({"member": 200, **KEEPERS}),
    ),
    ("POST", "/v1/circles/{circle_id}/rounds", "plain", {}, expect({"keeper": 201, "app": 201})),
    ("GET", "/v1/circles/{circle_id}/rounds/{round_id}", "round", None, expect(EVERYONE)),
    ("POST", "/v1/circles/{circle_id}/rounds/{round_id}/pause", "round", None, expect(KEEPERS)),
    ("POST", "/v1/circles/{circle_id}/rounds/{round_id}/resume", "paused", None, expect(KEEPERS)),
    ("POST", "/v1/circles/{circle_id}/rounds/{round_id}/end", "round", None, expect(KEEPERS)),
    # The member holds the piece.
    (
        "POST",
        "/v1/circles/{circle_id}/turns/{turn_id}/finish",
        "round",
        {"outcome": "spoke"},
        expect({"member": 200, **KEEPERS}),
    ),
    ("POST", "/v1/circles/{circle_id}/turns/{turn_id}/skip", "round", None, expect(KEEPERS)),
    # The member is offered the piece: they, a keeper or the app may take it.
    ("POST", "/v1/circles/{circle_id}/turns/{turn_id}/accept", "offered", None, expect({"member": 200, **KEEPERS})),
    # Only a keeper speaks out of turn, for themselves.
    (
        "POST",
        "/v1/circles/{circle_id}/rounds/{round_id}/out-of-turn",
        "round",
        {"turn_id": "{turn_id}"},
        expect({"keeper": 200}),
    ),
    (
        "POST",
        "/v1/circles/{circle_id}/rounds/{round_id}/give",
        "round",
        {"participant_id": "{keeper_id}", "turn_id": "{turn_id}"},
        expect(KEEPERS),
    ),
    # Hands: each raises their own (never a witness, never the app); the keeper's hand is up and holds the
    # piece in the "hands" world, the member's is in line.
    ("POST", "/v1/circles/{circle_id}/rounds/{round_id}/hands", "open", None, expect({"member": 200, "keeper": 200})),
    (
        "DELETE",
        "/v1/circles/{circle_id}/rounds/{round_id}/hands/{member_id}",
        "hands",
        None,
        expect({"member": 204, **dict.fromkeys(KEEPERS, 204)}),
    ),
    ("POST", "/v1/circles/{circle_id}/rounds/{round_id}/hands/{member_id}/call", "hands", None, expect(KEEPERS)),
    # Each accepts the agreements for themselves.
    (
        "POST",
        "/v1/circles/{circle_id}/participants/{member_id}/agreement",
        "plain",
        {"agreements_version": 1},
        expect({"member": 200}),
    ),
    ("GET", "/v1/circles/{circle_id}/rounds/{round_id}/airtime", "round", None, expect(KEEPERS)),
    ("GET", "/v1/circles/{circle_id}/airtime", "round", None, expect(KEEPERS)),
    # A participant asks for support for themselves; only keepers and the app may see who asked.
    (
        "POST",
        "/v1/circles/{circle_id}/support",
        "plain",
        None,
        expect({"witness": 201, "member": 201, "keeper": 201}),
    ),
    ("GET", "/v1/circles/{circle_id}/support", "plain", None, expect(KEEPERS)),
    # The member asked in the "support" world; a keeper or the app acknowledges it, never the member.
    ("POST", "/v1/circles/{circle_id}/support/{support_id}/ack", "support", None, expect(KEEPERS)),
    ("PUT", "/v1/circles/{circle_id}/gathering", "plain", {"rounds": [{}]}, expect(KEEPERS)),
    ("GET", "/v1/circles/{circle_id}/gathering", "planned", None, expect(EVERYONE)),
    ("POST", "/v1/circles/{circle_id}/gathering/next", "planned", {}, expect({"keeper": 201, "app": 201})),
    ("GET", "/v1/circles/{circle_id}/gatherings/{gathering_id}/airtime", "planned", None, expect(KEEPERS)),
    # Breakouts: the member is in group A with Xi (the member holds the piece there); Yu and Zed are group B.
    ("POST", "/v1/circles/{circle_id}/breakouts", "plain", {"seconds_each": 60}, expect({"keeper": 201, "app": 201})),
    ("GET", "/v1/circles/{circle_id}/breakouts/{breakout_id}", "breakout", None, expect(EVERYONE)),
    ("POST", "/v1/circles/{circle_id}/breakouts/{breakout_id}/end", "breakout", None, expect(KEEPERS)),
    (
        "POST",
        "/v1/circles/{circle_id}/breakout-turns/{turn_id}/finish",
        "breakout",
        {"outcome": "spoke"},
        expect({"member": 200, **KEEPERS}),
    ),
    # A person in group A cannot act in group B.
    (
        "POST",
        "/v1/circles/{circle_id}/breakout-turns/{other_turn_id}/finish",
        "breakout",
        {"outcome": "spoke"},
        expect(KEEPERS),
    ),
    (
        "PATCH",
        "/v1/circles/{circle_id}/breakout-groups/{group_id}",
        "breakout",
        {"external_ref": "room-1"},
        expect({"app": 200}, **APP_ONLY),
    ),
    ("GET", "/v1/app/keys", "plain", None, expect({"app": 200}, other_app=200, **APP_ONLY)),
    ("POST", "/v1/app/keys", "plain", None, expect({"app": 201}, other_app=201, **APP_ONLY)),
    ("DELETE", "/v1/app/keys/{spare_key_id}", "plain", None, expect({"app": 204}, **APP_ONLY)),
    ("GET", "/v1/app/audit", "plain", None, expect({"app": 200}, other_app=200, **APP_ONLY)),
    (
        "PUT",
        "/v1/app/zoom",
        "plain",
        {"client_id": "{zoom_client_id}", "client_secret": "zoom-client-secret"},
        expect({"app": 200}, other_app=200, **APP_ONLY),
    ),
    ("GET", "/v1/app/zoom", "plain", None, expect({"app": 200}, other_app=200, **APP_ONLY)),
    ("DELETE", "/v1/app/zoom", "plain", None, expect({"app": 204}, other_app=204, **APP_ONLY)),
    # The Zoom app context is the credential: whatever else is sent, a good one seats, a bad one is refused.
    ("POST", "/v1/zoom/session", "zoom", {"context": "{zoom_context}"}, dict.fromkeys(CREDENTIALS, 200)),
    ("POST", "/v1/zoom/session", "zoom", {"context": "AQID"}, dict.fromkeys(CREDENTIALS, 401)),
    # Support dates: the circle's witness, member and keeper are third persons to the date: never let in.
    ("POST", "/v1/support-dates", "plain", DATE, expect({"app": 201}, other_app=201, **APP_ONLY)),
    # With a person's token, the one date it is for (an empty list for a circle's participant).
    ("GET", "/v1/support-dates", "plain", None, expect(EVERYONE, other_app=200, other_circle=200, date_person=200)),
    ("GET", "/v1/support-dates/{date_id}", "plain", None, expect(BOTH, refused=404, date_person=200)),
    ("POST", "/v1/support-dates/{date_id}/meetings", "plain", None, expect({"app": 201}, 404, date_person=201)),
    ("POST", "/v1/support-dates/{date_id}/end", "plain", None, expect(BOTH, refused=404, date_person=200)),
    # Each renews their own token; the partner's is refused them.
    (
        "POST",
        "/v1/support-dates/{date_id}/people/{date_person_id}/token",
        "plain",
        None,
        expect(BOTH, refused=404, date_person=200),
    ),
    (
        "POST",
        "/v1/support-dates/{date_id}/people/{date_partner_id}/token",
        "plain",
        None,
        expect(BOTH, refused=404, date_person=403),
    ),
    (
        "POST",
        "/v1/support-dates/{date_id}/people/{date_person_id}/erase",
        "plain",
        None,
        expect({"app": 204}, **APP_ONLY),
    ),
    ("GET", "/v1/support-dates/{date_id}/calendar.ics", "plain", None, expect(BOTH, refused=404, date_person=200)),
    ("GET", "/v1/support-dates/{date_id}/airtime", "plain", None, expect(BOTH, refused=404, date_person=200)),
    (
        "POST",
        "/v1/app/webhooks",
        "plain",
        {"url": "http://127.0.0.1:9/hooks"},
        expect({"app": 201}, other_app=201, **APP_ONLY),
    ),
    ("GET", "/v1/app/webhooks", "plain", None, expect({"app": 200}, other_app=200, **APP_ONLY)),
    ("GET", "/v1/app/webhooks/{webhook_id}", "webhook", None, expect({"app": 200}, **APP_ONLY)),
    ("PATCH", "/v1/app/webhooks/{webhook_id}", "webhook", {"description": "d"}, expect({"app": 200}, **APP_ONLY)),
    ("DELETE", "/v1/app/webhooks/{webhook_id}", "webhook", None, expect({"app": 204}, **APP_ONLY)),
    ("POST", "/v1/app/webhooks/{webhook_id}/secret", "webhook", None, expect({"app": 200}, **APP_ONLY)),
    ("GET", "/v1/app/webhooks/{webhook_id}/attempts", "webhook", None, expect({"app": 200}, **APP_ONLY)),
    (
        "POST",
        "/v1/app/webhooks/{webhook_id}/replay?circle_id={circle_id}",
        "webhook",
        None,
        expect({"app": 200}, **APP_ONLY),
    ),
    ("POST", "/v1/app/webhooks/{webhook_id}/test", "webhook", None, expect({"app": 202}, **APP_ONLY)),
]


@dataclass
class World:
    ids: dict[str, str]
    credentials: dict[str, dict[str, str]]


@pytest.fixture
def client(sqlite_url: str) -> Iterator[TestClient]:
    settings = make_settings(
        sqlite_url, secret_key="matrix", webhooks_allow_private=True, webhooks_deliver=False
    )  # nothing is sent
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def build_world(client: TestClient, sqlite_url: str):  # type: ignore[no-untyped-def]
    def build(kind: str) -> World:
        key = new_app_key(sqlite_url)
        spare = ok(client.post("/v1/app/keys", headers=auth(key)), 201)
        revoked = ok(client.post("/v1/app/keys", headers=auth(key)), 201)
        assert client.delete(f"/v1/app/keys/{revoked['id']}", headers=auth(key)).status_code == 204
        circle = create_circle(client, key)
        member = seat(client, key, circle["id"], "Mo", seat=1)
        keeper = seat(client, key, circle["id"], "Kim", role="keeper", seat=2)
        witness = seat(client, key, circle["id"], "Wren", role="witness", seat=3)
        elsewhere = create_circle(client, key, name="Elsewhere")
        other_keeper = seat(client, key, elsewhere["id"], "Ola", role="keeper")
        date = ok(client.post("/v1/support-dates", json=DATE, headers=auth(key)), 201)
        ids = {
            "circle_id": circle["id"],
            "member_id": member["id"],
            "keeper_id": keeper["id"],
            "spare_key_id": spare["id"],
            "zoom_client_id": f"zoom-{uuid.uuid4().hex}",
            "date_id": date["id"],
            "date_person_id": date["people"][0]["participant_id"],
            "date_partner_id": date["people"][1]["participant_id"],
        }
        if kind == "planned":
            planned = ok(client.put(f"/v1/circles/{circle['id']}/gathering", json={"rounds": [{}]}, headers=auth(key)))
            ids["gathering_id"] = planned["id"]
        if kind == "webhook":
            hook = {"url": "http://127.0.0.1:9/hooks"}
            ids["webhook_id"] = ok(client.post("/v1/app/webhooks", json=hook, headers=auth(key)), 201)["id"]
        if kind == "support":
            asked = ok(client.post(f"/v1/circles/{circle['id']}/support", headers=auth(member["token"])), 201)
            ids["support_id"] = asked["id"]
        if kind == "zoom":
            zoom = {"client_id": ids["zoom_client_id"], "client_secret": "zoom-client-secret"}
            ok(client.put("/v1/app/zoom", json=zoom, headers=auth(key)))
            ok(client.patch(f"/v1/circles/{circle['id']}", json={"zoom_meeting_uuid": "meeting"}, headers=auth(key)))
            ids["zoom_context"] = zoom_context(claims("zoom-user", "meeting"), "zoom-client-secret")
        if kind in ("round", "paused"):
            round_ = start_round(client, key, circle["id"], starts_with=member["id"])
            ids |= {"round_id": round_["id"], "turn_id": open_turn(round_)["id"]}
            if kind == "paused":
                ok(client.post(f"/v1/circles/{circle['id']}/rounds/{round_['id']}/pause", headers=auth(key)))
        if kind == "offered":
            round_ = start_round(client, key, circle["id"], starts_with=member["id"], offer_seconds=60)
            ids |= {"round_id": round_["id"], "turn_id": open_turn(round_)["id"]}
        if kind == "breakout":
            xi, yu, zed = (
                seat(client, key, circle["id"], name, seat=n)["id"] for n, name in ((4, "Xi"), (5, "Yu"), (6, "Zed"))
            )
            body = {"seconds_each": 60, "grouping": "explicit", "groups": [[member["id"], xi], [yu, zed]]}
            breakout = ok(client.post(f"/v1/circles/{circle['id']}/breakouts", json=body, headers=auth(key)), 201)
            group_a, group_b = breakout["groups"]
            ids |= {
                "breakout_id": breakout["id"],
                "group_id": group_a["id"],
                "turn_id": group_a["turns"][0]["id"],
                "other_turn_id": group_b["turns"][0]["id"],
            }
        if kind in ("open", "hands"):
            round_ = start_round(client, key, circle["id"], kind="open")
            ids["round_id"] = round_["id"]
            if kind == "hands":  # the keeper's hand takes the free piece; the member's waits in line
                for person in (keeper, member):
                    hands = f"/v1/circles/{circle['id']}/rounds/{round_['id']}/hands"
                    ok(client.post(hands, headers=auth(person["token"])))
        tokens = {
            "unknown": "cpt_not-a-real-token",
            "revoked_key": revoked["key"],
            "other_app": new_app_key(sqlite_url, "other"),
            "other_circle": other_keeper["token"],
            "date_person": date["tokens"]["x"],
            "witness": witness["token"],
            "member": member["token"],
            "keeper": keeper["token"],
            "app": key,
        }
        credentials = {name: auth(token) for name, token in tokens.items()} | {"none": {}}
        return World(ids=ids, credentials=credentials)

    return build


@pytest.mark.parametrize(("method", "path", "world_kind", "body", "expected"), MATRIX, ids=lambda v: str(v)[:40])
def test_each_credential_gets_its_answer(
    client: TestClient,
    build_world,
    method: str,
    path: str,
    world_kind: str,
    body: dict | None,
    expected: dict[str, int],
) -> None:  # type: ignore[no-untyped-def]
    answers = {}
    for credential in CREDENTIALS:
        world = build_world(world_kind)
        filled = {k: v.format(**world.ids) if isinstance(v, str) else v for k, v in body.items()} if body else body
        response = client.request(method, path.format(**world.ids), json=filled, headers=world.credentials[credential])
        answers[credential] = response.status_code
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")
    assert answers == expected


def test_the_matrix_covers_every_operation_in_the_document() -> None:
    document = json.loads((Path(__file__).resolve().parents[2] / "openapi" / "openapi.json").read_text())
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        if path.startswith("/v1/")
        for method in operations
    }
    assert documented == {
        (
            method,
            re.sub(r"\{(member|date_person|date_partner)_id\}", "{participant_id}", path.split("?")[0])
            .replace("{spare_key_id}", "{key_id}")
            .replace("{other_turn_id}", "{turn_id}"),
        )
        for method, path, *_ in MATRIX
    }


@pytest.mark.parametrize(
    ("credential", "close_code"),
    [
        ("none", 4401),
        ("unknown", 4401),
        ("revoked_key", 4401),
        ("other_app", 4404),
        ("other_circle", 4404),
        ("date_person", 4404),
        ("witness", None),
        ("member", None),
        ("keeper", None),
        ("app", None),
    ],
)
def test_each_credential_on_the_live_socket(
    client: TestClient, build_world, credential: str, close_code: int | None
) -> None:  # type: ignore[no-untyped-def]
    world = build_world("round")
    token = world.credentials[credential].get("Authorization", "Bearer ").removeprefix("Bearer ")
    with client.websocket_connect(f"/v1/circles/{world.ids['circle_id']}/live") as socket:
        socket.send_json({"type": "auth", "token": token} if token else {"type": "auth"})
        if close_code is None:
            welcome = socket.receive_json()
            assert welcome["type"] == "welcome"
            assert socket.receive_json()["type"] == "snapshot"
        else:
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_json()
            assert closed.value.code == close_code


@pytest.mark.parametrize(
    ("credential", "close_code"),
    [
        ("other_app", 4404),
        ("other_circle", 4404),
        ("member", 4404),
        ("keeper", 4404),
        ("date_person", None),
        ("app", None),
    ],
)
def test_only_the_two_and_the_app_open_a_dates_socket(
    client: TestClient, build_world, credential: str, close_code: int | None
) -> None:  # type: ignore[no-untyped-def]
    world = build_world("plain")
    date = ok(client.get(f"/v1/support-dates/{world.ids['date_id']}", headers=world.credentials["app"]))
    token = world.credentials[credential]["Authorization"].removeprefix("Bearer ")
    with client.websocket_connect(f"/v1/circles/{date['circle_id']}/live") as socket:
        socket.send_json({"type": "auth", "token": token})
        if close_code is None:
            assert socket.receive_json()["type"] == "welcome"
            assert socket.receive_json()["type"] == "snapshot"
        else:
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_json()
            assert closed.value.code == close_code
