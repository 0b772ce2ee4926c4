"""A real server process per test: `python -m circles serve` on a free loopback port and its own SQLite file.

The database is migrated, and its two apps created, once per session by the real CLI
(`python -m circles apps create NAME`, keys read from its stdout); each test's server then starts on a
copy of that file, so a test pays only for starting the server (the CLI takes about as long again).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.live.client import LiveClient, open_live

STARTUP_SECONDS = 15.0
STOP_SECONDS = 10.0
SWEEP_SECONDS = 0.5


@dataclass(frozen=True)
class Template:
    """A migrated SQLite file holding two apps, and their keys."""

    path: Path
    app_key: str
    other_app_key: str


def _cli(database_url: str, *args: str) -> str:
    env = {**_clean_environ(), "CIRCLES_DATABASE_URL": database_url}
    done = subprocess.run([sys.executable, "-m", "circles", *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"circles {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _clean_environ() -> dict[str, str]:
    """The test run's environment without any CIRCLES_ setting that could leak into the server."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CIRCLES_")}


@pytest.fixture(scope="session")
def live_template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    path = tmp_path_factory.mktemp("live-template") / "circles.db"
    url = f"sqlite:///{path}"
    keys = [_cli(url, "apps", "create", name).strip().splitlines()[-1].strip() for name in ("test", "other")]
    assert all(key.startswith("ck_") for key in keys), keys
    return Template(path=path, app_key=keys[0], other_app_key=keys[1])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(eq=False)
class Server:
    """One `circles serve` process; it can be stopped, killed and started again on the same DB and port."""

    port: int
    database_path: Path
    log_path: Path
    app_key: str
    other_app_key: str
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    _clients: list[httpx.Client] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database_path}"

    def ws_url(self, circle_id: str) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/circles/{circle_id}/live"

    def http(self) -> httpx.Client:
        """A new REST client for this server (closed when the test ends)."""
        client = httpx.Client(base_url=self.base_url, timeout=15.0, trust_env=False)
        self._clients.append(client)
        return client

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        assert not self.running, "already running"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "circles", "serve", "--port", str(self.port)],
                env=self.env,
                cwd=self.log_path.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        give_up = time.monotonic() + STARTUP_SECONDS
        with httpx.Client(base_url=self.base_url, timeout=1.0, trust_env=False) as probe:
            while time.monotonic() < give_up:
                assert self.process is not None
                if self.process.poll() is not None:
                    pytest.fail(f"the server exited with {self.process.returncode}:\n{self.log()}")
                try:
                    if probe.get("/openapi.json").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        self.kill()
        pytest.fail(f"the server did not answer within {STARTUP_SECONDS} s:\n{self.log()}")

    def stop(self) -> int:
        """SIGTERM, then wait (SIGKILL if it will not stop). Returns the exit code."""
        return self._end(signal.SIGTERM)

    def kill(self) -> int:
        return self._end(signal.SIGKILL)

    def restart(self) -> None:
        if self.running:
            self.stop()
        self.start()

    def _end(self, sig: signal.Signals) -> int:
        process = self.process
        if process is None:
            return 0
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(STOP_SECONDS)
        self.process = None
        return process.returncode

    def close_clients(self) -> None:
        for client in self._clients:
            client.close()
        self._clients.clear()


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
            **_clean_environ(),
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
