"""Socket and log hardening that only a real server shows: no per-message compression, request ids on
every log line."""

from __future__ import annotations

import httpx
from websockets.sync.client import connect

from tests.factories import create_circle, seat
from tests.live.conftest import Server


def test_the_server_declines_per_message_compression(server: Server, http: httpx.Client) -> None:
    circle = create_circle(http, server.app_key)
    member = seat(http, server.app_key, circle["id"], "Ana")
    # The client offers permessage-deflate (websockets does by default); the server must not accept it.
    with connect(server.ws_url(circle["id"]), compression="deflate") as socket:
        assert "Sec-WebSocket-Extensions" not in socket.response.headers
        socket.send(f'{{"type": "auth", "token": "{member["token"]}"}}')
        assert '"welcome"' in socket.recv(timeout=5)


def test_every_access_log_line_carries_the_request_id(server: Server, http: httpx.Client) -> None:
    response = http.get(
        "/v1/circles", headers={"Authorization": f"Bearer {server.app_key}", "X-Request-ID": "trace-7f3a"}
    )
    assert response.headers["x-request-id"] == "trace-7f3a"
    made_up = http.get("/livez").headers["x-request-id"]
    log = server.log()
    assert any("[trace-7f3a]" in line and "GET /v1/circles" in line for line in log.splitlines()), log[-2000:]
    assert any(f"[{made_up}]" in line and "GET /livez" in line for line in log.splitlines())
    assert server.app_key not in log
