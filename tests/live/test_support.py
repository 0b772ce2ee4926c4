"""A request for support reaches the keepers' and the app's sockets, and nobody else's: real server, real sockets."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import auth, create_circle, events, ok
from tests.live.client import Frame, LiveClient, seat_people
from tests.live.conftest import Connect, Server
from tests.live.test_commands import command, refused, result

QUIET = 1.0  # seconds a socket that must be told nothing is watched for


def test_only_keepers_and_the_app_are_told_and_the_stream_never_shows_it(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id, people = _two_keepers_two_members_and_a_witness(http, key)
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


SUPPORT_FRAMES = ("support", "support_acknowledged")


def _sent_after_catch_up(client: LiveClient, count: int) -> list[Frame]:
    """The `count` frames that follow the socket's catch-up (they are written with it, nothing between)."""
    return [client.wait_for(lambda frame: True) for _ in range(count)]


def _two_keepers_two_members_and_a_witness(http: httpx.Client, key: str) -> tuple[str, dict[str, Any]]:
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
    return circle_id, people


def _support_frame(asked: dict[str, Any]) -> Frame:
    return {"type": "support", "signal_id": asked["id"], "participant_id": asked["participant_id"], "at": asked["at"]}


def _next_about_support(client: LiveClient) -> Frame:
    return client.wait_for(lambda f: f["type"] in SUPPORT_FRAMES, what="a support frame")


def test_a_keeper_who_was_not_connected_is_sent_what_is_pending_on_connect_and_a_member_never_is(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id, people = _two_keepers_two_members_and_a_witness(http, key)
    ask = f"/v1/circles/{circle_id}/support"
    # Nobody is connected when Ana and then Wren ask.
    first = ok(http.post(ask, headers=auth(people["Ana"]["token"])), 201)
    second = ok(http.post(ask, headers=auth(people["Wren"]["token"])), 201)
    seq = events(http, key, circle_id)[-1]["seq"]

    # Kim opens her page afresh (a snapshot), Kai resumes (a replay), the app's server connects: each is sent
    # both, in the order asked, right after its catch-up.
    kim = live(circle_id, people["Kim"]["token"], name="kim")
    kai = live(circle_id, people["Kai"]["token"], after=seq - 1, name="kai")
    app = live(circle_id, key, name="app")
    assert kai.replay and kai.online_after_replay is not None  # it did resume
    for keeper in (kim, kai, app):
        assert _sent_after_catch_up(keeper, 2) == [_support_frame(first), _support_frame(second)], keeper

    # Members and witnesses, afresh or resuming, are never sent them.
    members = [
        live(circle_id, people["Ana"]["token"], name="ana"),
        live(circle_id, people["Ben"]["token"], after=seq, name="ben"),
        live(circle_id, people["Wren"]["token"], name="wren"),
        live(circle_id, people["Wren"]["token"], after=seq - 1, name="wren-resuming"),
    ]
    third = ok(http.post(ask, headers=auth(people["Ben"]["token"])), 201)
    for keeper in (kim, kai, app):
        assert _next_about_support(keeper) == _support_frame(third)  # and then live, as before
    for member in members:
        member.drain(QUIET)
        assert [f for f in member.frames if f["type"] in SUPPORT_FRAMES] == [], member


def test_when_one_keeper_acknowledges_every_keepers_screen_is_told_and_a_reconnecting_keeper_is_not_sent_it(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Kim", "keeper"), ("Kai", "keeper"), ("Ana", "member"))
    kim = live(circle_id, people["Kim"]["token"], name="kim")
    kai = live(circle_id, people["Kai"]["token"], name="kai")
    app = live(circle_id, key, name="app")
    ana = live(circle_id, people["Ana"]["token"], name="ana")
    ask = f"/v1/circles/{circle_id}/support"
    asked = ok(http.post(ask, headers=auth(people["Ana"]["token"])), 201)
    for screen in (kim, kai, app):
        assert _next_about_support(screen) == _support_frame(asked)

    # Kim acknowledges it from her socket; every keeper's screen and the app's is told, so Kai's clears it.
    acknowledged = result(command(kim, "acknowledge_support", support_id=asked["id"]))
    assert (acknowledged["status"], acknowledged["acknowledged_by"]) == ("acknowledged", people["Kim"]["id"])
    told = {
        "type": "support_acknowledged",
        "signal_id": asked["id"],
        "acknowledged_by": people["Kim"]["id"],
        "acknowledged_at": acknowledged["acknowledged_at"],
    }
    # (Kim's own came before the reply or after it: it is looked for among all she was sent.)
    assert kim.wait_for(lambda f: f["type"] == "support_acknowledged", anywhere=True) == told
    for screen in (kai, app):
        assert _next_about_support(screen) == told, screen
    # Kai presses too (over REST): it was acknowledged already, nothing changes and nobody is told again.
    assert ok(http.post(f"{ask}/{asked['id']}/ack", headers=auth(people["Kai"]["token"]))) == acknowledged

    # Kai's socket drops; back, afresh or resuming, nothing pending is sent: the next about support is news.
    seq = events(http, key, circle_id)[-1]["seq"]
    kai.close()
    kai_again = live(circle_id, people["Kai"]["token"], after=seq, name="kai-again")
    kai_afresh = live(circle_id, people["Kai"]["token"], name="kai-afresh")
    news = ok(http.post(ask, headers=auth(people["Ana"]["token"])), 201)
    for screen in (kai_again, kai_afresh, app):
        assert _next_about_support(screen) == _support_frame(news), screen
    kim.wait_for(lambda f: f == _support_frame(news), what="the news")
    ana.drain(QUIET)
    assert [f for f in ana.frames if f["type"] in SUPPORT_FRAMES] == []
    assert refused(command(ana, "acknowledge_support", support_id=news["id"]), 403, "keeper_only")
    pending = result(command(kai_afresh, "list_support_signals", status="pending"))["items"]
    assert [s["id"] for s in pending] == [news["id"]]
