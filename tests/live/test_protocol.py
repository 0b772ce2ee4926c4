"""The live protocol through a real server and real sockets: auth, catch-up, close codes, presence, origins."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from tests.factories import auth, create_circle, finish, ok, open_turn, seat, start_round
from tests.live.client import (
    LiveClient,
    assert_gapless,
    assert_saw_log,
    close_code_for,
    full_log,
    open_live,
    seat_people,
    shows_presence,
)
from tests.live.conftest import Connect, Server, StartServer

People = dict[str, dict[str, Any]]


def _circle(http: httpx.Client, key: str) -> tuple[str, People]:
    circle = create_circle(http, key)
    people = seat_people(http, key, circle["id"], ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    return circle["id"], people


def _online(http: httpx.Client, key: str, circle_id: str) -> dict[str, bool]:
    page = ok(http.get(f"/v1/circles/{circle_id}/participants", headers=auth(key)))
    return {p["display_name"]: p["online"] for p in page["items"]}


def test_welcome_then_snapshot_without_after(server: Server, http: httpx.Client, live: Connect) -> None:
    circle_id, people = _circle(http, server.app_key)
    ana = live(circle_id, people["Ana"]["token"])
    assert ana.welcome is not None and ana.snapshot is not None
    assert ana.welcome["participant_id"] == people["Ana"]["id"] and ana.welcome["role"] == "member"
    assert ana.welcome["server_time"]
    state = ana.snapshot["state"]
    assert ana.snapshot["seq"] == state["seq"] == 3  # three joins
    assert [p["display_name"] for p in state["participants"]] == ["Keeper", "Ana", "Ben"]
    assert {p["display_name"]: p["online"] for p in state["participants"]} == {
        "Keeper": False,
        "Ana": True,
        "Ben": False,
    }
    assert state["round"] is None and state["turn"] is None

    app = live(circle_id, server.app_key)
    assert app.welcome == {**app.welcome, "participant_id": None, "role": "app"}
    # The credential travels in the first message only: never in a URL, so never in the access log.
    assert server.app_key not in server.ws_url(circle_id)
    assert people["Ana"]["token"] not in server.log() and server.app_key not in server.log()


def test_arrivals_at_one_seq_share_a_read_but_each_sees_its_own_moment(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    """The state as of a seq is read once for all the sockets that arrive at it; who is online and the
    clock are still each arrival's own, and a change means a fresh read."""
    key = server.app_key
    circle_id, people = _circle(http, key)
    keeper = live(circle_id, people["Keeper"]["token"])
    ana = live(circle_id, people["Ana"]["token"])
    assert keeper.snapshot is not None and ana.snapshot is not None
    first, second = keeper.snapshot["state"], ana.snapshot["state"]
    assert first["seq"] == second["seq"]
    assert {p["display_name"]: p["online"] for p in first["participants"]}["Ana"] is False
    assert {p["display_name"]: p["online"] for p in second["participants"]} == {
        "Keeper": True,
        "Ana": True,
        "Ben": False,
    }
    assert second["server_time"] >= first["server_time"]

    ok(
        http.patch(
            f"/v1/circles/{circle_id}/participants/{people['Ben']['id']}",
            json={"display_name": "Benji"},
            headers=auth(key),
        )
    )
    ben = live(circle_id, people["Ben"]["token"])
    assert ben.snapshot is not None and ben.snapshot["state"]["seq"] == first["seq"] + 1
    assert [p["display_name"] for p in ben.snapshot["state"]["participants"]] == ["Keeper", "Ana", "Benji"]


