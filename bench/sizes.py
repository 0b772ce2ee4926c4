"""How big a run is (`--size`), and what one run carries from scenario to scenario."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.drivers import CircleSeats
from bench.server_metrics import TOKEN as METRICS_TOKEN


@dataclass(frozen=True)
class Size:
    name: str
    capacity: int
    shapes: tuple[tuple[int, int], ...]  # (circles, members); the first is also the slow and storm scenarios'
    rates: tuple[int, ...]  # turn changes a second, across all circles
    window: float  # seconds each rate runs
    witnesses: int
    large_rate: int  # turn changes a second in the large circle
    slow_circles: int  # how many circles of the first shape the slow scenario drives
    slow_rate: int  # intention updates a second across those circles, before and after the pause
    slow_window: float  # seconds after the pause: time for a slow client's buffers to fill, and 2 more
    storm_changes: int
    multi: tuple[int, int]
    rest_calls: int
    drain: float = 1.5  # after a window, seconds for the last frames to arrive before counting
    generators: int = 1
    burst: int = 200  # reads of one circle's state sent at once with one token (issue 23)


SIZES = {
    "tiny": Size(
        "tiny",
        capacity=100,
        shapes=((4, 10), (20, 3)),
        rates=(20,),
        window=1.0,
        witnesses=100,
        large_rate=10,
        slow_circles=4,
        slow_rate=80,
        slow_window=14.0,
        storm_changes=10,
        multi=(4, 10),
        rest_calls=20,
        drain=0.5,
        burst=50,
    ),
    "medium": Size(  # a part of the full size in a few minutes: for trying one scenario between the two
        "medium",
        capacity=3000,
        shapes=((20, 100), (600, 3)),
        rates=(25, 100),
        window=4.0,
        witnesses=2000,
        large_rate=1,
        slow_circles=5,
        slow_rate=100,
        slow_window=25.0,
        storm_changes=100,
        multi=(10, 40),
        rest_calls=100,
    ),
    "full": Size(
        "full",
        capacity=15_000,
        shapes=((100, 100), (3000, 3)),
        rates=(25, 100, 200),
        window=6.0,
        witnesses=10_000,
        large_rate=1,
        slow_circles=5,
        slow_rate=100,
        slow_window=25.0,
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
            "CIRCLES_IN_FLIGHT_PER_CREDENTIAL": "100000",  # and keeps up to 64 requests in flight
            "CIRCLES_IN_FLIGHT_PER_APP": "100000",
            "CIRCLES_METRICS_TOKEN": METRICS_TOKEN,  # the bench reads the server's own figures (bench.server_metrics)
            **extra,
        }

    def shape(self, index: int) -> str:
        circles, members = self.size.shapes[index]
        return f"{circles}x{members}"

    def add(self, scenario: str, server: str, **values: Any) -> None:
        self.rows.append({"scenario": scenario, "server": server, **values})
        shown = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in values.items() if k != "histogram"}
        print(f"  {scenario:<22} {server:<22} {shown}", flush=True)

    def failed(self, scenario: str, server: str, error: BaseException) -> None:
        """A scenario that failed on one server is said so, and the run goes on to the next."""
        message = f"{scenario} on {server} failed: {type(error).__name__}: {str(error)[:300]}"
        self.notes.append(message)
        print(f"  {message}", flush=True)
