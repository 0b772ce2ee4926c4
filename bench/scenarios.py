"""The scenarios. Each starts its own server processes, drives them, and returns rows for the report.

Every server gets the same followers, the same rate and the same window; the load generators are reset
before each window, so a row holds only that window's deliveries and CPU.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.drivers import CirclesApi, CircleSeats, PeerPublisher, at_rate, create_app_key
from bench.processes import CIRCLES, PEERS, Generators, Server, circles_server, peer_server
from bench.stats import merge, summarize

MAX_DRAIN_SECONDS = 5.0


@dataclass(frozen=True)
class Size:
    name: str
    capacity: int
    shapes: tuple[tuple[int, int], ...]  # (circles, members)
    rates: tuple[int, ...]  # turn changes a second, across all circles
    window: float  # seconds each rate runs
    witnesses: int
    slow_rate: int
    storm_changes: int
    multi: tuple[int, int]
    rest_calls: int
    drain: float = 1.5  # after a window, seconds for the last frames to arrive before counting
    generators: int = 1


SIZES = {
    "tiny": Size(
        "tiny",
        capacity=100,
        shapes=((4, 10), (20, 3)),
        rates=(20,),
        window=1.0,
        witnesses=100,
        slow_rate=20,
        storm_changes=10,
        multi=(4, 10),
        rest_calls=20,
        drain=0.5,
    ),
    "full": Size(
        "full",
        capacity=15_000,
        shapes=((100, 100), (3000, 3)),
        rates=(25, 100, 200),
        window=6.0,
        witnesses=10_000,
        slow_rate=100,
        storm_changes=200,
        multi=(50, 40),
        rest_calls=400,
    ),
}


@dataclass
class Run:
    size: Size
    folder: Path
    servers: list[str]  # Circles and the peers taking part
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    key: str = ""
    sets: dict[str, list[CircleSeats]] = field(default_factory=dict)

    def circles_env(self, database_url: str | None = None, **extra: str) -> dict[str, str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("CIRCLES_")}
        return {
            **clean,
            "PYTHONUNBUFFERED": "1",
            "CIRCLES_DATABASE_URL": database_url or f"sqlite:///{self.folder / 'circles.db'}",
            "CIRCLES_RATE_LIMIT_PER_MINUTE": "100000000",  # one app key drives the whole load
            "CIRCLES_RATE_LIMIT_BURST": "1000000",
            **extra,
        }

    def add(self, scenario: str, server: str, **values: Any) -> None:
        self.rows.append({"scenario": scenario, "server": server, **values})
        shown = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in values.items() if k != "histogram"}
        print(f"  {scenario:<22} {server:<22} {shown}", flush=True)


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
    """The app, circles and participants every Circles scenario uses, through the real CLI and API."""
    started = time.monotonic()
    env = run.circles_env()
    run.key = await asyncio.to_thread(create_app_key, env)
    async with running(circles_server(run.folder, env, "Circles-setup")) as server:
        api = CirclesApi(server, run.key)
        try:
            for circles, members in run.size.shapes:
                run.sets[f"{circles}x{members}"] = await api.make_circles(circles, members)
            run.sets["big"] = await api.make_circles(1, 3, witnesses=run.size.witnesses)
        finally:
            await api.close()
    run.notes.append(f"Setup through the REST API took {time.monotonic() - started:.0f} s.")


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

    async def changes(self, circles: list[CircleSeats], rate: float, seconds: float) -> dict[str, Any]:
        if self.api is not None:
            return await at_rate(self.api.turn_change, circles, rate, seconds)
        assert self.publisher is not None
        publisher = self.publisher
        return await at_rate(lambda c: publisher.turn_change(c.id), circles, rate, seconds)

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
) -> dict[str, Any]:
    """One window at one rate: deliveries, latencies, both sides' CPU, and what was lost or doubled."""
    await generators.all({"cmd": "reset"})
    cpu_before, _ = server.usage()
    window_started = time.monotonic()
    driven = await driver.changes(circles, rate, seconds)
    expected = await driver.last_seqs(circles)
    answers = await settled(run, generators, expected)
    cpu_after, rss = server.usage()
    result = summarize(merge(answers))
    wall = time.monotonic() - window_started
    result.update(
        rate=rate,
        achieved_rate=driven["achieved_rate"],
        server_cpu=(cpu_after - cpu_before) / wall,
        server_rss_mib=rss / 2**20,
        cpu_us_per_frame=1e6 * (cpu_after - cpu_before) / max(1, result["frames"]),
        generator_cpu=max(a["cpu"] / a["wall"] for a in answers),
    )
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


