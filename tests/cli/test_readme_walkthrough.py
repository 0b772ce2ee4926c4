"""The README's "A whole round, by hand", run as written: its shell blocks, in one bash, against a real
`circles serve` that was started the quick start's way on a fresh database (its first key read from its log).

Only three things are changed in the text: the key it printed, the port, and where `.venv/bin/` is."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_first_start import KEY, server

ROOT = Path(__file__).resolve().parents[2]
FOLLOW_SECONDS = 20.0  # a bound on waiting for the follower's lines, never a measure of anything
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def walkthrough_script() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## A whole round, by hand", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 3, "the walkthrough's shell blocks changed: update this test"
    return "\n".join(blocks)


def follower_lines(output: str) -> list[dict[str, object]]:
    """The follower's event lines: seq, name, whom it is about (or None) and data."""
    found = re.findall(r"^live #(\d+) (\S+)(?: \((\w+)\))? (\{.*)$", output, flags=re.M)
    return [
        {"seq": int(seq), "name": name, "who": who or None, "data": json.loads(data)} for seq, name, who, data in found
    ]


@pytest.mark.skipif(shutil.which("curl") is None, reason="the walkthrough uses curl, which is not installed")
def test_the_walkthrough_runs_as_written(tmp_path: Path) -> None:
    the_server = server(f"sqlite:///{tmp_path / 'circles.db'}", tmp_path / "server.log")
    the_server.start()
    bash = None
    try:
        keys = KEY.findall(the_server.log())
        assert len(keys) == 1
        script = walkthrough_script()
        assert script.count("KEY=ck_...") == 1 and "127.0.0.1:8000" in script and ".venv/bin/circles" in script
        script = (
            script.replace("KEY=ck_...", f"KEY={keys[0]}", 1)
            .replace("127.0.0.1:8000", f"127.0.0.1:{the_server.port}")
            .replace(".venv/bin/", f"{Path(sys.executable).parent}/")
        )
        env = {k: v for k, v in the_server.env.items() if "proxy" not in k.lower()}
        env["CIRCLES_PORT"] = str(the_server.port)  # where `circles follow` looks by default, as serve listens
        out = tmp_path / "terminal.txt"
        with out.open("wb") as terminal:
            bash = subprocess.Popen(
                ["bash", "-c", "set -u\n" + script],
                cwd=tmp_path,
                env=env,
                stdout=terminal,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # the follower left in the background is in its group, ended below
            )
            assert bash.wait(60) == 0, out.read_text()

        give_up = time.monotonic() + FOLLOW_SECONDS
        while len([e for e in follower_lines(out.read_text()) if e["name"] == "turn.started"]) < 2:
            assert time.monotonic() < give_up, f"the follower never showed Ana's turn:\n{out.read_text()}"
            time.sleep(0.1)
        terminal_text = out.read_text()
    finally:
        if bash is not None:
            os.killpg(bash.pid, signal.SIGTERM)
        the_server.stop()

    assert "error" not in terminal_text, terminal_text
    assert re.search(rf"^circle {UUID}$", terminal_text, flags=re.M), terminal_text
    for name in ("Kim", "Ana", "Ben"):
        assert re.search(rf"^{name} 1$", terminal_text, flags=re.M), terminal_text
    assert re.search(r"^live welcome .*\"role\": \"member\"", terminal_text, flags=re.M), terminal_text
    assert re.search(r"^active$", terminal_text, flags=re.M), terminal_text  # the finish's answer

    events = follower_lines(terminal_text)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))  # every event, once, in order
    names = [e["name"] for e in events]
    assert names.count("participant.agreed") == 3
    tail = [(e["name"], e["who"]) for e in events[names.index("round.started") :]]
    assert tail == [("round.started", None), ("turn.started", "Kim"), ("turn.ended", "Kim"), ("turn.started", "Ana")]
    ended = events[names.index("turn.ended")]["data"]
    assert isinstance(ended, dict) and ended["turn"]["outcome"] == "spoke"
