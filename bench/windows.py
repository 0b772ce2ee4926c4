"""What every scenario does: start a server, set up its circles, drive changes and measure one window.

Every server gets the same followers, the same rate and the same window; the load generators are reset
before each window, so a row holds only that window's deliveries and CPU.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

from bench.drivers import CirclesApi, CircleSeats, PeerPublisher, at_rate, create_app_key
from bench.processes import CIRCLES, Generators, Server, circles_server, peer_server
from bench.server_metrics import scrape, window_figures
from bench.sizes import Run
from bench.stats import merge, summarize

MAX_DRAIN_SECONDS = 5.0


@contextlib.asynccontextmanager
async def running(server: Server) -> AsyncIterator[Server]:
    await asyncio.to_thread(server.start)
    try:
        yield server
    finally:
        await asyncio.to_thread(server.stop)


def make_server(run: Run, name: str) -> Server:
    return circles_server(run.folder, run.circles_env()) if name == CIRCLES else peer_server(name, run.folder)


async def setup_circles(run: Run) -> None:
    """The app, circles and participants every Circles scenario uses, through the real CLI and API: each
    set is made once, all of them at once, SETUP_CONCURRENCY requests in flight."""
    started = time.monotonic()
    env = run.circles_env()
    run.key = await asyncio.to_thread(create_app_key, env)
    async with running(circles_server(run.folder, env, "Circles-setup")) as server:
        api = CirclesApi(server, run.key)
        try:
            wanted = {run.shape(i): (circles, members, 0) for i, (circles, members) in enumerate(run.size.shapes)}
            wanted["big"] = (1, 3, run.size.witnesses)
            made = await asyncio.gather(*(api.make_circles(*shape) for shape in wanted.values()))
            run.sets.update(zip(wanted, made, strict=True))
        finally:
            await api.close()
    requests = sum(len(c.tokens) + 2 for made in run.sets.values() for c in made)
    took = time.monotonic() - started
    run.notes.append(f"Setup through the REST API took {took:.0f} s ({requests:,} requests, {requests / took:.0f}/s).")


def sockets_of(circles: list[CircleSeats]) -> list[tuple[str, str]]:
    return [(c.id, token) for c in circles for token in c.tokens]


class Driver:
    """Turn changes for one server: REST for Circles, a publisher socket for a peer."""

    def __init__(self, run: Run, server: Server) -> None:
        self.server = server
        self.api = CirclesApi(server, run.key) if server.protocol == "circles" else None
        self.publisher = None if self.api else PeerPublisher(server)

    async def __aenter__(self) -> Driver:
        if self.publisher is not None:
            await self.publisher.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.api is not None:
            await self.api.close()
        if self.publisher is not None:
            self.publisher.close()

    async def changes(
        self, circles: list[CircleSeats], rate: float, seconds: float, kind: str = "turn"
    ) -> dict[str, Any]:
        """`kind`: "turn" (a turn change: two events) or "intention" (a 2,000-character intention: one)."""
        if self.api is not None:
            action = self.api.turn_change if kind == "turn" else self.api.intention_change
            return await at_rate(action, circles, rate, seconds)
        assert self.publisher is not None
        publish = self.publisher.turn_change if kind == "turn" else self.publisher.intention_change
        return await at_rate(lambda c: publish(c.id), circles, rate, seconds)

    async def last_seqs(self, circles: list[CircleSeats]) -> dict[str, int]:
        if self.api is not None:
            return await self.api.last_seqs(circles)
        assert self.publisher is not None
        return {c.id: self.publisher.published.get(c.id, 0) for c in circles}


async def measure_window(
    run: Run,
    server: Server,
    generators: Generators,
    driver: Driver,
    circles: list[CircleSeats],
    rate: float,
    seconds: float,
    exclude_slow: bool = False,
    kind: str = "turn",
) -> dict[str, Any]:
    """One window at one rate: deliveries, latencies, both sides' CPU, and what was lost or doubled.
    `exclude_slow`: leave the slow followers' deliveries out of the latencies (the slow scenario's
    "everyone else"), in the window before their pause as after it."""
    await generators.all({"cmd": "reset", "exclude_slow": exclude_slow})
    counted = await scrape(server) if server.protocol == "circles" else None
    cpu_before, _ = server.usage()
    window_started = time.monotonic()
    driven = await driver.changes(circles, rate, seconds, kind)
    cpu_driven, _ = server.usage()
    driving = time.monotonic() - window_started
    # The bench's own check, not the window's work: for Circles a GET of every driven circle's state (3,000
    # of them in the 3,000 x 3 shape), for a peer nothing. Its CPU and time are left out of the window's.
    expected = await driver.last_seqs(circles)
    cpu_read, _ = server.usage()
    read_ended = time.monotonic()
    answers = await settled(run, generators, expected)
    cpu_after, rss = server.usage()
    result = summarize(merge(answers))
    cpu = (cpu_driven - cpu_before) + (cpu_after - cpu_read)
    wall = driving + (time.monotonic() - read_ended)
    result.update(
        rate=rate,
        achieved_rate=driven["achieved_rate"],
        server_cpu=cpu / wall,
        server_rss_mib=rss / 2**20,
        cpu_us_per_frame=1e6 * cpu / result["frames"] if result["frames"] else None,
        generator_cpu=max(a["cpu"] / a["wall"] for a in answers),
    )
    if counted is not None:  # the server's own count of the window (its /metrics)
        result.update(window_figures(counted, await scrape(server)))
    if server.protocol == "circles" and driven["durations"]:
        ordered = sorted(driven["durations"])
        result["finish_p50_ms"] = 1e3 * ordered[len(ordered) // 2]
    return result


async def settled(run: Run, generators: Generators, expected: dict[str, int]) -> list[dict[str, Any]]:
    """The generators' answers once every event has reached every follower, or once MAX_DRAIN_SECONDS
    have passed (what has not arrived by then counts as lost)."""
    await asyncio.sleep(run.size.drain)
    give_up = time.monotonic() + MAX_DRAIN_SECONDS
    while True:
        answers = await generators.all({"cmd": "collect", "expected": expected})
        if sum(a["lost"] for a in answers) == 0 or time.monotonic() > give_up:
            return answers
        await asyncio.sleep(0.2)
