"""The front door: what `circles serve` does on its first starts, tried with real processes.

Instances started together on a fresh database take turns: one migrates and creates the first app, and
exactly one key is printed, on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.server_process import ServerProcess, clean_environ, free_port

KEY = re.compile(r"\bck_[A-Za-z0-9_-]{20,}")


def run_cli(database_url: str, *args: str) -> str:
    env = {**clean_environ(), "CIRCLES_DATABASE_URL": database_url}
    done = subprocess.run([sys.executable, "-m", "circles", *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"circles {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def server(database_url: str, log_path: Path, port: int | None = None) -> ServerProcess:
    env = {**clean_environ(), "CIRCLES_DATABASE_URL": database_url}
    return ServerProcess(port=port or free_port(), env=env, log_path=log_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database nothing has touched yet: no file (SQLite), or an empty database (PostgreSQL)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    return str(request.getfixturevalue("postgres_url"))


def test_two_instances_starting_together_create_one_first_app(fresh_database_url: str, tmp_path: Path) -> None:
    servers = [server(fresh_database_url, tmp_path / f"server-{n}.log") for n in (1, 2)]
    try:
        for each in servers:
            each.launch()
        for each in servers:
            each.wait_live()
        printed = [key for each in servers for key in KEY.findall(each.log())]
        assert len(printed) == 1, [each.log() for each in servers]
        apps = run_cli(fresh_database_url, "apps", "list").splitlines()
        assert len(apps) == 1 and "  default  " in apps[0], apps
        for each in servers:  # the one key printed works on both
            answer = httpx.get(
                f"{each.base_url}/v1/circles", headers={"Authorization": f"Bearer {printed[0]}"}, trust_env=False
            )
            assert answer.status_code == 200, answer.text
    finally:
        for each in servers:
            each.stop()


def test_with_the_port_taken_serve_stops_before_touching_the_database(tmp_path: Path) -> None:
    database = tmp_path / "circles.db"
    url = f"sqlite:///{database}"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**clean_environ(), "CIRCLES_DATABASE_URL": url}
        done = subprocess.run(
            [sys.executable, "-m", "circles", "serve", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "Nothing was started or changed" in done.stderr
    assert not KEY.search(done.stdout + done.stderr)
    assert not database.exists()  # so the next start is the first, and prints the key

    first = server(url, tmp_path / "server.log", port)
    first.start()
    try:
        assert len(KEY.findall(first.log())) == 1
    finally:
        first.stop()


def test_every_later_start_says_how_to_make_a_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'circles.db'}"
    each = server(url, tmp_path / "server.log")
    for _start in range(3):
        each.start()
        each.stop()
    starts = each.log().split("===== start ")[1:]
    assert len(starts) == 3
    assert [len(KEY.findall(start)) for start in starts] == [1, 0, 0]
    assert ["circles apps create NAME" in start for start in starts] == [False, True, True]


def test_ctrl_c_stops_the_server_as_sigterm_does_without_a_traceback(tmp_path: Path) -> None:
    started = server(f"sqlite:///{tmp_path / 'circles.db'}", tmp_path / "server.log")
    started.launch()
    started.wait_live()
    started.signal(signal.SIGINT)
    assert started.wait_exit() == 0, started.log()
    assert "Finished server process" in started.log()
    assert "Traceback" not in started.log(), started.log()
