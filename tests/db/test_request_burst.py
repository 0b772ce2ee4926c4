"""A burst of reads with one credential cannot starve the database pool (issue 23).

A real `circles serve` process gets 200 concurrent `GET …/state` with one member's token while another app
sends one request of its own. Every answer of the burst is a 200 or a 429 (the per-credential bound), never
a 5xx, and the other app is answered. Before requests took their database slot on the event loop, their
pooled connections were held across separate threadpool trips and the pool's checkout timed out (500s
after 30 s, and every app's requests hung meanwhile).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.factories import auth, create_circle, ok, seat
from tests.server_process import ServerProcess, clean_environ, free_port

BURST = 200
ANSWER_WITHIN_SECONDS = 120.0  # only so that a starved server fails the test instead of hanging it


def _create_app(env: dict[str, str], name: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "circles", "apps", "create", name], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1].strip()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "migrated_postgres_url"))


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[tuple[ServerProcess, str, str]]:
    env = {**clean_environ(), "PYTHONUNBUFFERED": "1", "CIRCLES_DATABASE_URL": database_url}
    keys = (_create_app(env, "burst"), _create_app(env, "bystander"))
    server = ServerProcess(port=free_port(), env=env, log_path=tmp_path / "server.log")
    server.start()
    try:
        yield server, *keys
    finally:
        server.close_clients()
        server.stop()


async def _burst(base_url: str, path: str, token: str, bystander: tuple[str, str]) -> tuple[list[httpx.Response], int]:
    limits = httpx.Limits(max_connections=BURST + 1, max_keepalive_connections=0)
    timeout = httpx.Timeout(ANSWER_WITHIN_SECONDS)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout, trust_env=False) as client:
        burst = [asyncio.create_task(client.get(path, headers=auth(token))) for _ in range(BURST)]
        await asyncio.sleep(0)  # the burst's requests are on their way before the other app's
        other_path, other_key = bystander
        other = await client.get(other_path, headers=auth(other_key))
        answers = await asyncio.gather(*burst)
    return answers, other.status_code


def test_a_burst_with_one_credential_is_answered_without_5xx_and_others_are_served(
    served: tuple[ServerProcess, str, str],
) -> None:
    server, key, other_key = served
    http = server.http()
    circle = create_circle(http, key)
    member = seat(http, key, circle["id"], "Ana")
    ok(http.get("/v1/circles", headers=auth(other_key)))

    answers, other_status = asyncio.run(
        _burst(server.base_url, f"/v1/circles/{circle['id']}/state", member["token"], ("/v1/circles", other_key))
    )

    counted = Counter(a.status_code for a in answers)
    assert set(counted) <= {200, 429}, f"{counted}\n{server.log()[-4000:]}"
    assert counted[200] > 0
    for refused in (a for a in answers if a.status_code == 429):  # beyond the credential's bound, said so
        assert refused.json()["code"] == "too_many_in_flight" and refused.headers["retry-after"] == "1"
    assert other_status == 200
    assert "QueuePool limit" not in server.log()
    # and the database is still there for everyone afterwards
    ok(http.get(f"/v1/circles/{circle['id']}/state", headers=auth(member["token"])))
    assert server.get("/readyz").status_code == 200