def test_resume_with_after_gets_exactly_the_missed_events_then_who_is_online(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id, people = _circle(http, key)
    keeper = live(circle_id, people["Keeper"]["token"], name="keeper")
    ana = live(circle_id, people["Ana"]["token"], name="ana")
    seen_upto = ana.from_seq
    assert seen_upto == 3
    ana.close()

    seat(http, key, circle_id, "Cai")
    round_ = start_round(http, key, circle_id)
    round_ = ok(finish(http, people["Keeper"]["token"], circle_id, open_turn(round_)["id"]))
    missed = full_log(http, key, circle_id, after=seen_upto)
    assert len(missed) == 5  # joined, round.started, turn.started, turn.ended, turn.started

    back = live(circle_id, people["Ana"]["token"], after=seen_upto, name="ana again")
    assert back.snapshot is None
    assert [(f["seq"], f["name"], f["data"]) for f in back.replay] == [(e["seq"], e["name"], e["data"]) for e in missed]
    assert sorted(back.online_after_replay or []) == sorted([people["Keeper"]["id"], people["Ana"]["id"]])

    # ... and then it goes on live, from the very next seq.
    ok(finish(http, people["Ana"]["token"], circle_id, open_turn(round_)["id"], "passed"))
    back.wait_for_seq(missed[-1]["seq"] + 2)
    keeper.wait_for_seq(missed[-1]["seq"] + 2)
    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert_gapless([seq for seq, _ in back.seen()], seen_upto + 1)
    assert_saw_log(back, log)
    assert_saw_log(keeper, log)

    # Resuming from the newest seq replays nothing; from a seq the circle never reached, a snapshot.
    current = live(circle_id, people["Ben"]["token"], after=log[-1]["seq"])
    assert current.replay == [] and current.online_after_replay is not None
    confused = live(circle_id, people["Ben"]["token"], after=log[-1]["seq"] + 100)
    assert confused.snapshot is not None and confused.snapshot["seq"] == log[-1]["seq"]


def test_resume_lists_only_this_circles_participants_as_online(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id, people = _circle(http, key)
    other_id, others = _circle(http, key)
    live(other_id, others["Ben"]["token"])
    ana = live(circle_id, people["Ana"]["token"], after=0)
    assert ana.online_after_replay == [people["Ana"]["id"]]


def test_no_auth_in_time_closes_4408(start_server: StartServer) -> None:
    server = start_server(env={"CIRCLES_AUTH_TIMEOUT_SECONDS": "1"})
    circle_id = create_circle(server.http(), server.app_key)["id"]
    assert close_code_for(server.ws_url(circle_id), None, timeout=5) == 4408


BAD_FIRST_MESSAGES: list[dict[str, Any] | str] = [
    {"type": "auth", "token": "cpt_not-a-real-token"},
    {"type": "auth", "token": "ck_not-a-real-key"},
    {"type": "auth", "token": "neither"},
    {"type": "auth", "token": ""},
    {"type": "auth"},
    {"type": "hello", "token": "x"},
    {"type": "auth", "token": "x", "after": -1},
    {"type": "auth", "token": "x", "extra": 1},
    "not json at all",
    "[]",
]


def test_a_bad_first_message_closes_4401_and_an_oversized_one_1009(server: Server, http: httpx.Client) -> None:
    circle_id = create_circle(http, server.app_key)["id"]
    codes = {json.dumps(m): close_code_for(server.ws_url(circle_id), m) for m in BAD_FIRST_MESSAGES}
    assert codes == {json.dumps(m): 4401 for m in BAD_FIRST_MESSAGES}
    with LiveClient.connect(server.ws_url(circle_id)) as client:
        client.ws.send(b'{"type": "auth"}')  # bytes, not text
        assert client.wait_closed() == 4401
    too_big = {"type": "auth", "token": "x" * (64 * 1024)}  # over CIRCLES_MAX_MESSAGE_BYTES' default
    assert close_code_for(server.ws_url(circle_id), too_big) == 1009


def test_a_circle_the_credential_does_not_belong_to_closes_4404(server: Server, http: httpx.Client) -> None:
    key = server.app_key
    circle_id, people = _circle(http, key)
    other_id, _ = _circle(http, key)
    unknown = "00000000-0000-4000-8000-000000000000"

    def code(circle: str, token: str) -> int | None:
        return close_code_for(server.ws_url(circle), {"type": "auth", "token": token})

    assert code(other_id, people["Ana"]["token"]) == 4404  # another circle's participant
    assert code(unknown, key) == 4404
    assert code(unknown, people["Ana"]["token"]) == 4404
    assert code("not-a-uuid", key) == 4404
    assert code(circle_id, server.other_app_key) == 4404  # another app's key
    with open_live(server.ws_url(circle_id), people["Ana"]["token"]) as ana:
        assert ana.welcome is not None and ana.welcome["participant_id"] == people["Ana"]["id"]


def test_a_closed_circle_closes_4410(server: Server, http: httpx.Client) -> None:
    circle_id, people = _circle(http, server.app_key)
    ok(http.post(f"/v1/circles/{circle_id}/close", headers=auth(server.app_key)))
    for token in (server.app_key, people["Keeper"]["token"], people["Ana"]["token"]):
        assert close_code_for(server.ws_url(circle_id), {"type": "auth", "token": token}) == 4410


def test_closing_the_circle_sends_circle_closed_then_4410_to_everyone(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id, people = _circle(http, key)
    start_round(http, key, circle_id)
    clients = [live(circle_id, token) for token in (key, people["Keeper"]["token"], people["Ana"]["token"])]
    ok(http.post(f"/v1/circles/{circle_id}/close", headers=auth(people["Keeper"]["token"])))
    log = full_log(http, key, circle_id)
    assert [e["name"] for e in log[-3:]] == ["turn.ended", "round.ended", "circle.closed"]
    for client in clients:
        assert client.wait_closed() == 4410
        assert client.seen() == [(e["seq"], e["name"]) for e in log[-3:]]


def test_erasing_the_circle_closes_4410(server: Server, http: httpx.Client, live: Connect) -> None:
    key = server.app_key
    circle_id, people = _circle(http, key)
    clients = [live(circle_id, token) for token in (key, people["Keeper"]["token"], people["Ben"]["token"])]
    assert http.delete(f"/v1/circles/{circle_id}", headers=auth(key)).status_code == 204
    for client in clients:
        assert client.wait_closed() == 4410
    assert close_code_for(server.ws_url(circle_id), {"type": "auth", "token": key}) == 4404


def test_a_removed_participant_gets_participant_left_then_4403_and_others_stay(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    key = server.app_key
    circle_id, people = _circle(http, key)
    keeper, ana, ben = (live(circle_id, people[name]["token"], name=name) for name in ("Keeper", "Ana", "Ben"))
    keeper.wait_until_online(people["Ana"]["id"])
    response = http.delete(
        f"/v1/circles/{circle_id}/participants/{people['Ana']['id']}", headers=auth(people["Keeper"]["token"])
    )
    assert response.status_code == 204
    assert ana.wait_closed() == 4403
    assert ana.events[-1]["name"] == "participant.left"
    assert ana.events[-1]["data"]["participant_id"] == people["Ana"]["id"]

    cai = seat(http, people["Keeper"]["token"], circle_id, "Cai")
    for client in (keeper, ben):
        left = client.wait_for_event("participant.left")
        assert left["data"]["participant_id"] == people["Ana"]["id"]
        joined = client.wait_for_event("participant.joined")
        assert joined["data"]["participant"]["id"] == cai["id"]
    assert keeper.close_code is None and ben.close_code is None
    assert keeper.wait_for(
        shows_presence(people["Ana"]["id"], False), anywhere=True
    )  # her socket is gone: she is offline
    # The removed participant's token is revoked: coming back is refused.
    assert close_code_for(server.ws_url(circle_id), {"type": "auth", "token": people["Ana"]["token"]}) == 4401


def test_presence_frames_and_online_follow_the_sockets(server: Server, http: httpx.Client, live: Connect) -> None:
    key = server.app_key
    circle_id, people = _circle(http, key)
    ana_id = people["Ana"]["id"]

    def presence_of_ana(online: bool) -> Any:
        return shows_presence(ana_id, online)

    keeper = live(circle_id, people["Keeper"]["token"], name="keeper")
    assert _online(http, key, circle_id) == {"Keeper": True, "Ana": False, "Ben": False}

    first = live(circle_id, people["Ana"]["token"], name="ana 1")
    keeper.wait_for(presence_of_ana(True), what="Ana online")
    assert _online(http, key, circle_id) == {"Keeper": True, "Ana": True, "Ben": False}
    second = live(circle_id, people["Ana"]["token"], name="ana 2")
    assert second.snapshot is not None
    assert {p["display_name"]: p["online"] for p in second.snapshot["state"]["participants"]}["Ana"] is True

    # Closing one of two sockets leaves Ana online: the next frame the keeper gets is the next event.
    first.close()
    ok(http.patch(f"/v1/circles/{circle_id}", json={"name": "Renamed"}, headers=auth(key)))
    keeper.wait_for_event("circle.updated")
    assert not [f for f in keeper.presence() if f["online"] is False]
    assert _online(http, key, circle_id)["Ana"] is True

    second.close()
    keeper.wait_for(presence_of_ana(False), what="Ana offline")
    assert _online(http, key, circle_id) == {"Keeper": True, "Ana": False, "Ben": False}
    assert [f["online"] for f in keeper.presence() if f["participant_id"] == ana_id] == [True, False]


def test_allowed_origins_refuse_other_origins_with_403(start_server: StartServer) -> None:
    server = start_server(env={"CIRCLES_ALLOWED_ORIGINS": "https://ok.example, https://also.example"})
    http = server.http()
    circle_id, people = _circle(http, server.app_key)
    url = server.ws_url(circle_id)

    with pytest.raises(InvalidStatus) as refused:
        LiveClient.connect(url, origin="https://evil.example")
    assert refused.value.response.status_code == 403

    for origin in ("https://ok.example", "https://also.example", None):  # None: a server-side client
        with LiveClient.connect(url, origin=origin) as client:
            client.authenticate(people["Ana"]["token"])
            client.read_catch_up(None)
            assert client.welcome is not None and client.snapshot is not None
    assert "CIRCLES_ALLOWED_ORIGINS is unset" not in server.log()


def test_without_allowed_origins_any_origin_connects_and_the_log_says_so(server: Server, http: httpx.Client) -> None:
    circle_id, people = _circle(http, server.app_key)
    with LiveClient.connect(server.ws_url(circle_id), origin="https://anywhere.example") as client:
        client.authenticate(people["Ana"]["token"])
        client.read_catch_up(None)
        assert client.welcome is not None
    assert "CIRCLES_ALLOWED_ORIGINS is unset" in server.log()
