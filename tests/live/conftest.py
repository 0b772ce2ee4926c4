"""A real server process per test: `python -m circles serve` on a free loopback port and its own SQLite file.

The database is migrated, and its two apps created, once per session by the real CLI
(`python -m circles apps create NAME`, keys read from its stdout); each test's server then starts on a
copy of that file, so a test pays only for starting the server (the CLI takes about as long again).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.live.client import LiveClient, open_live
from tests.server_process import ServerProcess, clean_environ, free_port

SWEEP_SECONDS = 0.5


@dataclass(frozen=True)
class Template:
    """A migrated SQLite file holding two apps, and their keys."""

    path: Path
    app_key: str
    other_app_key: str


def _cli(database_url: str, *args: str) -> str:
    env = {**clean_environ(), "CIRCLES_DATABASE_URL": database_url}
    done = subprocess.run([sys.executable, "-m", "circles", *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"circles {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="session")
def live_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    path = tmp_path_factory.mktemp("live-template") / "circles.db"
    url = f"sqlite:///{path}"
    keys = [_cli(url, "apps", "create", name).strip().splitlines()[-1].strip() for name in ("test", "other")]
    assert all(key.startswith("ck_") for key in keys), keys
    return Template(path=path, app_key=keys[0], other_app_key=keys[1])


CLOCKED_SERVER = Path(__file__).with_name("clocked_server.py")


@dataclass(eq=False, kw_only=True)
class Server(ServerProcess):
    """One `circles serve` process on its own SQLite file, with the two apps' keys.

    A clocked server (`start_server(clocked=True)`, or a test marked `clocked`) tells the time by a clock
    that moves only when the test says (`advance`): a deadline or a grace period is reached by moving the
    clock past it, not by sleeping until the wall clock gets there. Stopped and started again, its clock goes
    on from where it was, unless the test says where (`start_clock_at`: time that passed while it was down)."""

    database_path: Path
    app_key: str
    other_app_key: str
    clocked: bool = False

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database_path}"

    def clock_now(self) -> datetime:
        return datetime.fromisoformat(self._clock("GET")["now"])

    def advance(self, seconds: float) -> datetime:
        """Move the server's clock on by `seconds`; the timers that come due fire. The new time."""
        return datetime.fromisoformat(self._clock("POST", {"seconds": seconds})["now"])

    def advance_to(self, moment: str | datetime, past_by: float = 0.001) -> datetime:
        """Move the server's clock to just past `moment` (a server time, as the API gives it)."""
        target = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
        return self.advance(max(0.0, (target - self.clock_now()).total_seconds()) + past_by)

    def start_clock_at(self, moment: str | datetime, past_by: float = 0.001) -> None:
        """The next start's clock begins just past `moment` (the server is down meanwhile)."""
        target = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
        self.env["TEST_CLOCK_START"] = (target + timedelta(seconds=past_by)).isoformat()

    def _clock(self, method: str, body: dict[str, float] | None = None) -> dict[str, str]:
        assert self.clocked, f"{self} runs on the wall clock"
        with httpx.Client(base_url=self.base_url, timeout=10.0, trust_env=False) as client:
            answer = client.request(method, "/test/clock", json=body)
        assert answer.status_code == 200, answer.text
        found: dict[str, str] = answer.json()
        return found

    def _keep_time(self) -> None:
        if self.clocked and self.running:
            self.env["TEST_CLOCK_START"] = self.clock_now().isoformat()

    def stop(self) -> int:
        self._keep_time()
        return super().stop()

    def kill(self) -> int:
        self._keep_time()
        return super().kill()


StartServer = Callable[..., Server]


@pytest.fixture
def start_server(tmp_path: Path, live_template: Template) -> Iterator[StartServer]:
    """start_server(env={...}) -> a running Server on its own copy of the database; each is stopped at the
    end of the test, however it ends."""
    servers: list[Server] = []

    def start(env: dict[str, str] | None = None, clocked: bool = False) -> Server:
        folder = tmp_path / f"server-{len(servers)}"
        folder.mkdir()
        database_path = folder / "circles.db"
        shutil.copyfile(live_template.path, database_path)
        server = Server(
            port=free_port(),
            database_path=database_path,
            log_path=folder / "server.log",
            app_key=live_template.app_key,
            other_app_key=live_template.other_app_key,
            env={},
            clocked=clocked,
            command=(str(CLOCKED_SERVER),) if clocked else ServerProcess.command,
        )
        server.env = {
            **clean_environ(),
            "PYTHONUNBUFFERED": "1",
            "CIRCLES_DATABASE_URL": server.database_url,
            "CIRCLES_DEADLINE_SWEEP_SECONDS": str(SWEEP_SECONDS),
            **(env or {}),
        }
        servers.append(server)
        server.start()
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.close_clients()
            server.stop()


@pytest.fixture
def server(start_server: StartServer, request: pytest.FixtureRequest) -> Server:
    """The test's server: a clocked one when the test is marked `clocked`."""
    return start_server(clocked=request.node.get_closest_marker("clocked") is not None)


@pytest.fixture
def http(server: Server) -> httpx.Client:
    return server.http()


Connect = Callable[..., LiveClient]


@pytest.fixture
def live(server: Server) -> Iterator[Connect]:
    """live(circle_id, token, after=None, name="") -> a LiveClient past its welcome and catch-up on the
    default server; every socket opened here is closed at the end of the test."""
    clients: list[LiveClient] = []

    def connect(circle_id: str, token: str, after: int | None = None, name: str = "") -> LiveClient:
        client = open_live(server.ws_url(circle_id), token, after=after, name=name)
        clients.append(client)
        return client

    try:
        yield connect
    finally:
        for client in clients:
            client.close()


@pytest.fixture
def sockets() -> Iterator[list[LiveClient]]:
    """The sockets a test opened itself: closed at its end, however it ends."""
    opened: list[LiveClient] = []
    try:
        yield opened
    finally:
        for client in opened:
            client.close()