# -- the scenarios ------------------------------------------------------------------------------------------
async def capacity(run: Run) -> None:
    """(1) Idle authenticated sockets held by one process, and the memory each costs."""
    people = sockets_of(run.sets[f"{run.size.shapes[0][0]}x{run.size.shapes[0][1]}"])
    wanted = [people[i % len(people)] for i in range(run.size.capacity)]  # at most 5 sockets a person
    for name in run.servers:
        async with running(make_server(run, name)) as server, Generators(run.size.generators, run.folder) as gens:
            await asyncio.sleep(1.0)
            _, rss_before = server.usage()
            connected = await gens.connect(server, wanted)
            await asyncio.sleep(2.0)
            _, rss_after = server.usage()
            per_socket = (rss_after - rss_before) / max(1, connected["connected"])
            run.add(
                "capacity",
                name,
                sockets=connected["connected"],
                failed=connected["errors"],
                connect_seconds=connected["seconds"],
                rss_mib=rss_after / 2**20,
                kib_per_socket=per_socket / 1024,
            )


async def circles(run: Run) -> None:
    """(2) Many circles at once, turn changes at rising rates: latency to every member."""
    for circles_count, members in run.size.shapes:
        shape = f"{circles_count}x{members}"
        chosen = run.sets[shape]
        for name in run.servers:
            async with running(make_server(run, name)) as server, Generators(run.size.generators, run.folder) as gens:
                connected = await gens.connect(server, sockets_of(chosen))
                async with Driver(run, server) as driver:
                    for rate in run.size.rates:
                        result = await measure_window(run, server, gens, driver, chosen, rate, run.size.window)
                        run.add(f"circles {shape}", name, sockets=connected["connected"], **result)


async def large_circle(run: Run) -> None:
    """(3) One circle of many witnesses: the pure fan-out cost, per delivered frame."""
    chosen = run.sets["big"]
    for name in run.servers:
        async with running(make_server(run, name)) as server, Generators(run.size.generators, run.folder) as gens:
            connected = await gens.connect(server, sockets_of(chosen))
            async with Driver(run, server) as driver:
                result = await measure_window(run, server, gens, driver, chosen, 1, run.size.window)
            run.add("large circle", name, sockets=connected["connected"], **result)


async def slow_readers(run: Run) -> None:
    """(4) 5% of the followers stop reading: what it does to everyone else's p99, and when they are cut."""
    shape = f"{run.size.shapes[0][0]}x{run.size.shapes[0][1]}"
    chosen = run.sets[shape]
    for name in run.servers:
        async with running(make_server(run, name)) as server, Generators(run.size.generators, run.folder) as gens:
            connected = await gens.connect(server, sockets_of(chosen), slow_every=20)
            async with Driver(run, server) as driver:
                before = await measure_window(run, server, gens, driver, chosen, run.size.slow_rate, run.size.window)
                paused = await gens.all({"cmd": "pause_slow"})
                paused_at = min(p["at"] for p in paused)
                after = await measure_window(run, server, gens, driver, chosen, run.size.slow_rate, 2 * run.size.window)
            cut = cut_times(server) if server.protocol == "circles" else []
            cut_after = [t - paused_at for t in cut if t >= paused_at]
            run.add(
                "slow 5%",
                name,
                sockets=connected["connected"],
                slow=sum(p["paused"] for p in paused),
                p99_before_ms=before["p99_ms"],
                p99_after_ms=after["p99_ms"],
                p99_change=after["p99_ms"] / max(1e-9, before["p99_ms"]) - 1,
                lost=after["lost"],
                cut=len(cut_after),
                cut_last_s=max(cut_after) if cut_after else None,
            )


def cut_times(server: Server) -> list[float]:
    """When Circles dropped a client that fell behind, from its log (one INFO line each, to the ms)."""
    moments = []
    for line in server.log_path.read_text(errors="replace").splitlines():
        if "fell behind and was dropped" in line:
            stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
            moments.append(stamp.timestamp())
    return moments


async def reconnect_storm(run: Run) -> None:
    """(5) Every follower drops at once and resumes with `after`, while changes go on: nothing lost or
    doubled. Circles only: the peers have no resume to compare."""
    shape = f"{run.size.shapes[0][0]}x{run.size.shapes[0][1]}"
    chosen = run.sets[shape]
    async with running(make_server(run, CIRCLES)) as server, Generators(run.size.generators, run.folder) as gens:
        connected = await gens.connect(server, sockets_of(chosen))
        async with Driver(run, server) as driver:
            await driver.changes(chosen, 20, run.size.storm_changes / 20)
            during = asyncio.create_task(driver.changes(chosen, 20, run.size.storm_changes / 20))
            storm = await gens.all({"cmd": "storm", "concurrency": 2000}, timeout=120)
            await during
            await driver.changes(chosen, 20, 1.0)
            expected = await driver.last_seqs(chosen)
        totals = merge(await settled(run, gens, expected))
        run.add(
            "reconnect storm",
            CIRCLES,
            sockets=connected["connected"],
            resumed=sum(s["connected"] for s in storm),
            failed=[s["errors"] for s in storm if s["errors"]],
            seconds=max(s["seconds"] for s in storm),
            lost=totals["lost"],
            doubled=totals["doubled"],
            checked=totals["checked"],
        )


SCENARIOS = {
    "capacity": capacity,
    "circles": circles,
    "large": large_circle,
    "slow": slow_readers,
    "storm": reconnect_storm,
}

__all__ = ["PEERS", "SCENARIOS", "SIZES", "Run", "setup_circles"]
