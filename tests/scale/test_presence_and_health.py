"""Presence across instances (online while any instance holds a socket; offline within the TTL after that
instance dies), /livez and /readyz, and the drain on SIGTERM."""

from __future__ import annotations

import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from circles.records.circle.models import Circle
from tests.factories import auth, create_circle, finish, ok, open_turn, start_round
from tests.live.client import Frame, LiveClient, seat_people, shows_presence, wait_until
from tests.scale.conftest import PRESENCE_TTL_SECONDS, Instance, MakeCluster, PrivateRedis

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _online(http: httpx.Client, key: str, circle_id: str) -> dict[str, bool]:
    page = ok(http.get(f"/v1/circles/{circle_id}/participants", headers=auth(key)))
    return {p["display_name"]: p["online"] for p in page["items"]}


def _presence_of(participant_id: str, online: bool) -> Callable[[Frame], bool]:
    return shows_presence(participant_id, online)


def test_online_while_any_instance_holds_a_socket_and_offline_soon_after_that_instance_dies(
    cluster: MakeCluster,
) -> None:
    a, b, c = group = cluster(3)
    key = group.app_key
    http = {i.name: i.http() for i in group}
    circle_id = create_circle(http["A"], key)["id"]
    people = seat_people(http["A"], key, circle_id, ("Keeper", "keeper"), ("Ana", "member"), ("Ben", "member"))
    ana, ben = people["Ana"]["id"], people["Ben"]["id"]

    keeper = group.live(a, circle_id, people["Keeper"]["token"], name="Keeper")
    wait_until(lambda: _online(http["B"], key, circle_id) == {"Keeper": True, "Ana": False, "Ben": False},
               what="B to see the keeper (on A) online")  # fmt: skip

    # Ana opens a screen on B and one on C; Ben one on C. The keeper, on A, hears of both.
    ana_on_b = group.live(b, circle_id, people["Ana"]["token"], name="Ana")
    keeper.wait_for(_presence_of(ana, True), what="Ana online (from B)")
    ana_on_c = group.live(c, circle_id, people["Ana"]["token"], name="Ana")
    group.live(c, circle_id, people["Ben"]["token"], name="Ben")
    keeper.wait_for(_presence_of(ben, True), what="Ben online (from C)")
    everyone = {"Keeper": True, "Ana": True, "Ben": True}
    for instance in group:
        assert _online(http[instance.name], key, circle_id) == everyone, instance
    snapshot = group.live(b, circle_id, key, name="app").snapshot
    assert snapshot is not None
    assert {p["display_name"]: p["online"] for p in snapshot["state"]["participants"]} == everyone
    assert ana_on_c.snapshot is not None

    # Ana closes her screen on B: she still has one on C, so she stays online, beyond the TTL too
    # (the instances holding sockets keep their presence alive).
    ana_on_b.close()
    time.sleep(PRESENCE_TTL_SECONDS + 1.5)
    ok(http["B"].patch(f"/v1/circles/{circle_id}", json={"name": "Still here"}, headers=auth(key)))
    keeper.wait_for_event("circle.updated")
    assert [f for f in keeper.presence() if f["online"] is False] == [], keeper.presence()
    for instance in group:
        assert _online(http[instance.name], key, circle_id) == everyone, instance

    # C dies with Ana's and Ben's only sockets: both go offline within the TTL and a few seconds.
    killed = time.monotonic()
    c.kill()
    keeper.wait_for(_presence_of(ana, False), timeout=PRESENCE_TTL_SECONDS + 4, what="Ana offline", anywhere=True)
    keeper.wait_for(_presence_of(ben, False), timeout=PRESENCE_TTL_SECONDS + 4, what="Ben offline", anywhere=True)
    assert time.monotonic() - killed < PRESENCE_TTL_SECONDS + 4
    offline = {"Keeper": True, "Ana": False, "Ben": False}
    for name in ("A", "B"):
        assert _online(http[name], key, circle_id) == offline, name
    assert [f["online"] for f in keeper.presence() if f["participant_id"] == ana] == [True, False]

    # C comes back: nobody is online through it until someone connects to it again.
    c.start()
    assert _online(c.http(), key, circle_id) == offline
    group.live(c, circle_id, people["Ana"]["token"], name="Ana again")
    keeper.wait_for(_presence_of(ana, True), what="Ana online again (from C)")


def _ready(instance: Instance) -> int:
    return instance.get("/readyz").status_code


