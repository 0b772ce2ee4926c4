"""Several real `python -m circles serve` processes on one PostgreSQL database and one Redis broker.

`cluster(size)` migrates the test's own PostgreSQL database, creates an app key with the real CLI and starts
`size` instances on free loopback ports, all with the same database, broker URL and a Redis key prefix of
the test's own. Each instance can be stopped (SIGTERM), killed (SIGKILL) and started again on its port.
`private_redis` is a redis-server this test owns, to stop and start (an outage). Every wait is bounded,
and every process is ended when the test ends, however it ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from circles.migration import upgrade
from tests.conftest import REQUIRE_SERVICES_ENV
from tests.live.client import LiveClient, open_live
from tests.server_process import ServerProcess, clean_environ, free_port, tail

SWEEP_SECONDS = 0.5
PRESENCE_TTL_SECONDS = 3
LOG_POLL_SECONDS = 2  # the contract's default, not overridden: the backstop must work at its default
REDIS_SERVER = "/usr/bin/redis-server"
RACE_SECONDS = 30.0


def seconds_until(moment: str) -> float:
    return (datetime.fromisoformat(moment) - datetime.now(UTC)).total_seconds()


# -- one server process ---------------------------------------------------------------------------------------
@dataclass(eq=False, kw_only=True)
class Instance(ServerProcess):
    name: str

    def __repr__(self) -> str:
        return f"Instance({self.name}:{self.port})"


@dataclass(eq=False)
class Cluster:
    """Instances on one database and one broker/prefix; `cluster[0]` is A, `cluster[1]` B, and so on."""

    database_url: str
    broker_url: str
    prefix: str
    app_key: str
    instances: list[Instance]
    _sockets: list[LiveClient] = field(default_factory=list)

    def __getitem__(self, index: int) -> Instance:
        return self.instances[index]

    def __iter__(self) -> Iterator[Instance]:
        return iter(self.instances)

    def live(
        self, instance: Instance, circle_id: str, token: str, after: int | None = None, name: str = ""
    ) -> LiveClient:
        """A socket to `instance`, past its welcome and catch-up; closed when the test ends."""
        client = open_live(instance.ws_url(circle_id), token, after=after, name=f"{name}@{instance.name}")
        self._sockets.append(client)
        return client

    def start_all(self) -> None:
        """Start every instance that is not running, at once, and wait for each /livez."""
        starting = [i for i in self.instances if not i.running]
        for instance in starting:
            instance.launch()
        for instance in starting:
            instance.wait_live()

    def stop_all(self) -> None:
        running = [i for i in self.instances if i.running]
        for instance in running:
            instance.signal(signal.SIGTERM)
        for instance in running:
            instance.wait_exit()

    def close(self) -> None:
        for client in self._sockets:
            with contextlib.suppress(Exception):  # a socket to a killed server may fail to close cleanly
                client.close()
        for instance in self.instances:
            instance.close_clients()
            if instance.running:
                instance.signal(signal.SIGKILL)
            instance.wait_exit()
        for instance in self.instances:
            print(f"----- {instance} log (tail) -----\n{tail(instance.log_path)}")

    def redis_streams(self) -> dict[str, int]:
        """The streams the service keeps in the broker under this cluster's prefix, with their lengths."""
        with redis.Redis.from_url(self.broker_url, socket_timeout=2, decode_responses=True) as client:
            keys = sorted(client.scan_iter(match=f"{self.prefix}*", count=500))
            return {k: int(client.xlen(k)) for k in keys if client.type(k) == "stream"}


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "circles", *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"circles {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


MakeCluster = Callable[..., Cluster]


