"""The suite-wide guard: a test fails when a server it ran answered a 5xx or logged a traceback.

Unexpected server failures hide behind tests that only look at what they asked for: a socket command that
kills its socket, a background task that dies with a traceback, a 500 on a request nobody checks. So every
test watches three things while it runs:

- every response of an in-process app (`CirclesApp`, as TestClient and httpx's ASGI transport call it);
- every log record of the test's own process: one carrying a traceback, or "Exception in ASGI application";
- the log of every `tests.server_process` server the test launched: a traceback, "Exception in ASGI
  application", or a 5xx in its access log.

A test that causes a 5xx on purpose says which with `@pytest.mark.allows_5xx(503)`. A test that makes a
component fail on purpose, to see it try again, names the logger whose traceback it expects with
`@pytest.mark.logs_traceback("circles.live.audience")` (its own process only: a server's is never allowed).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from starlette.types import Message, Receive, Scope, Send

from circles.app import CirclesApp
from tests import server_process

FAILURE_TEXTS = ("Exception in ASGI application", "Traceback (most recent call last)")
ACCESS_5XX = re.compile(r'"[A-Z]+ \S+ HTTP/[\d.]+" (5\d\d)')


class _LoggedFailures(logging.Handler):
    def __init__(self, expected_from: set[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.expected_from = expected_from
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its message is not this guard's concern
            message = str(record.msg)
        if record.name in self.expected_from:
            return
        if record.exc_info or record.exc_text or any(text in message for text in FAILURE_TEXTS):
            self.found.append(f"{record.levelname} {record.name}: {message}\n{self.format(record)}")


def _allowed_statuses(item: pytest.Item) -> set[int]:
    return {int(status) for marker in item.iter_markers("allows_5xx") for status in marker.args}


def _server_log_failures(server: server_process.ServerProcess, allowed: set[int]) -> list[str]:
    found = []
    for number, line in enumerate(server.log().splitlines(), 1):
        status = ACCESS_5XX.search(line)
        if any(text in line for text in FAILURE_TEXTS) or (status and int(status.group(1)) not in allowed):
            found.append(f"{server.log_path}:{number}: {line}")
    return found


@contextmanager
def watch_for_server_failures(item: pytest.Item, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    allowed = _allowed_statuses(item)
    answered: list[str] = []
    answer = CirclesApp.__call__

    async def watched(self: CirclesApp, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await answer(self, scope, receive, send)

        async def send_watched(message: Message) -> None:
            status = message["status"] if message["type"] == "http.response.start" else 0
            if status >= 500 and status not in allowed:
                answered.append(f"{scope['method']} {scope['path']} answered {status}")
            await send(message)

        await answer(self, scope, receive, send_watched)

    monkeypatch.setattr(CirclesApp, "__call__", watched)
    logged = _LoggedFailures({str(name) for m in item.iter_markers("logs_traceback") for name in m.args})
    root = logging.getLogger()
    root.addHandler(logged)
    server_process.LAUNCHED.clear()
    try:
        yield
    finally:
        root.removeHandler(logged)
        launched = list({id(s): s for s in server_process.LAUNCHED}.values())
        server_process.LAUNCHED.clear()
    in_server_logs = [line for server in launched for line in _server_log_failures(server, allowed)]
    failures = answered + logged.found + in_server_logs
    if failures:
        pytest.fail("a server failed during this test (see tests/failure_guard.py):\n" + "\n".join(failures))
