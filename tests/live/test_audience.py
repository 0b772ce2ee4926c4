"""Witnesses are the circle's audience: counted in the snapshot and in coalesced `audience` frames, never
listed in the snapshot or announced one by one. Through a real server and real sockets."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from tests.factories import auth, create_circle, ok, seat
from tests.live.client import WAIT, LiveClient, open_live, seat_people, shows_presence
from tests.live.conftest import Server, StartServer

People = dict[str, dict[str, Any]]
INTERVAL = 0.3  # CIRCLES_AUDIENCE_INTERVAL_SECONDS for most tests here: short, so the trailing frame comes soon


def _circle(http: httpx.Client, key: str, witnesses: int) -> tuple[str, People]:
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"))
    for number in range(witnesses):
        people[f"W{number}"] = seat(http, key, circle_id, f"W{number}", role="witness")
    return circle_id, people


def _listed_online(http: httpx.Client, key: str, circle_id: str) -> dict[str, bool]:
    page = ok(http.get(f"/v1/circles/{circle_id}/participants", headers=auth(key)))
    return {p["display_name"]: p["online"] for p in page["items"]}


def _figures(witnesses: int, online: int) -> Any:
    return lambda f: f["type"] == "audience" and (f["witnesses"], f["online"]) == (witnesses, online)


def _opener(server: Server, opened: list[LiveClient]) -> Callable[..., LiveClient]:
    def connect(circle_id: str, token: str, name: str, after: int | None = None) -> LiveClient:
        client = open_live(server.ws_url(circle_id), token, after, name=name)
        opened.append(client)
        return client

    return connect


def test_the_snapshot_counts_witnesses_and_a_witness_arriving_is_counted_not_announced(
    start_server: StartServer, sockets: list[LiveClient]
) -> None:
    server = start_server(env={"CIRCLES_AUDIENCE_INTERVAL_SECONDS": str(INTERVAL)})
    connect = _opener(server, sockets)
    http = server.http()
    circle_id, people = _circle(http, server.app_key, witnesses=3)
    ana = connect(circle_id, people["Ana"]["token"], "ana")
    assert ana.snapshot is not None
    state = ana.snapshot["state"]
    assert [p["display_name"] for p in state["participants"]] == ["Keeper", "Ana"]
    assert state["audience"] == {"witnesses": 3, "online": 0}

    w0 = connect(circle_id, people["W0"]["token"], "w0")
    assert w0.welcome is not None and w0.welcome["role"] == "witness"
    assert w0.welcome["participant_id"] == people["W0"]["id"]
    assert w0.snapshot is not None
    assert [p["display_name"] for p in w0.snapshot["state"]["participants"]] == ["Keeper", "Ana"]
    assert w0.snapshot["state"]["audience"] == {"witnesses": 3, "online": 1}

    ana.wait_for(_figures(3, 1), what="the audience with W0 listening")
    # The listing still names witnesses, with `online`, for the apps that want them.
    assert _listed_online(http, server.app_key, circle_id) == {
        "Keeper": False,
        "Ana": True,
        "W0": True,
        "W1": False,
        "W2": False,
    }
    assert http.get(f"/v1/circles/{circle_id}/state", headers=auth(server.app_key)).json()["audience"] == {
        "witnesses": 3,
        "online": 1,
    }

    w0.close()
    ana.wait_for(_figures(3, 0), what="the audience without W0")
    witness_ids = {people[f"W{n}"]["id"] for n in range(3)}
    assert [f for f in ana.presence() if f["participant_id"] in witness_ids] == []  # never one for a witness


def test_many_witnesses_arriving_in_one_interval_are_one_or_two_audience_frames_ending_on_the_final_figures(
    start_server: StartServer, sockets: list[LiveClient]
) -> None:
    interval = 3.0
    server = start_server(env={"CIRCLES_AUDIENCE_INTERVAL_SECONDS": str(interval)})
    connect = _opener(server, sockets)
    http = server.http()
    circle_id, people = _circle(http, server.app_key, witnesses=8)
    ana = connect(circle_id, people["Ana"]["token"], "ana")

    began = time.monotonic()
    witnesses = [connect(circle_id, people[f"W{n}"]["token"], f"w{n}") for n in range(8)]
    arriving = time.monotonic() - began
    final = ana.wait_for(_figures(8, 8), timeout=interval + WAIT, what="the audience with all eight")

    frames = ana.audience()
    assert frames[-1] is final
    # One frame at the first arrival, one at the end of the interval; more only if the arrivals themselves
    # took longer than an interval (a slow machine), one more per interval they spanned.
    assert 1 <= len(frames) <= 2 + int(arriving / interval), (arriving, frames)
    assert ana.presence() == []  # witnesses are not announced, and her own arrival was in her snapshot
    # The last witness to arrive was told the final figures in its snapshot.
    assert witnesses[-1].snapshot is not None and witnesses[-1].snapshot["state"]["audience"]["online"] == 8

    for witness in witnesses:
        witness.close()
    ana.wait_for(_figures(8, 0), timeout=interval + WAIT, what="the audience gone")
    assert ana.audience()[-1] == {"type": "audience", "witnesses": 8, "online": 0}


def test_a_resumed_socket_gets_keepers_and_members_online_then_the_audience(
    start_server: StartServer, sockets: list[LiveClient]
) -> None:
    server = start_server(env={"CIRCLES_AUDIENCE_INTERVAL_SECONDS": str(INTERVAL)})
    connect = _opener(server, sockets)
    http = server.http()
    circle_id, people = _circle(http, server.app_key, witnesses=2)
    keeper = connect(circle_id, people["Keeper"]["token"], "keeper")
    connect(circle_id, people["W1"]["token"], "w1")
    keeper.wait_for(_figures(2, 1), what="W1 listening")
    seen = keeper.from_seq

    back = connect(circle_id, people["Ana"]["token"], "ana", after=seen)
    assert back.replay == []
    assert sorted(back.online_after_replay or []) == sorted([people["Keeper"]["id"], people["Ana"]["id"]])
    assert back.audience_after_replay == {"type": "audience", "witnesses": 2, "online": 1}


def test_seating_and_role_changes_move_people_between_presence_and_the_audience(
    start_server: StartServer, sockets: list[LiveClient]
) -> None:
    server = start_server(env={"CIRCLES_AUDIENCE_INTERVAL_SECONDS": str(INTERVAL)})
    connect = _opener(server, sockets)
    http = server.http()
    key = server.app_key
    circle_id, people = _circle(http, key, witnesses=1)
    keeper = connect(circle_id, people["Keeper"]["token"], "keeper")
    w0 = connect(circle_id, people["W0"]["token"], "w0")
    keeper.wait_for(_figures(1, 1), what="W0 listening")

    # A witness seated: counted once the event is in.
    seat(http, key, circle_id, "W1", role="witness")
    keeper.wait_for(_figures(2, 1), what="two witnesses seated")

    # W0, listening, becomes a member: now announced by name, and no longer in the audience.
    w0_id = people["W0"]["id"]
    promoted = ok(
        http.patch(f"/v1/circles/{circle_id}/participants/{w0_id}", json={"role": "member"}, headers=auth(key))
    )
    assert promoted["online"] is True  # the answer says who is online as the write found it, witnesses included
    keeper.wait_for(
        shows_presence(w0_id, True),
        what="W0 online as a member",
    )
    # (Presence and the audience are coalesced apart: either frame can come first.)
    keeper.wait_for(_figures(1, 0), what="the audience without W0", anywhere=True)
    later = connect(circle_id, people["Ana"]["token"], "ana")
    assert later.snapshot is not None
    state = later.snapshot["state"]
    assert {p["display_name"]: p["online"] for p in state["participants"]} == {"Keeper": True, "Ana": True, "W0": True}
    assert state["audience"] == {"witnesses": 1, "online": 0}

    w0.close()
    keeper.wait_for(
        shows_presence(w0_id, False),
        what="W0 offline",
    )