def test_readyz_stays_ready_through_a_broker_outage_and_reports_it_degraded(
    cluster: MakeCluster, private_redis: PrivateRedis
) -> None:
    """Ready means "can serve", and with Redis away every instance still can (commands commit, events reach
    every socket from the log): a load balancer following /readyz must not take them all out for a blip."""
    a, b = group = cluster(2, broker_url=private_redis.url)
    for instance in group:
        assert instance.get("/livez").status_code == 200
        ready = instance.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json() == {"status": "ready", "draining": False, "database": True,
                                "broker": {"kind": "redis", "status": "ok"}}  # fmt: skip

    private_redis.stop()
    broker = {"kind": "redis", "status": "degraded"}
    degraded = {"status": "ready", "draining": False, "database": True, "broker": broker}
    for instance in group:
        down = instance.get("/readyz")
        assert (down.status_code, down.json()) == (200, degraded), down.text
        assert instance.get("/livez").status_code == 200
    circle = create_circle(a.http(), group.app_key)  # the API works on the database alone
    ok(b.http().get(f"/v1/circles/{circle['id']}/state", headers=auth(group.app_key)))

    private_redis.start()
    wait_until(lambda: all(i.get("/readyz").json()["broker"]["status"] == "ok" for i in group), timeout=15,
               interval=0.2, what="/readyz to say the broker is ok once it is back")  # fmt: skip
    assert _ready(a) == 200 and _ready(b) == 200


@contextmanager
def _circle_locked(database_url: str, circle_id: str) -> Iterator[Callable[[], None]]:
    """Hold the circle's row lock (as every command takes it) until the yielded `release` is called."""
    engine = sa.create_engine(database_url)
    try:  # disposed whatever fails: a pooled connection left open fails a later test with psycopg's warning
        with engine.connect() as connection:
            transaction = connection.begin()
            table = Circle.__table__  # type: ignore[attr-defined]
            connection.execute(sa.select(table.c.id).where(table.c.id == uuid.UUID(circle_id)).with_for_update())
            released = False

            def release() -> None:
                nonlocal released
                if not released:
                    released = True
                    transaction.commit()

            try:
                yield release
            finally:
                release()
    finally:
        engine.dispose()


def _waiting_on_a_lock(database_url: str) -> bool:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            waiting = connection.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return bool(waiting.scalar())
    finally:
        engine.dispose()


@pytest.mark.allows_5xx(503)  # /readyz while draining
def test_sigterm_drains_then_closes_sockets_to_reconnect_and_finishes_what_is_in_flight(cluster: MakeCluster) -> None:
    drain = 2.0
    a, b = group = cluster(2, per_instance={0: {"CIRCLES_DRAIN_SECONDS": str(drain)}})
    key = group.app_key
    http_b = b.http()
    circle_id = create_circle(http_b, key)["id"]
    people = seat_people(http_b, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"))
    ana_on_a = group.live(a, circle_id, people["Ana"]["token"], name="Ana")
    keeper_on_b = group.live(b, circle_id, people["Keeper"]["token"], name="Keeper")
    turn = open_turn(start_round(http_b, key, circle_id))
    assert turn is not None and turn["participant_id"] == people["Keeper"]["id"]
    ana_on_a.wait_for_event("turn.started")

    result: dict[str, Any] = {}
    with _circle_locked(group.database_url, circle_id) as release:
        # A command reaches A and waits for the circle's lock: it is in flight when SIGTERM comes.
        def in_flight() -> None:
            with httpx.Client(base_url=a.base_url, timeout=30, trust_env=False) as client:
                result["response"] = finish(client, people["Keeper"]["token"], circle_id, turn["id"])

        thread = threading.Thread(target=in_flight, daemon=True)
        thread.start()
        wait_until(lambda: _waiting_on_a_lock(group.database_url), timeout=5, what="the command to wait for the lock")
        termed = time.monotonic()
        a.signal(signal.SIGTERM)

        # Draining: A still answers, but is no longer ready; B is.
        wait_until(lambda: _ready(a) == 503, timeout=drain / 2, interval=0.05, what="A's /readyz 503 on SIGTERM")
        assert a.get("/livez").status_code == 200
        assert _ready(b) == 200
        ana_on_a.drain(0.2)  # raises if the socket closed: sockets stay open while draining
        assert ana_on_a.close_code is None

        # Then its sockets close with "reconnect".
        code = ana_on_a.wait_closed(timeout=drain + 8)
        closed_after = time.monotonic() - termed
        assert code in (1001, 1012), code
        assert closed_after >= drain - 0.3, f"sockets closed {closed_after:.2f} s after SIGTERM, before the drain"
        assert "response" not in result and a.running
        release()  # the command in flight at SIGTERM can go on now

        thread.join(timeout=15)
    assert not thread.is_alive(), "the request in flight never got its answer"
    response = result["response"]
    assert response.status_code == 200, response.text
    # It ended by itself once that was done (uvicorn re-raises the SIGTERM it handled; not our SIGKILL).
    assert a.wait_exit(timeout=15) in (0, -signal.SIGTERM)

    # Its effect reached the other instance's screens; Ana resumes there with `after`.
    keeper_on_b.wait_for_event("turn.ended", where=lambda f: f["data"]["turn"]["id"] == turn["id"])
    last_seen = ana_on_a.seen()[-1][0]
    back: LiveClient = group.live(b, circle_id, people["Ana"]["token"], after=last_seen, name="Ana again")
    assert [f["name"] for f in back.replay][:2] == ["turn.ended", "turn.started"]
    assert back.replay[0]["data"]["turn"]["id"] == turn["id"]
