"""`python -m bench finish-turn`: the REST "finish the turn" rows alone, on SQLite and on PostgreSQL, printed
and not written to docs/performance.md: the quick, repeatable measure to try a change to the write path with.

Each database gets the same circles (by default the two-instance scenario's: 50 circles of 40) and the same
calls as the full run's REST rows (`bench.scale_out.rest_rows`: one at a time for the latencies, then 8 in
flight for the throughput). SQLite is served as the SQLite row is (one process, the in-process hub);
PostgreSQL as its row is (a fresh database, the Redis broker, and a second instance on the same database and
broker, idle but reading the stream), from CIRCLES_BENCH_DATABASE_URL / CIRCLES_BENCH_REDIS_URL (or the
CIRCLES_TEST_ ones). No sockets are connected, in either.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

from bench.drivers import CirclesApi, create_app_key
from bench.machine import load_average, reference_ms
from bench.processes import Server, circles_server, raise_file_limit
from bench.scale_out import forget_keys, fresh_database, rest_rows, service_urls
from bench.sizes import SIZES, Run
from bench.windows import running

DATABASES = ("sqlite", "postgresql")


@contextlib.asynccontextmanager
async def served(run: Run, database: str, sqlite_env: dict[str, str]) -> AsyncIterator[CirclesApi]:
    """A migrated database with an app key (run.key), and an API client of the instance to measure."""
    if database == "sqlite":
        env = run.circles_env(**sqlite_env)
        async with running(await prepared(run, env, "Circles-sqlite")) as server:
            api = CirclesApi(server, run.key)
            try:
                yield api
            finally:
                await api.close()
        return
    urls = service_urls()
    if urls is None:
        raise SystemExit("PostgreSQL: set CIRCLES_BENCH_DATABASE_URL and CIRCLES_BENCH_REDIS_URL (or CIRCLES_TEST_)")
    admin_url, broker_url = urls
    prefix = f"circles-bench-{uuid.uuid4().hex[:8]}:"
    try:
        async with fresh_database(admin_url) as database_url:
            env = run.circles_env(database_url, CIRCLES_BROKER_URL=broker_url, CIRCLES_REDIS_PREFIX=prefix)
            first = await prepared(run, {**env, "CIRCLES_INSTANCE_ID": "bench-a"}, "Circles-pg-a")
            second = circles_server(run.folder, {**env, "CIRCLES_INSTANCE_ID": "bench-b"}, "Circles-pg-b")
            async with running(first) as a, running(second):
                api = CirclesApi(a, run.key)
                try:
                    yield api
                finally:
                    await api.close()
    finally:
        forget_keys(broker_url, prefix)


async def prepared(run: Run, env: dict[str, str], label: str) -> Server:
    await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "circles", "migrate"], env=env, check=True, capture_output=True
    )
    run.key = await asyncio.to_thread(create_app_key, env)
    return circles_server(run.folder, env, label)


async def measure(run: Run, databases: list[str], circles: int, members: int, sqlite_env: dict[str, str]) -> None:
    for database in databases:
        async with served(run, database, sqlite_env) as api:
            chosen = await api.make_circles(circles, members)
            cpu_before, client_before = api.server.usage()[0], time.process_time()
            await rest_rows(run, api, chosen, "SQLite" if database == "sqlite" else "PostgreSQL")
            calls = 2 * run.size.rest_calls
            cpu_ms = 1e3 * (api.server.usage()[0] - cpu_before) / calls
            client_ms = 1e3 * (time.process_time() - client_before) / calls
            print(f"  {'':<22} {'':<22} CPU a call: server {cpu_ms:.2f} ms, client {client_ms:.2f} ms", flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench finish-turn", description=__doc__)
    parser.add_argument("--database", nargs="+", choices=DATABASES, default=list(DATABASES))
    parser.add_argument("--calls", type=int, default=SIZES["full"].rest_calls, help="calls for each of the two")
    parser.add_argument("--circles", type=int, default=SIZES["full"].multi[0])
    parser.add_argument("--members", type=int, default=SIZES["full"].multi[1])
    parser.add_argument(
        "--sqlite-synchronous", choices=["full", "normal"], help="CIRCLES_SQLITE_SYNCHRONOUS (default: the server's)"
    )
    args = parser.parse_args(argv)
    sqlite_env = {"CIRCLES_SQLITE_SYNCHRONOUS": args.sqlite_synchronous} if args.sqlite_synchronous else {}
    raise_file_limit()
    print(f"load average {load_average()}; reference workload {reference_ms():.0f} ms (bench/machine.py)", flush=True)
    with tempfile.TemporaryDirectory(prefix="circles-finish-turn-") as folder:
        run = Run(replace(SIZES["full"], rest_calls=args.calls), Path(folder), ["Circles"])
        asyncio.run(measure(run, args.database, args.circles, args.members, sqlite_env))
    return 0
