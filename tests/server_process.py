"""One real `python -m circles serve` process (or another command that serves the app the same way) on a free
loopback port, for the live and scale suites.

It can be launched and waited for, signalled, stopped (SIGTERM), killed (SIGKILL) and started again on the
same port; every wait is bounded, and a server that will not start fails the test with its log.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

STARTUP_SECONDS = 20.0
STOP_SECONDS = 15.0
LAUNCHED: list[ServerProcess] = []  # read by the suite-wide guard (tests/failure_guard.py) after each test


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_environ() -> dict[str, str]:
    """The test run's environment without any CIRCLES_ setting that could leak into a server."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CIRCLES_")}


def tail(path: Path, lines: int = 60) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass(eq=False, kw_only=True)
class ServerProcess:
    port: int
    env: dict[str, str]
    log_path: Path
    command: tuple[str, ...] = ("-m", "circles", "serve")  # what `python` runs, before `--port PORT`
    process: subprocess.Popen[bytes] | None = None
    _clients: list[httpx.Client] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self, circle_id: str) -> str:
        return f"ws://127.0.0.1:{self.port}/v1/circles/{circle_id}/live"

    def http(self, timeout: float = 15.0) -> httpx.Client:
        """A new REST client for this server (closed by close_clients).

        It lets an idle connection go after 2 s, before uvicorn closes it (its keep-alive is 5 s): a request
        sent on a connection the server is just closing fails with "Server disconnected without sending a
        response", which a test that waits out a turn's time would otherwise meet now and then."""
        limits = httpx.Limits(keepalive_expiry=2.0)
        client = httpx.Client(base_url=self.base_url, timeout=timeout, trust_env=False, limits=limits)
        self._clients.append(client)
        return client

    def get(self, path: str, timeout: float = 5.0) -> httpx.Response:
        with httpx.Client(base_url=self.base_url, timeout=timeout, trust_env=False) as client:
            return client.get(path)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def launch(self) -> None:
        """Start the process without waiting for it (see wait_live)."""
        assert not self.running, f"{self} is already running"
        LAUNCHED.append(self)
        with self.log_path.open("ab") as log:
            log.write(f"\n===== start {datetime.now(UTC).isoformat()} =====\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [sys.executable, *self.command, "--port", str(self.port)],
                env=self.env,
                cwd=self.log_path.parent,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_live(self) -> None:
        give_up = time.monotonic() + STARTUP_SECONDS
        with httpx.Client(base_url=self.base_url, timeout=1.0, trust_env=False) as probe:
            while time.monotonic() < give_up:
                assert self.process is not None
                if self.process.poll() is not None:
                    pytest.fail(f"{self} exited with {self.process.returncode}:\n{tail(self.log_path)}")
                try:
                    if probe.get("/livez").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        self.kill()
        pytest.fail(f"{self}: /livez not 200 within {STARTUP_SECONDS} s:\n{tail(self.log_path)}")

    def start(self) -> None:
        self.launch()
        self.wait_live()

    def signal(self, sig: signal.Signals) -> None:
        assert self.process is not None and self.process.poll() is None, f"{self} is not running"
        self.process.send_signal(sig)

    def wait_exit(self, timeout: float = STOP_SECONDS) -> int:
        """Wait for the process to end (SIGKILL after `timeout`); its exit code."""
        process = self.process
        if process is None:
            return 0
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_SECONDS)
        self.process = None
        return process.returncode

    def stop(self) -> int:
        """SIGTERM, then wait for it to end."""
        if self.running:
            self.signal(signal.SIGTERM)
        return self.wait_exit()

    def kill(self) -> int:
        if self.running:
            self.signal(signal.SIGKILL)
        return self.wait_exit()

    def restart(self) -> None:
        self.stop()
        self.start()

    def close_clients(self) -> None:
        for client in self._clients:
            client.close()
        self._clients.clear()