@pytest.fixture
def cluster(request: pytest.FixtureRequest, postgres_url: str, tmp_path: Path) -> Iterator[MakeCluster]:
    """cluster(size=3, broker_url=None, env=None, per_instance=None) -> a running Cluster.

    broker_url defaults to the machine's Redis (CIRCLES_TEST_REDIS_URL); `env` is added to every
    instance's environment, `per_instance[i]` to instance i's only."""
    made: list[Cluster] = []
    upgrade(postgres_url)  # the test's fresh database, migrated once

    def make(
        size: int = 3,
        broker_url: str | None = None,
        env: dict[str, str] | None = None,
        per_instance: dict[int, dict[str, str]] | None = None,
    ) -> Cluster:
        broker = broker_url or request.getfixturevalue("redis_url")
        prefix = f"circles-test-{uuid.uuid4().hex[:8]}:"
        common = {
            **clean_environ(),
            "PYTHONUNBUFFERED": "1",
            "CIRCLES_DATABASE_URL": postgres_url,
            "CIRCLES_BROKER_URL": broker,
            "CIRCLES_REDIS_PREFIX": prefix,
            "CIRCLES_PRESENCE_TTL_SECONDS": str(PRESENCE_TTL_SECONDS),
            "CIRCLES_DEADLINE_SWEEP_SECONDS": str(SWEEP_SECONDS),
            **(env or {}),
        }
        if not made:
            key = _cli(common, "apps", "create", "scale test").strip().splitlines()[-1].strip()
            assert key.startswith("ck_"), key
        else:
            key = made[0].app_key
        instances = []
        for index in range(size):
            name = "ABCDEFGH"[index] + (str(len(made)) if made else "")
            folder = tmp_path / f"instance-{name}"
            folder.mkdir()
            own = (per_instance or {}).get(index, {})
            instance_env = {**common, "CIRCLES_INSTANCE_ID": f"{prefix[:-1]}-{name}", **own}
            instances.append(Instance(name=name, port=free_port(), env=instance_env, log_path=folder / "server.log"))
        made.append(group := Cluster(postgres_url, broker, prefix, key, instances))
        group.start_all()
        return group

    try:
        yield make
    finally:
        for group in made:
            group.close()
        for group in made:
            _forget_keys(group)


def _forget_keys(group: Cluster) -> None:
    try:
        with redis.Redis.from_url(group.broker_url, socket_timeout=2) as client:
            keys = list(client.scan_iter(match=f"{group.prefix}*", count=500))
            if keys:
                client.delete(*keys)
    except redis.RedisError:
        pass  # a private Redis that is gone already


# -- a Redis of the test's own ----------------------------------------------------------------------------------
@dataclass(eq=False)
class PrivateRedis:
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2, decode_responses=True)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def answers(self) -> bool:
        try:
            with self.client() as client:
                return bool(client.ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        assert not self.running
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        give_up = time.monotonic() + 10
        while not self.answers():
            assert self.process.poll() is None, f"redis-server exited:\n{tail(self.log_path)}"
            assert time.monotonic() < give_up, f"redis-server did not answer:\n{tail(self.log_path)}"
            time.sleep(0.05)

    def stop(self) -> None:
        """An outage: the server ends (its data with it); connections to the port are refused."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None
        assert not self.answers()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if not (Path(REDIS_SERVER).exists() or shutil.which("redis-server")):
        if os.environ.get(REQUIRE_SERVICES_ENV):
            pytest.fail(f"{REDIS_SERVER} is missing but {REQUIRE_SERVICES_ENV} says the Redis tests must run")
        pytest.skip(f"{REDIS_SERVER} is missing")
    server = PrivateRedis(port=free_port(), log_path=tmp_path / "redis.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


# -- shared helpers -------------------------------------------------------------------------------------------
def race(calls: list[tuple[Instance, Callable[[httpx.Client], Any]]]) -> list[Any]:
    """Run each call against its instance on its own thread and connection, all released by one barrier."""
    clients = [instance.http() for instance, _ in calls]
    for client in clients:  # connect first, so the barrier releases requests, not handshakes
        assert client.get("/livez").status_code == 200
    barrier = threading.Barrier(len(calls), timeout=RACE_SECONDS)

    def run(index: int) -> Any:
        barrier.wait()
        return calls[index][1](clients[index])

    with ThreadPoolExecutor(len(calls)) as pool:
        futures = [pool.submit(run, i) for i in range(len(calls))]
        return [future.result(timeout=RACE_SECONDS) for future in futures]


def assert_exactly_once(clients: list[LiveClient], first: int, last: int) -> None:
    """Together, `clients` (one screen's successive sockets) saw every seq first..last in order, once each."""
    seqs = [seq for client in clients for seq, _ in client.seen()]
    assert seqs == list(range(first, last + 1)), f"{clients}: expected seqs {first}..{last} once each, got {seqs}"
