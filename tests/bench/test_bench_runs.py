"""The benchmarks still run: `python -m bench run --size tiny`, every scenario and every peer, end to end.

This proves the bench works (servers start, followers authenticate, frames arrive, the report is written);
it never asserts a timing. The Node peer needs npm; PostgreSQL and Redis are needed for the two-instance
scenario. Without them the test skips, and fails instead when CIRCLES_REQUIRE_SERVICES is set (as in CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES_ENV

ROOT = Path(__file__).resolve().parents[2]
BOUND_SECONDS = 360
SERVERS = ["Circles", "websockets.broadcast", "naive FastAPI", "python-socketio", "socket.io (Node)"]
SCENARIOS = [
    "capacity",
    "circles 4x10",
    "circles 20x3",
    "large circle",
    "slow 5%",
    "reconnect storm",
    "REST SQLite",
    "REST burst SQLite",
    "two instances + Redis",
    "REST PostgreSQL",
    "REST burst PostgreSQL",
]


def missing_services() -> list[str]:
    missing = [tool for tool in ("npm", "node") if shutil.which(tool) is None]
    missing += [v for v in ("CIRCLES_TEST_DATABASE_URL", "CIRCLES_TEST_REDIS_URL") if not os.environ.get(v)]
    return missing


def test_the_whole_bench_runs_at_its_tiny_size(tmp_path: Path) -> None:
    if missing := missing_services():
        reason = f"the bench needs {', '.join(missing)}"
        if os.environ.get(REQUIRE_SERVICES_ENV):
            pytest.fail(f"{reason}, and {REQUIRE_SERVICES_ENV} says it must run")
        pytest.skip(reason)
    document = tmp_path / "performance.md"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "run",
            "--size",
            "tiny",
            "--document",
            str(document),
            "--deadline",
            str(BOUND_SECONDS - 30),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BOUND_SECONDS,
    )
    assert done.returncode == 0, f"bench failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"

    tables = read_tables(document.read_text())
    assert set(SCENARIOS) <= set(tables), f"missing tables: {set(SCENARIOS) - set(tables)}"
    for scenario in ("capacity", "circles 4x10", "circles 20x3", "large circle", "slow 5%"):
        assert {row["server"] for row in tables[scenario]} == set(SERVERS), scenario
    assert all(row["sockets"] == "100" and row["failed"] == "{}" for row in tables["capacity"])
    for scenario in ("circles 4x10", "circles 20x3", "large circle", "reconnect storm", "two instances + Redis"):
        for row in tables[scenario]:
            if row["server"] == "Circles":  # every member got every event of its circle, once
                assert (row["lost"], row["doubled"]) == ("0", "0"), (scenario, row)
                assert row.get("frames", "1") != "0", (scenario, row)
    for scenario in ("REST burst SQLite", "REST burst PostgreSQL"):  # every read answered, none a 5xx
        assert [(row["failed"], row["answered"]) for row in tables[scenario]] == [("0", "50")], tables[scenario]
    for name in ("perf-latency.png", "perf-memory.png", "perf-cpu.png"):
        assert (tmp_path / "images" / name).stat().st_size > 1000


def read_tables(text: str) -> dict[str, list[dict[str, str]]]:
    """The report's "#### scenario" tables, as rows of column -> cell."""
    tables: dict[str, list[dict[str, str]]] = {}
    for block in text.split("#### ")[1:]:
        title, _, rest = block.partition("\n")
        lines = [line for line in rest.splitlines() if line.startswith("|")]
        header = [cell.strip() for cell in lines[0].strip("|").split("|")]
        tables[title.strip()] = [
            dict(zip(header, (cell.strip() for cell in line.strip("|").split("|")), strict=True)) for line in lines[2:]
        ]
    return tables
