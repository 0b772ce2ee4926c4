"""examples/web-app/server.py as its README runs it: a process of its own, pointed at a Circles server."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.server_process import STARTUP_SECONDS, clean_environ, free_port

SERVER = Path(__file__).resolve().parents[2] / "examples" / "web-app" / "server.py"


@contextmanager
def web_app(circles_url: str, app_key: str, log_path: Path) -> Iterator[str]:
    """Starts the example app and yields its base URL; stops it however the test ends."""
    port = free_port()
    env = {**clean_environ(), "CIRCLES_URL": circles_url, "CIRCLES_APP_KEY": app_key, "PORT": str(port)}
    with log_path.open("wb") as log:
        process = subprocess.Popen([sys.executable, str(SERVER)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(base_url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the example app did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.05)
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answers(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/", timeout=1.0, trust_env=False).status_code == 200
    except httpx.TransportError:
        return False
