"""Absence rounds on a real server with real sockets: someone offline when the piece reaches them is passed
over and keeps their seat; a holder whose socket drops and comes back within the grace keeps the piece; one
who does not come back is moved on by the server's own timer, once.

The server runs on a clock the test moves (see `Server.advance`): a grace period ends when the test moves the
clock past it. Waits that give the deadline sweep (whose cadence is the wall clock's) chances to misfire stay."""

from __future__ import annotations

import time
from datetime import datetime

import httpx

from tests.factories import auth, create_circle, finish, ok, start_round
from tests.live.client import LiveClient, assert_gapless, full_log, open_live, seat_people, turn_events, wait_until
from tests.live.conftest import SWEEP_SECONDS, StartServer

GRACE_SECONDS = 2


def test_the_offline_are_passed_over_and_a_holder_who_drops_has_the_grace_to_come_back(
    start_server: StartServer, sockets: list[LiveClient]
) -> None:
    server = start_server({"CIRCLES_AWAY_GRACE_SECONDS": str(GRACE_SECONDS)}, clocked=True)
    http: httpx.Client = server.http()
    key = server.app_key
    circle_id = create_circle(http, key, name="Absence")["id"]
    people = seat_people(
        http, key, circle_id, ("Kim", "keeper"), ("Ana", "member"), ("Ben", "member"), ("Cy", "member")
    )
    ids = {name: p["id"] for name, p in people.items()}

    def connect(credential: str, name: str) -> LiveClient:
        sockets.append(open_live(server.ws_url(circle_id), credential, name=name))
        return sockets[-1]

    watch = connect(key, "app")
    screens = {name: connect(people[name]["token"], name) for name in ("Kim", "Ben", "Cy")}

    start_round(http, key, circle_id, absence=True, turn_seconds=None)
    kims = watch.wait_for_event("turn.started")["data"]["turn"]
    assert kims["participant_id"] == ids["Kim"]
    ok(finish(http, people["Kim"]["token"], circle_id, kims["id"]))

    # Ana has no socket: she is passed over at once, and keeps her seat.
    watch.wait_for_event("turn.ended", where=lambda f: f["data"]["turn"]["id"] == kims["id"])
    anas = watch.wait_for_event("turn.ended")["data"]["turn"]
    assert (anas["participant_id"], anas["outcome"]) == (ids["Ana"], "absent")
    assert anas["started_at"] == anas["ended_at"]
    seated = ok(http.get(f"/v1/circles/{circle_id}/participants", headers=auth(key)))["items"]
    assert ids["Ana"] in [p["id"] for p in seated]

    # Ben holds the piece; his socket drops, and he comes back within the grace: he keeps it.
    bens = watch.wait_for_event("turn.started")["data"]["turn"]
    assert bens["participant_id"] == ids["Ben"]
    screens["Ben"].close()
    away = watch.wait_for_event("turn.away")["data"]["turn"]
    assert away["id"] == bens["id"] and away["away_until"] is not None
    screens["Ben"] = connect(people["Ben"]["token"], "Ben again")
    back = watch.wait_for_event("turn.back")["data"]["turn"]
    assert back["id"] == bens["id"] and back["away_until"] is None
    server.advance_to(away["away_until"], past_by=1.0)  # past the grace he no longer needed
    round_ = ok(finish(http, people["Ben"]["token"], circle_id, bens["id"]))  # still his: the piece waited
    assert [t["outcome"] for t in round_["turns"]] == ["spoke", "absent", "spoke", None]

    # Cy holds it, drops and does not come back: after the grace the server moves the piece on.
    cys = watch.wait_for_event("turn.started", where=lambda f: f["data"]["turn"]["participant_id"] == ids["Cy"])
    cys = cys["data"]["turn"]
    screens["Cy"].close()
    cy_away = watch.wait_for_event("turn.away")["data"]["turn"]
    server.advance_to(cy_away["away_until"])
    gone = watch.wait_for_event("turn.ended")["data"]["turn"]
    assert (gone["id"], gone["outcome"]) == (cys["id"], "absent")
    assert datetime.fromisoformat(gone["ended_at"]) >= datetime.fromisoformat(cy_away["away_until"])
    assert watch.wait_for_event("round.ended")["data"]["round"]["end_reason"] == "completed"

    time.sleep(2 * SWEEP_SECONDS + 0.3)  # the sweep gets two chances to fire it a second time: it must not
    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert len(turn_events(log, "turn.ended", cys["id"])) == 1, "the grace ran out once"
    assert len(turn_events(log, "turn.away", bens["id"])) == 1 and len(turn_events(log, "turn.back", bens["id"])) == 1
    assert [e["data"]["turn"]["outcome"] for e in log if e["name"] == "turn.ended"] == [
        "spoke",
        "absent",
        "spoke",
        "absent",
    ]


def test_the_grace_survives_a_restart_and_a_restart_gives_holders_the_grace_to_reconnect(
    start_server: StartServer, sockets: list[LiveClient]
) -> None:
    server = start_server({"CIRCLES_AWAY_GRACE_SECONDS": str(GRACE_SECONDS)}, clocked=True)
    http: httpx.Client = server.http()
    key = server.app_key
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Kim", "keeper"), ("Ana", "member"))
    kim = open_live(server.ws_url(circle_id), people["Kim"]["token"], name="Kim")
    sockets.append(kim)
    round_ = start_round(http, key, circle_id, absence=True, turn_seconds=None)
    kims = round_["turns"][0]
    assert kims["participant_id"] == people["Kim"]["id"]

    def turn_now() -> dict:
        return ok(http.get(f"/v1/circles/{circle_id}/rounds/{round_['id']}", headers=auth(key)))["turns"][0]

    # The restart drops every socket: at start the holder is marked away, and reconnecting keeps the piece.
    server.kill()
    kim.close()
    server.start()
    away = wait_until(lambda: turn_now()["away_until"], what="the holder marked away after the restart")
    assert away is not None
    sockets.append(open_live(server.ws_url(circle_id), people["Kim"]["token"], name="Kim again"))
    back = wait_until(lambda: (t := turn_now())["away_until"] is None and t, what="the holder back")
    assert back["ended_at"] is None

    # Her socket drops and the server dies before the grace ends: after the restart it ends once.
    sockets[-1].close()
    away_until = wait_until(lambda: turn_now()["away_until"], what="the holder away again")
    server.kill()
    server.start_clock_at(away_until, past_by=0.3)  # the grace ran out while the server was down
    server.start()
    ended = wait_until(lambda: (t := turn_now())["ended_at"] and t, what="the grace to run out after the restart")
    assert ended["outcome"] == "absent"
    time.sleep(2 * SWEEP_SECONDS + 0.3)  # the sweep gets two chances to fire it a second time: it must not
    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert len(turn_events(log, "turn.ended", kims["id"])) == 1
    assert [e["data"]["turn"]["outcome"] for e in log if e["name"] == "turn.ended"] == ["absent", "absent"]
    assert log[-1]["name"] == "round.ended", "Ana, offline since the restart, was passed over too"
