"""The audience across instances: witnesses are counted wherever their sockets are, in their own Redis set
(counted, never read whole on an arrival), and an instance that dies takes its witnesses out of the count
within the presence TTL."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
import redis

from tests.factories import auth, create_circle, ok, seat
from tests.live.client import Frame, seat_people
from tests.scale.conftest import PRESENCE_TTL_SECONDS, MakeCluster

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _figures(witnesses: int, online: int) -> Callable[[Frame], bool]:
    return lambda f: f["type"] == "audience" and (f["witnesses"], f["online"]) == (witnesses, online)


def _listed_online(http: httpx.Client, key: str, circle_id: str) -> dict[str, bool]:
    page = ok(http.get(f"/v1/circles/{circle_id}/participants", headers=auth(key)))
    return {p["display_name"]: p["online"] for p in page["items"]}


def test_witnesses_on_two_instances_are_counted_on_both_and_a_dead_instance_leaves_the_count(
    cluster: MakeCluster,
) -> None:
    a, b = group = cluster(2, env={"CIRCLES_AUDIENCE_INTERVAL_SECONDS": "0.3"})
    key = group.app_key
    http = a.http()
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"))
    witnesses = [seat(http, key, circle_id, f"W{n}", role="witness") for n in range(6)]

    keeper = group.live(a, circle_id, people["Keeper"]["token"], name="Keeper")
    ana = group.live(b, circle_id, people["Ana"]["token"], name="Ana")
    for n, witness in enumerate(witnesses):
        group.live(a if n < 3 else b, circle_id, witness["token"], name=f"W{n}")

    keeper.wait_for(_figures(6, 6), what="all six witnesses counted on A")
    ana.wait_for(_figures(6, 6), what="all six witnesses counted on B")
    late = group.live(b, circle_id, key, name="app")
    assert late.snapshot is not None
    assert late.snapshot["state"]["audience"] == {"witnesses": 6, "online": 6}
    assert [p["display_name"] for p in late.snapshot["state"]["participants"]] == ["Keeper", "Ana"]
    # Presence frames name keepers and members only, from either instance.
    witness_ids = {w["id"] for w in witnesses}
    assert [f for f in keeper.presence() + ana.presence() if f["participant_id"] in witness_ids] == []
    # The listing still names every witness online, wherever their socket is.
    assert _listed_online(http, key, circle_id) == {"Keeper": True, "Ana": True, **{f"W{n}": True for n in range(6)}}

    # The witnesses are in a set of their own; the keepers' and members' set stays small.
    with redis.Redis.from_url(group.broker_url, socket_timeout=2, decode_responses=True) as client:
        assert client.zcard(f"{group.prefix}audience:{circle_id}") == 6
        assert client.zcard(f"{group.prefix}online:{circle_id}") == 2

    # B dies with three witnesses' sockets (and Ana's): A's keeper sees the count fall within the TTL.
    b.kill()
    keeper.wait_for(_figures(6, 3), timeout=PRESENCE_TTL_SECONDS + 4, what="B's witnesses gone", anywhere=True)


def test_a_person_with_sockets_on_two_instances_counts_once_and_stays_while_either_lives(
    cluster: MakeCluster,
) -> None:
    a, b = group = cluster(2, env={"CIRCLES_AUDIENCE_INTERVAL_SECONDS": "0.3"})
    key = group.app_key
    http = a.http()
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"))
    both, one = (seat(http, key, circle_id, name, role="witness") for name in ("Both", "One"))

    keeper = group.live(a, circle_id, people["Keeper"]["token"], name="Keeper")
    both_on_a = group.live(a, circle_id, both["token"], name="Both")
    both_on_b = group.live(b, circle_id, both["token"], name="Both")
    one_on_b = group.live(b, circle_id, one["token"], name="One")
    group.live(a, circle_id, people["Ana"]["token"], name="Ana")
    ana_on_b = group.live(b, circle_id, people["Ana"]["token"], name="Ana")

    # Each socket is on the board before its welcome: a late snapshot counts two witnesses online, not three.
    late = group.live(b, circle_id, key, name="app")
    assert late.snapshot is not None
    assert late.snapshot["state"]["audience"] == {"witnesses": 2, "online": 2}
    assert {p["display_name"]: p["online"] for p in late.snapshot["state"]["participants"]} == {
        "Keeper": True,
        "Ana": True,
    }
    keeper.wait_for(_figures(2, 2), what="two witnesses online on A")
    with redis.Redis.from_url(group.broker_url, socket_timeout=2, decode_responses=True) as client:
        assert client.zcard(f"{group.prefix}audience:{circle_id}") == 2
        assert client.zcard(f"{group.prefix}online:{circle_id}") == 2

    # Both's, One's and Ana's sockets on B close: Both and Ana are still online through A, One is not.
    for socket in (both_on_b, one_on_b, ana_on_b):
        socket.close()
    keeper.wait_for(_figures(2, 1), what="One gone, Both still counted")
    assert _listed_online(http, key, circle_id) == {"Keeper": True, "Ana": True, "Both": True, "One": False}

    # Both's last socket closes: nobody in the audience is left.
    both_on_a.close()
    keeper.wait_for(_figures(2, 0), what="Both gone with their last socket")
    assert _listed_online(http, key, circle_id)["Both"] is False
