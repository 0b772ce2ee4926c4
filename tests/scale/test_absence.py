"""Absence rounds across instances on PostgreSQL and Redis: presence on any instance counts, both when the
piece reaches someone and when a holder's socket drops; the grace runs out once, whichever instance fires."""

from __future__ import annotations

import time

import pytest

from tests.factories import auth, create_circle, finish, ok, start_round
from tests.live.client import assert_gapless, full_log, seat_people, turn_events
from tests.scale.conftest import SWEEP_SECONDS, MakeCluster

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

GRACE_SECONDS = 2


def test_presence_on_any_instance_counts_and_the_grace_runs_out_once(cluster: MakeCluster) -> None:
    a, b = group = cluster(2, env={"CIRCLES_AWAY_GRACE_SECONDS": str(GRACE_SECONDS)})
    key = group.app_key
    http_a, http_b = a.http(), b.http()
    circle_id = create_circle(http_a, key)["id"]
    people = seat_people(http_a, key, circle_id, ("Kim", "keeper"), ("Ana", "member"), ("Ben", "member"))
    ids = {name: p["id"] for name, p in people.items()}
    group.live(a, circle_id, people["Kim"]["token"], name="Kim")
    ana_on_a = group.live(a, circle_id, people["Ana"]["token"], name="Ana")
    ana_on_b = group.live(b, circle_id, people["Ana"]["token"], name="Ana")
    watch = group.live(b, circle_id, key, name="app")

    # Started through B: Kim (connected to A) is online, so she holds the piece, and Ana after her.
    round_ = start_round(http_b, key, circle_id, absence=True, turn_seconds=None)
    assert round_["turns"][0]["participant_id"] == ids["Kim"]
    round_ = ok(finish(http_a, people["Kim"]["token"], circle_id, round_["turns"][0]["id"]))
    anas = round_["turns"][1]
    assert (anas["participant_id"], anas["outcome"]) == (ids["Ana"], None), "online on A and B: not passed over"

    # Ana's socket on B drops, but she is still on A: the piece does not wait for her.
    ana_on_b.close()
    time.sleep(1.0 + SWEEP_SECONDS)
    assert turn_events(full_log(http_b, key, circle_id), "turn.away", anas["id"]) == []

    # Her last socket (on A) drops: she is away; she comes back on B within the grace and keeps the piece.
    ana_on_a.close()
    away = watch.wait_for_event("turn.away")["data"]["turn"]
    assert away["id"] == anas["id"]
    ana_again = group.live(b, circle_id, people["Ana"]["token"], name="Ana again")
    assert watch.wait_for_event("turn.back")["data"]["turn"]["id"] == anas["id"]

    # She drops for good: after the grace the piece moves on, once, though both instances keep timers.
    ana_again.close()
    watch.wait_for_event("turn.away")
    gone = watch.wait_for_event("turn.ended", GRACE_SECONDS + 10)["data"]["turn"]
    assert (gone["id"], gone["outcome"]) == (anas["id"], "absent")
    assert watch.wait_for_event("round.ended")["data"]["round"]["end_reason"] == "completed"
    time.sleep(2 * SWEEP_SECONDS + 0.5)
    log = full_log(http_a, key, circle_id)
    assert_gapless([e["seq"] for e in log])
    assert len(turn_events(log, "turn.ended", anas["id"])) == 1
    assert [e["data"]["turn"]["outcome"] for e in log if e["name"] == "turn.ended"] == ["spoke", "absent", "absent"]
    round_now = ok(http_a.get(f"/v1/circles/{circle_id}/rounds/{round_['id']}", headers=auth(key)))
    assert [t["participant_id"] for t in round_now["turns"]] == [ids["Kim"], ids["Ana"], ids["Ben"]]
