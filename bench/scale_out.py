"""(6) Two Circles instances on one PostgreSQL database and one Redis broker, and the REST rows: finish-turn
latency and throughput on SQLite and on PostgreSQL, and a burst of reads with one token (issue 23).

The database is a fresh one the bench creates (and drops) on the PostgreSQL server named by
CIRCLES_BENCH_DATABASE_URL (or CIRCLES_TEST_DATABASE_URL); the broker is CIRCLES_BENCH_REDIS_URL (or
CIRCLES_TEST_REDIS_URL), under a key prefix of the run's own, deleted afterwards. As in docs/deploy.md,
the instances share the database URL and the broker URL and nothing else.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

from bench.drivers import CirclesApi, CircleSeats, at_rate, create_app_key
from bench.http_client import HttpClient
from bench.processes import CIRCLES, Generators, circles_server
from bench.sizes import Run
from bench.stats import merge, summarize
from bench.windows import running, settled, sockets_of


def service_urls() -> tuple[str, str] | None:
    database = os.environ.get("CIRCLES_BENCH_DATABASE_URL") or os.environ.get("CIRCLES_TEST_DATABASE_URL")
    broker = os.environ.get("CIRCLES_BENCH_REDIS_URL") or os.environ.get("CIRCLES_TEST_REDIS_URL")
    if not database or not broker:
        return None
    return database, broker


@contextlib.asynccontextmanager
async def fresh_database(admin_url: str) -> AsyncIterator[str]:
    import sqlalchemy

    name = f"circles_bench_{uuid.uuid4().hex[:10]}"
    engine = sqlalchemy.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sqlalchemy.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        engine.dispose()


def forget_keys(broker_url: str, prefix: str) -> None:
    import redis

    with contextlib.suppress(redis.RedisError), redis.Redis.from_url(broker_url, socket_timeout=2) as client:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)


async def rest_rows(run: Run, api: CirclesApi, circles: list[CircleSeats], database: str) -> None:
    calls = run.size.rest_calls
    sequential = await at_rate(api.turn_change, circles, 100_000, calls / 100_000, in_flight=1)
    ordered = sorted(sequential["durations"])
    concurrent = await at_rate(api.turn_change, circles, 100_000, calls / 100_000, in_flight=8)
    run.add(
        f"REST {database}",
        CIRCLES,
        calls=calls,
        p50_ms=1e3 * ordered[len(ordered) // 2],
        p99_ms=1e3 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        throughput=concurrent["achieved_rate"],
    )


async def burst_row(run: Run, api: CirclesApi, seats: CircleSeats, database: str) -> None:
    """`run.size.burst` GETs of one circle's state with one member's token, all sent at once, each on its own
    connection: how long the last of them waits (p99), and that none fails (the run's in-flight limits are
    raised, as for the rest of the load, so every one is let through to the database slots)."""
    count = run.size.burst
    client = HttpClient(
        api.client.host, api.client.port, {"Authorization": f"Bearer {seats.tokens[0]}"}, max_connections=count
    )

    async def one() -> tuple[int, float]:
        started = time.perf_counter()
        answer = await client.get(f"/v1/circles/{seats.id}/state")
        return answer.status_code, time.perf_counter() - started

    try:
        started = time.perf_counter()
        answers = await asyncio.gather(*(one() for _ in range(count)))
        seconds = time.perf_counter() - started
    finally:
        await client.aclose()
    statuses = Counter(status for status, _ in answers)
    ordered = sorted(took for _, took in answers)
    run.add(
        f"REST burst {database}",
        CIRCLES,
        requests=count,
        answered=statuses[200],
        refused=statuses[429],
        failed=sum(n for status, n in statuses.items() if status >= 500),
        p50_ms=1e3 * ordered[len(ordered) // 2],
        p99_ms=1e3 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        seconds=seconds,
    )


async def rest_sqlite(run: Run) -> None:
    try:
        async with running(circles_server(run.folder, run.circles_env())) as server:
            api = CirclesApi(server, run.key)
            try:
                circles = run.sets[run.shape(len(run.size.shapes) - 1)]
                await rest_rows(run, api, circles, "SQLite")
                await burst_row(run, api, circles[0], "SQLite")
            finally:
                await api.close()
    except Exception as error:
        run.failed("REST SQLite", CIRCLES, error)


async def two_instances(run: Run) -> None:
    urls = service_urls()
    if urls is None:
        run.notes.append(
            "Scenario 6 and the PostgreSQL REST row did not run: set CIRCLES_BENCH_DATABASE_URL and "
            "CIRCLES_BENCH_REDIS_URL (or the CIRCLES_TEST_ ones)."
        )
        if os.environ.get("CIRCLES_REQUIRE_SERVICES"):
            raise RuntimeError("CIRCLES_REQUIRE_SERVICES is set but no PostgreSQL/Redis URL was given")
        return
    admin_url, broker_url = urls
    prefix = f"circles-bench-{uuid.uuid4().hex[:8]}:"
    try:
        async with fresh_database(admin_url) as database_url:
            env = run.circles_env(database_url, CIRCLES_BROKER_URL=broker_url, CIRCLES_REDIS_PREFIX=prefix)
            await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "circles", "migrate"],
                env=env,
                check=True,
                capture_output=True,
                timeout=120,
            )
            key = await asyncio.to_thread(create_app_key, env)
            first = circles_server(run.folder, {**env, "CIRCLES_INSTANCE_ID": "bench-a"}, "Circles-A")
            second = circles_server(run.folder, {**env, "CIRCLES_INSTANCE_ID": "bench-b"}, "Circles-B")
            async with running(first) as a, running(second) as b:
                await measure_two(run, a, b, key)
    except Exception as error:
        run.failed("two instances + Redis", CIRCLES, error)
    finally:
        forget_keys(broker_url, prefix)


async def measure_two(run: Run, a: Any, b: Any, key: str) -> None:
    api_a, api_b = CirclesApi(a, key), CirclesApi(b, key)
    try:
        count, members = run.size.multi
        chosen = await api_a.make_circles(count, members)
        everyone = sockets_of(chosen)
        async with Generators(run.size.generators, run.folder) as gens:
            on_a = await gens.connect(a, everyone[0::2])
            on_b = await gens.connect(b, everyone[1::2])

            async def change(seats: CircleSeats) -> float:  # half the changes through each instance
                return await (api_a if int(seats.id[-1], 16) % 2 else api_b).turn_change(seats)

            for rate in run.size.rates[:2]:
                await gens.all({"cmd": "reset"})
                before = [s.usage()[0] for s in (a, b)]
                started = time.monotonic()
                driven = await at_rate(change, chosen, rate, run.size.window)
                expected = await api_a.last_seqs(chosen)
                answers = await settled(run, gens, expected)
                used = sum(s.usage()[0] - c for s, c in zip((a, b), before, strict=True))
                result = summarize(merge(answers))
                run.add(
                    "two instances + Redis",
                    CIRCLES,
                    sockets=on_a["connected"] + on_b["connected"],
                    rate=rate,
                    achieved_rate=driven["achieved_rate"],
                    **result,
                    server_cpu=used / (time.monotonic() - started),
                    generator_cpu=max(x["cpu"] / x["wall"] for x in answers),
                )
        await rest_rows(run, api_a, chosen, "PostgreSQL")
        await burst_row(run, api_a, chosen[0], "PostgreSQL")
    finally:
        await api_a.close()
        await api_b.close()
