"""A request for support reaches the keepers' and the app's sockets, and nobody else's: real server, real sockets."""

from __future__ import annotations

import httpx

from tests.factories import auth, create_circle, events, ok
from tests.live.client import seat_people
from tests.live.conftest import Connect, Server
from tests.live.test_commands import command, result

QUIET = 1.0  # seconds a socket that must be told nothing is watched for


def test_only_keepers_and_the_app_are_told_and_the_stream_never_shows_it(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    people = seat_people(
        http,
        key,
        circle_id,
        ("Kim", "keeper"),
        ("Kai", "keeper"),
        ("Ana", "member"),
        ("Ben", "member"),
        ("Wren", "witness"),
    )
    kim = live(circle_id, people["Kim"]["token"], name="kim")
    kai = live(circle_id, people["Kai"]["token"], name="kai")
    app = live(circle_id, key, name="app")
    ana = live(circle_id, people["Ana"]["token"], name="ana")
    ben = live(circle_id, people["Ben"]["token"], name="ben")
    wren = live(circle_id, people["Wren"]["token"], name="wren")
    log_before = events(http, key, circle_id)

    # Ana asks over REST, Ben over his socket.
    asked = ok(http.post(f"/v1/circles/{circle_id}/support", headers=auth(people["Ana"]["token"])), 201)
    by_socket = result(command(ben, "ask_for_support"))
    assert by_socket["participant_id"] == people["Ben"]["id"]

    for keeper in (kim, kai, app):
        told = [
            keeper.wait_for(lambda f, i=i: f["type"] == "support" and f["signal_id"] == i)
            for i in (asked["id"], by_socket["id"])
        ]
        assert [(f["participant_id"], f["at"]) for f in told] == [
            (asked["participant_id"], asked["at"]),
            (by_socket["participant_id"], by_socket["at"]),
        ]
        assert set(told[0]) == {"type", "signal_id", "participant_id", "at"}
    for member in (ana, ben, wren):
        member.drain(QUIET)
        assert [f for f in member.frames if f["type"] == "support"] == [], member
        assert member.live_events == [], member  # nor any event about it
    assert events(http, key, circle_id) == log_before

    # The keepers can read who asked and when, by REST or on their socket; members cannot.
    listed = result(command(kim, "list_support_signals"))
    assert listed["items"] == [by_socket, asked]
    assert command(ana, "list_support_signals")["error"]["code"] == "keeper_only"


def test_a_keeper_made_after_the_signal_was_not_told_and_a_new_keeper_is(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    """Who is told is who keeps the circle when the signal commits."""
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Kim", "keeper"), ("Ana", "member"), ("Ben", "member"))
    ben = live(circle_id, people["Ben"]["token"], name="ben")
    ok(
        http.patch(
            f"/v1/circles/{circle_id}/participants/{people['Ben']['id']}", json={"role": "keeper"}, headers=auth(key)
        )
    )
    ok(
        http.patch(
            f"/v1/circles/{circle_id}/participants/{people['Kim']['id']}", json={"role": "member"}, headers=auth(key)
        )
    )
    kim = live(circle_id, people["Kim"]["token"], name="kim")
    asked = ok(http.post(f"/v1/circles/{circle_id}/support", headers=auth(people["Ana"]["token"])), 201)
    assert ben.wait_for(lambda f: f["type"] == "support")["signal_id"] == asked["id"]
    kim.drain(QUIET)
    assert [f for f in kim.frames if f["type"] == "support"] == []
