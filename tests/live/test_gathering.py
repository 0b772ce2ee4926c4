"""A whole gathering over real sockets: the keeper plans it and starts each planned round from their socket,
members end their own turns from theirs, one asks for support (seen only by the keeper and the app), and the
airtime summary closes it."""

from __future__ import annotations

import httpx

from tests.factories import create_circle
from tests.live.client import assert_gapless, assert_saw_log, full_log, seat_people
from tests.live.conftest import Connect, Server
from tests.live.test_commands import command, refused, result

PLAN = [
    {"phase": "check_in", "prompt": "How are you arriving?", "turn_seconds": 60},
    {"phase": "closing", "prompt": "One word to close", "turn_seconds": None},
]


def test_a_planned_gathering_driven_from_the_sockets(server: Server, http: httpx.Client, live: Connect) -> None:
    key = server.app_key
    circle_id = create_circle(
        http, key, support_resources=[{"label": "Crisis line", "text": "Call or text 988", "url": "tel:988"}]
    )["id"]
    people = seat_people(http, key, circle_id, ("Kim", "keeper"), ("Ana", "member"), ("Ben", "member"))
    sockets = {name: live(circle_id, person["token"], name=name) for name, person in people.items()}
    app = live(circle_id, key, name="app")
    kim, ana, ben = sockets["Kim"], sockets["Ana"], sockets["Ben"]
    assert ana.snapshot is not None and ana.snapshot["state"]["circle"]["support_resources"][0]["url"] == "tel:988"

    refused(command(ana, "plan_gathering", rounds=PLAN), 403, "keeper_only")
    planned = result(command(kim, "plan_gathering", rounds=PLAN))
    assert ben.wait_for_event("gathering.planned")["data"]["gathering"] == planned
    assert result(command(ana, "get_gathering")) == planned

    for position, step in enumerate(PLAN):
        advanced = result(command(kim, "start_next_planned_round", position=position))
        assert advanced["round"]["prompt"] == step["prompt"]
        assert ana.wait_for_event("gathering.advanced")["data"]["gathering"] == advanced["gathering"]
        round_id = advanced["round"]["id"]
        if position == 0:
            asked = result(command(ben, "ask_for_support"))
            told = kim.wait_for(lambda f: f["type"] == "support")
            assert told["signal_id"] == asked["id"] and told["participant_id"] == people["Ben"]["id"]
            assert app.wait_for(lambda f: f["type"] == "support")["signal_id"] == asked["id"]
        for name in ("Kim", "Ana", "Ben"):
            turn = sockets[name].wait_for(
                lambda f, n=name, r=round_id: (
                    f["type"] == "event"
                    and f["name"] == "turn.started"
                    and f["data"]["turn"]["participant_id"] == people[n]["id"]
                    and f["data"]["turn"]["round_id"] == r
                ),
                anywhere=True,  # frames passed over by earlier waits count too
            )["data"]["turn"]
            outcome = "passed" if name == "Ben" and position == 1 else "spoke"
            result(command(sockets[name], "finish_turn", turn_id=turn["id"], outcome=outcome))
        ana.wait_for_event("round.ended", where=lambda f, r=round_id: f["data"]["round"]["id"] == r)
    refused(command(kim, "start_next_planned_round"), 409, "gathering_complete")

    airtime = result(command(kim, "get_gathering_airtime", gathering_id=planned["id"]))
    assert len(airtime["rounds"]) == 2 and airtime["balance"] is not None and 0 <= airtime["balance"] <= 1
    ben_airtime = next(p for p in airtime["people"] if p["participant_id"] == people["Ben"]["id"])
    assert ben_airtime["outcomes"] == {"spoke": 1, "passed": 1}
    refused(command(ana, "get_gathering_airtime", gathering_id=planned["id"]), 403, "keeper_only")

    log = full_log(http, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert "support" not in {e["name"].split(".")[0] for e in log}
    for client in (*sockets.values(), app):
        client.wait_for_seq(log[-1]["seq"])
        assert_saw_log(client, log)
    for member in (ana, ben):
        assert [f for f in member.frames if f["type"] == "support"] == []
