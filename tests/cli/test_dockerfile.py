"""The Dockerfile: its base image is pinned to one release, and its HEALTHCHECK command (run here as the
image's shell would run it) passes against a live server and fails when none answers."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.cli.test_first_start import server
from tests.server_process import clean_environ

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def health_check(port: int) -> int:
    command = re.search(r"^HEALTHCHECK .*?CMD (.+)$", DOCKERFILE.replace("\\\n", ""), flags=re.M)
    assert command is not None
    env = {**clean_environ(), "CIRCLES_PORT": str(port), "HTTP_PROXY": "http://127.0.0.1:9"}
    return subprocess.run(["sh", "-c", command.group(1)], env=env, capture_output=True, timeout=30).returncode


def test_the_base_image_is_one_release() -> None:
    bases = re.findall(r"^FROM (\S+)", DOCKERFILE, flags=re.M)
    assert len(bases) == 1
    assert re.fullmatch(r"python:3\.\d+\.\d+-slim-[a-z]+", bases[0]), bases[0]


def test_the_health_check_passes_while_the_server_answers(tmp_path: Path) -> None:
    the_server = server(f"sqlite:///{tmp_path / 'circles.db'}", tmp_path / "server.log")
    the_server.start()
    try:
        assert health_check(the_server.port) == 0
    finally:
        the_server.stop()
    assert health_check(the_server.port) != 0
