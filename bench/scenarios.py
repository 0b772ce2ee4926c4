"""The scenarios. Each starts its own server processes, drives them, and adds rows to the run.

One server process and one set of connected followers serve three scenarios in turn, since each leaves
the next a server in the state it needs: the first shape's circles at rising rates (2), then its slow 5%
(4; the slow followers were connected as such from the start, reading like everyone else until then), then,
Circles only, the reconnect storm (5; which drops every socket anyway). Each window is measured on its own:
the generators are reset before it and it ends once every follower has every event, or is counted lost.
The other scenarios have servers and followers of their own. A scenario that fails on one server is
written into the run's notes and the run goes on.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bench.drivers import CircleSeats
from bench.processes import CIRCLES, Generators, Server
from bench.server_metrics import scrape, window_figures
from bench.sizes import Run
from bench.stats import merge
from bench.windows import Driver, make_server, measure_window, running, settled, sockets_of


def connected_count(run: Run, scenario: str, server: str, connected: dict[str, Any]) -> int:
    """How many sockets are up; the ones that are not are said so in the run's notes, never hidden."""
    if connected["errors"]:
        run.notes.append(f"{scenario} on {server}: {connected['errors']} sockets failed to connect.")
    return int(connected["connected"])


SLOW_EVERY = 20  # every 20th follower is slow: 5%
RESUME_SLOW_SECONDS = 2.0


