"""The JS package (clients/js) as an app uses it: its declarations type-check against the generated REST types
with the pinned tsc, and node's own test runner registers a webhook endpoint on a real receiver and drives a whole
round against a real server while the package's live client follows it; the receiver is sent the same log, signed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from clients.regenerate import npm_tools

from tests.clients.observed import assert_each_saw_the_log, circle_log, webhook_saw
from tests.live.conftest import Server
from tests.server_process import clean_environ
from tests.webhook_receiver import Receiver

JS = Path(__file__).resolve().parents[2] / "clients" / "js"
NODE_SECONDS = 120


def _node() -> list[str]:
    """node, with the WebSocket client switched on where it is not yet on by default (Node 20 and 21)."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: clients/js is tested with node's own test runner (node --test)")
    major = int(
        subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout[1:].split(".")[0]
    )
    return [node, "--experimental-websocket"] if major < 22 else [node]


def test_the_declarations_type_check_against_the_generated_rest_types() -> None:
    checked = subprocess.run(
        [str(npm_tools() / "tsc"), "-p", str(JS / "tsconfig.json")], capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_node_drives_a_whole_round_and_the_live_client_and_a_webhook_see_the_log(
    server: Server, receiver: Receiver, tmp_path: Path
) -> None:
    observed = tmp_path / "observed.json"
    env = {
        **clean_environ(),
        "CIRCLES_BASE_URL": server.base_url,
        "CIRCLES_APP_KEY": server.app_key,
        "CIRCLES_OBSERVED": str(observed),
        "CIRCLES_WEBHOOK_URL": receiver.url,
    }
    env.pop("NODE_OPTIONS", None)
    done = subprocess.run(
        [*_node(), "--test", "--test-reporter=tap", "test/live.test.mjs"],
        cwd=JS,
        env=env,
        capture_output=True,
        text=True,
        timeout=NODE_SECONDS,
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "# pass 2" in report and "# skipped 0" in report and "# fail 0" in report, report

    seen = json.loads(observed.read_text())
    log = circle_log(server.http(), server.app_key, seen["circle_id"])
    after_snapshot = log[seen["snapshot_seq"] :]
    assert after_snapshot[-1][1] == "round.ended"
    webhook = webhook_saw(receiver, seen["circle_id"], seen["webhook_secret"], log)
    assert_each_saw_the_log(log, js_live=[*log[: seen["snapshot_seq"]], *map(tuple, seen["events"])], webhook=webhook)
