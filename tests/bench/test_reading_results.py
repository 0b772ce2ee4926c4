"""How the bench reads what it measured: Circles' drop lines, and which targets a row meets. No server runs
and nothing is timed; the rows are made up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bench.processes import Server
from bench.scenarios import cut_times, dropped

from bench import report, server_metrics

LINES = [
    "2026-11-25 01:02:03,250 INFO: [-] circles.live.hub: circle 5d1c: a client fell behind and was dropped",
    "2026-11-25 01:02:04,500 INFO: [-] circles.live.hub: circle 5d1c: a client fell behind and was dropped "
    "(its oldest unsent frame waited 2.1 s)",
    '2026-11-25 01:02:05,000 INFO: [abc] uvicorn.access: 127.0.0.1:5 "POST /v1/circles HTTP/1.1" 201',
    "a line the server printed without a time: a client fell behind and was dropped",
]


def test_drop_lines_are_read_with_and_without_how_long_the_frame_waited(tmp_path: Path) -> None:
    log = tmp_path / "Circles.log"
    log.write_text("\n".join(LINES) + "\n")
    server = Server("Circles", "circles", [], {}, log)

    drops = dropped(server)

    assert [d.waited for d in drops] == [None, 2.1]
    assert drops[1].at - drops[0].at == pytest.approx(1.25)
    assert cut_times(server) == [d.at for d in drops]


def slow_row(server: str = "Circles", **values: Any) -> dict[str, Any]:
    row = {
        "scenario": "slow 5%",
        "server": server,
        "slow": 25,
        "cut": 25,
        "lost": 0,
        "p99_before_ms": 10.0,
        "p99_after_ms": 11.0,
        "p99_change": 0.1,
        "cut_last_s": 8.5,
        "cut_waited_s": None,
    }
    return {**row, **values}


def met(rows: list[dict[str, Any]], target: str) -> str:
    line = next(line for line in report.targets(rows, ["Circles", "websockets.broadcast"], "100x100") if target in line)
    return line.split(" | ")[2]


def test_the_slow_target_reads_how_long_frames_waited_when_the_server_says_so() -> None:
    assert met([slow_row(cut_waited_s=1.9)], "slow 5%") == "yes"
    assert met([slow_row(cut_waited_s=2.4)], "slow 5%") == "**no**"
    assert met([slow_row()], "slow 5%") == "**no**"  # 8.5 s from the pause, and nothing better to go on
    assert met([slow_row(cut_last_s=1.5)], "slow 5%") == "yes"
    assert met([slow_row(cut_waited_s=1.0, cut=24)], "slow 5%") == "**no**"
    assert met([slow_row(cut_waited_s=1.0, lost=3)], "slow 5%") == "**no**"
    assert met([slow_row(cut_waited_s=1.0, p99_after_ms=None, p99_change=None)], "slow 5%") == "**no**"


def large_row(server: str, us: float | None) -> dict[str, Any]:
    return {"scenario": "large circle", "server": server, "cpu_us_per_frame": us}


def test_fan_out_cpu_is_compared_with_the_floor_of_the_same_run() -> None:
    rows = [large_row("Circles", 15.0), large_row("websockets.broadcast", 10.0)]
    line = next(line for line in report.targets(rows, ["Circles", "websockets.broadcast"], "x") if "fan-out" in line)
    assert "1.50× floor" in line and "1.00× floor" in line and met(rows, "fan-out") == "yes"
    rows = [large_row("Circles", 25.0), large_row("websockets.broadcast", 10.0)]
    assert met(rows, "fan-out") == "**no**"
    rows = [large_row("Circles", 25.0), large_row("websockets.broadcast", None)]
    assert "—× floor" in next(line for line in report.targets(rows, ["Circles"], "x") if "fan-out" in line)


def circles_row(rate: int, achieved: float, p99: float) -> dict[str, Any]:
    return {
        "scenario": "circles 100x100",
        "server": "Circles",
        "rate": rate,
        "achieved_rate": achieved,
        "p99_ms": p99,
        "lost": 0,
        "doubled": 0,
    }


def test_the_circles_target_needs_the_rate_it_names_reached() -> None:
    assert met([circles_row(100, 99.0, 20.0)], "100 circles") == "yes"
    assert met([circles_row(100, 80.0, 20.0)], "100 circles") == "**no**"  # the server did not keep up
    assert met([circles_row(25, 25.0, 20.0)], "100 circles") == "**no**"  # not measured at 100/s


def test_a_windows_server_figures_are_the_difference_of_two_scrapes() -> None:
    """The fan-out p99 is read from the histogram's buckets as Prometheus' histogram_quantile reads them
    (linear within a bucket), from what was observed between the two scrapes only."""

    def scraped(buckets: dict[str, float], frames: float) -> server_metrics.Samples:
        samples = {("circles_fanout_lag_seconds_bucket", frozenset({("le", le)})): n for le, n in buckets.items()}
        samples[("circles_frames_sent_total", frozenset())] = frames
        return samples

    before = scraped({"0.001": 50, "0.005": 50, "0.01": 50, "+Inf": 50}, 1000)
    # 100 more: 10 under 1 ms, 80 from 1 to 5 ms, 10 from 5 to 10 ms
    after = scraped({"0.001": 60, "0.005": 140, "0.01": 150, "+Inf": 150}, 1600)
    figures = server_metrics.window_figures(before, after)
    assert figures["server_frames"] == 600 and figures["server_dropped"] == 0
    assert figures["fanout_p99_ms"] == pytest.approx(9.5)  # rank 99 of 100: 9/10 of the way through 5..10 ms
    assert server_metrics.quantile_moved(before, after, "circles_fanout_lag_seconds", 0.5) == pytest.approx(0.003)
    assert server_metrics.window_figures(after, after)["fanout_p99_ms"] is None  # nothing observed
