"""`circles follow`: a refused credential, or none, ends it with a failure that says why."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from tests.cli.test_first_start import server


def follow(port: int, circle_id: str, stdin: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "circles", "follow", circle_id, "--server", f"http://127.0.0.1:{port}"],
        input=stdin,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_refused_credential_or_none_fails_and_says_why(tmp_path: Path) -> None:
    the_server = server(f"sqlite:///{tmp_path / 'circles.db'}", tmp_path / "server.log")
    the_server.start()
    try:
        refused = follow(the_server.port, str(uuid.uuid4()), "cpt_not-a-real-token\n", tmp_path)
        missing = follow(the_server.port, str(uuid.uuid4()), "", tmp_path)
    finally:
        the_server.stop()
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert "closed 4401" in refused.stderr  # docs/protocol.md: unknown credential
    assert missing.returncode == 1
    assert "no credential on stdin" in missing.stderr


def test_nothing_listening_fails_and_says_where(tmp_path: Path) -> None:
    from tests.server_process import free_port

    done = follow(free_port(), str(uuid.uuid4()), "cpt_x\n", tmp_path)
    assert done.returncode == 1
    assert "cannot open ws://127.0.0.1:" in done.stderr


def test_it_finds_the_local_server_where_serve_listens() -> None:
    from circles.follow import live_url, local_server

    assert local_server("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert local_server("::", 9000) == "http://[::1]:9000"
    assert live_url("http://127.0.0.1:8000/", "c1") == "ws://127.0.0.1:8000/v1/circles/c1/live"
    assert live_url("https://circles.example.org", "c1") == "wss://circles.example.org/v1/circles/c1/live"