async def capacity(run: Run) -> None:
    """(1) Idle authenticated sockets held by one process, and the memory each costs: the growth of its
    resident memory from just before they connect to two seconds after the last one is caught up, divided
    by them. A few sockets connect first, before that measure starts (1%, at most 50), so that what the
    server loads and caches on its first admissions is not counted as every socket's; the same for every
    server."""
    people = sockets_of(run.sets[run.shape(0)])
    wanted = [people[i % len(people)] for i in range(run.size.capacity)]  # a few sockets a person
    warm = min(50, max(1, len(wanted) // 100))
    for name in run.servers:
        try:
            async with running(make_server(run, name)) as server, Generators(run.size.generators, run.folder) as gens:
                first = await gens.connect(server, wanted[:warm])
                await asyncio.sleep(1.0)
                _, rss_before = server.usage()
                rest = await gens.connect(server, wanted[warm:])
                await asyncio.sleep(2.0)
                _, rss_after = server.usage()
                errors = {
                    k: first["errors"].get(k, 0) + rest["errors"].get(k, 0) for k in {*first["errors"], *rest["errors"]}
                }
                run.add(
                    "capacity",
                    name,
                    sockets=first["connected"] + rest["connected"],
                    failed=errors,
                    connect_seconds=rest["seconds"],
                    rss_mib=rss_after / 2**20,
                    kib_per_socket=(rss_after - rss_before) / max(1, rest["connected"]) / 1024,
                )
        except Exception as error:
            run.failed("capacity", name, error)


async def circles_at_rates(
    run: Run, server: Server, gens: Generators, driver: Driver, shape: str, sockets: int
) -> None:
    chosen = run.sets[shape]
    for rate in run.size.rates:
        result = await measure_window(run, server, gens, driver, chosen, rate, run.size.window)
        run.add(f"circles {shape}", server.name, sockets=sockets, **result)


async def first_shape(run: Run, wanted: set[str]) -> None:
    """(2) for the first shape, (4) slow 5% and (5) the reconnect storm: one server and one set of
    followers each, the scenarios in `wanted` in that order."""
    shape = run.shape(0)
    chosen = run.sets[shape]
    servers = run.servers if wanted & {"circles", "slow"} else [CIRCLES]
    for name in servers:
        scenario = "circles" if "circles" in wanted else "slow 5%" if "slow" in wanted else "reconnect storm"
        try:
            async with running(make_server(run, name)) as server, Generators(run.size.generators, run.folder) as gens:
                slow_every = SLOW_EVERY if "slow" in wanted else 0
                connected = await gens.connect(server, sockets_of(chosen), slow_every=slow_every)
                sockets = connected_count(run, scenario, name, connected)
                async with Driver(run, server) as driver:
                    if "circles" in wanted:
                        await circles_at_rates(run, server, gens, driver, shape, sockets)
                    scenario = "slow 5%"
                    if "slow" in wanted:
                        await slow_readers(run, server, gens, driver, chosen, sockets)
                    scenario = "reconnect storm"
                    if "storm" in wanted and name == CIRCLES:
                        await reconnect_storm(run, server, gens, driver, chosen, sockets)
        except Exception as error:
            run.failed(scenario, name, error)


async def other_shapes(run: Run) -> None:
    """(2) Many circles at once, turn changes at rising rates, for the shapes after the first."""
    for index in range(1, len(run.size.shapes)):
        shape = run.shape(index)
        for name in run.servers:
            try:
                async with (
                    running(make_server(run, name)) as server,
                    Generators(run.size.generators, run.folder) as gens,
                ):
                    connected = await gens.connect(server, sockets_of(run.sets[shape]))
                    sockets = connected_count(run, f"circles {shape}", name, connected)
                    async with Driver(run, server) as driver:
                        await circles_at_rates(run, server, gens, driver, shape, sockets)
            except Exception as error:
                run.failed(f"circles {shape}", name, error)


async def large_circle(run: Run) -> None:
    """(3) One circle of many witnesses: the pure fan-out cost, per delivered frame."""
    chosen = run.sets["big"]
    for name in run.servers:
        try:
            async with running(make_server(run, name)) as server, Generators(run.size.generators, run.folder) as gens:
                connected = await gens.connect(server, sockets_of(chosen))
                sockets = connected_count(run, "large circle", name, connected)
                async with Driver(run, server) as driver:
                    rate, seconds = run.size.large_rate, run.size.window
                    result = await measure_window(run, server, gens, driver, chosen, rate, seconds)
                run.add("large circle", name, sockets=sockets, **result)
        except Exception as error:
            run.failed("large circle", name, error)


async def slow_readers(
    run: Run, server: Server, gens: Generators, driver: Driver, chosen: list[CircleSeats], sockets: int
) -> None:
    """(4) In the circles driven, 5% of the followers stop reading: what it does to everyone else's p99, and
    whether and when the server cuts them. The same changes at the same rate before and after the pause:
    intention updates, the largest event one request causes (about 2.3 KB), so that a slow client's buffers
    (some 250 KB on loopback, the kernels' and the server's) fill within the window after the pause, and two
    seconds are left for the cut. The window before is the circles scenario's, shorter: the kernel grows a
    connection's send buffer with what it has carried (to a megabyte after 200 such events read at once), so
    a window before as long as the one after would leave no time to fill it."""
    hot = chosen[: run.size.slow_circles]
    rate, window = run.size.slow_rate, run.size.slow_window
    before = await measure_window(run, server, gens, driver, hot, rate, run.size.window, True, "intention")
    counted = await scrape(server) if server.protocol == "circles" else None
    paused = await gens.all({"cmd": "pause_slow", "rooms": [c.id for c in hot]})
    paused_at = min(p["at"] for p in paused)
    after = await measure_window(run, server, gens, driver, hot, rate, window, True, "intention")
    resumed = await gens.all({"cmd": "resume_slow", "seconds": RESUME_SLOW_SECONDS})
    # The server's own count, from the pause to the resumption (its /metrics), beside what the clients saw.
    own = window_figures(counted, await scrape(server)) if counted is not None else {}
    drops = [d for d in dropped(server) if d.at >= paused_at] if server.protocol == "circles" else []
    waited = [d.waited for d in drops if d.waited is not None]
    run.add(
        "slow 5%",
        server.name,
        sockets=sockets,
        driven=sum(len(c.tokens) for c in hot),
        slow=sum(p["paused"] for p in paused),
        rate=rate,
        achieved_rate=after["achieved_rate"],
        p99_before_ms=before["p99_ms"],
        p99_after_ms=after["p99_ms"],
        p99_change=after["p99_ms"] / before["p99_ms"] - 1 if after["p99_ms"] and before["p99_ms"] else None,
        lost=after["lost"],
        cut=sum(r["cut"] for r in resumed),
        cut_first_s=min(d.at - paused_at for d in drops) if drops else None,
        cut_last_s=max(d.at - paused_at for d in drops) if drops else None,
        cut_waited_s=max(waited) if waited else None,
        **{f: own[f] for f in ("server_cut", "server_dropped") if f in own},
    )


@dataclass(frozen=True)
class Drop:
    at: float  # when the server logged it (epoch seconds, to the ms)
    waited: float | None  # how long its oldest unsent frame had waited, when the line says


DROP_WAITED = re.compile(r"waited\s+([0-9.]+)\s*s")


def dropped(server: Server) -> list[Drop]:
    """When Circles dropped a client that fell behind, from its log: one INFO line each, stamped to the ms,
    `circle <id>: a client fell behind and was dropped`, with or without a trailing
    `(its oldest unsent frame waited 2.1 s)`."""
    drops = []
    for line in server.log_path.read_text(errors="replace").splitlines():
        if "fell behind and was dropped" not in line:
            continue
        try:
            stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
        except ValueError:
            continue
        waited = DROP_WAITED.search(line)
        drops.append(Drop(stamp, float(waited.group(1)) if waited else None))
    return drops


def cut_times(server: Server) -> list[float]:
    """The moments of `dropped`, for callers that need only those."""
    return [d.at for d in dropped(server)]


async def reconnect_storm(
    run: Run, server: Server, gens: Generators, driver: Driver, chosen: list[CircleSeats], sockets: int
) -> None:
    """(5) Every follower drops at once and resumes with `after`, while changes go on: nothing lost or
    doubled. Circles only: the peers have no resume to compare."""
    await driver.changes(chosen, 20, run.size.storm_changes / 20)
    during = asyncio.create_task(driver.changes(chosen, 20, run.size.storm_changes / 20))
    cpu_before, _ = server.usage()
    try:
        storm = await gens.all({"cmd": "storm", "concurrency": 2000}, timeout=max(120.0, sockets / 25))
    finally:
        await during
    cpu_after, _ = server.usage()
    seconds = max(s["seconds"] for s in storm)
    await driver.changes(chosen, 20, 1.0)
    expected = await driver.last_seqs(chosen)
    totals = merge(await settled(run, gens, expected))
    run.add(
        "reconnect storm",
        server.name,
        sockets=sockets,
        resumed=sum(s["connected"] for s in storm),
        failed=[s["errors"] for s in storm if s["errors"]],
        seconds=seconds,
        server_cpu=(cpu_after - cpu_before) / seconds,  # of one core: near 1 (or above, with its threads), the limit
        generator_cpu=max(s["cpu"] for s in storm) / seconds,
        lost=totals["lost"],
        doubled=totals["doubled"],
        checked=totals["checked"],
    )


async def run_scenarios(run: Run, only: list[str], rest: Any, scale: Any) -> None:
    """The scenarios named in `only`, in the order of the issue, the shared ones together. `rest` and
    `scale` are the REST and two-instance steps (bench.scale_out)."""
    shared = [s for s in ("circles", "slow", "storm") if s in only]
    steps: list[tuple[str, bool, Any]] = [
        ("capacity", "capacity" in only, lambda: capacity(run)),
        (" + ".join(shared) + f" ({run.shape(0)})", bool(shared), lambda: first_shape(run, set(shared))),
        ("circles (the other shapes)", "circles" in only and len(run.size.shapes) > 1, lambda: other_shapes(run)),
        ("large", "large" in only, lambda: large_circle(run)),
        ("rest", "rest" in only, lambda: rest(run)),
        ("scale", "scale" in only, lambda: scale(run)),
    ]
    for name, selected, step in steps:
        if not selected:
            continue
        started = time.monotonic()
        print(f"-- {name}", flush=True)
        await step()
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)


SCENARIOS = ["capacity", "circles", "large", "slow", "storm"]

__all__ = ["SCENARIOS", "run_scenarios"]
