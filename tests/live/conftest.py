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


@dataclass(eq=False, kw_only=True)
class Server(ServerProcess):
    """One `circles serve` process on its own SQLite file, with the two apps' keys."""

    database_path: Path
    app_key: str
    other_app_key: str

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database_path}"


StartServer = Callable[..., Server]


@pytest.fixture
def start_server(tmp_path: Path, live_template: Template) -> Iterator[StartServer]:
    """start_server(env={...}) -> a running Server on its own copy of the database; each is stopped at the
    end of the test, however it ends."""
    servers: list[Server] = []

    def start(env: dict[str, str] | None = None) -> Server:
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
def server(start_server: StartServer) -> Server:
    return start_server()


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
