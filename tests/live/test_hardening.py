"""Socket and log hardening that only a real server shows: no per-message compression, request ids on
every log line, no credential in any log line."""

from __future__ import annotations

import json
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from tests.factories import create_circle, seat
from tests.live.conftest import Server, StartServer


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


def test_a_credential_put_in_a_url_never_reaches_the_log(start_server: StartServer) -> None:
    server = start_server(env={"CIRCLES_LOG_LEVEL": "debug"})  # the socket's own lines too
    http = server.http()
    circle = create_circle(http, server.app_key)
    member = seat(http, server.app_key, circle["id"], "Ana")
    secrets = [server.app_key, member["token"], "whsec_made-up-signing-secret"]
    encoded = server.app_key.replace("_", "%5F", 1)
    refused = [
        http.get(f"/v1/circles?key={server.app_key}"),  # refused: the credential belongs in the header
        http.post(f"/v1/circles/{circle['id']}/close?token={member['token']}&x=1"),
        http.get(f"/v1/circles/{circle['id']}/state?secret={secrets[2]}"),
        http.get(f"/v1/circles?key={encoded}"),
        http.get(f"/v1/{member['token']}"),
    ]
    assert {response.status_code for response in refused} <= {401, 404}
    with connect(f"{server.ws_url(circle['id'])}?token={member['token']}") as socket:
        socket.send(f'{{"type": "auth", "token": "{member["token"]}"}}')
        assert '"welcome"' in socket.recv(timeout=5)

    lines = server.log().splitlines()
    assert any("/live?token=cpt_[redacted]" in line for line in lines), "\n".join(lines[-40:])
    assert any("GET /v1/circles?key=ck_[redacted]" in line and " 401" in line for line in lines)
    assert any("close?token=cpt_[redacted]&x=1" in line for line in lines)
    assert sum("key=ck_[redacted]" in line for line in lines) == 2  # the percent-encoded one too
    for secret in (*secrets, secrets[0][3:], secrets[1][4:], encoded):
        assert all(secret not in line for line in lines), secret


DEEP = 1500  # deeper than Python's json can follow: it raised RecursionError and killed the socket
MALFORMED_COMMANDS = {
    "an unpaired surrogate as the id": '{"type": "command", "id": "\\ud800", "name": "get_circle"}',
    "two of them": '{"type": "command", "id": "\\ud800\\udbff", "name": "get_circle"}',
    "one in an argument": '{"type": "command", "id": "s", "name": "update_circle", "args": {"name": "a\\udc00"}}',
    "arrays nested deep": '{"type": "command", "id": "n", "name": "get_circle", "x": ' + "[" * DEEP + "]" * DEEP + "}",
    "objects nested deep": '{"type": "command", "id": "o", "x": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}",
    "a frame nested deep": "[" * DEEP + '"command"' + "]" * DEEP,
    "a number of 5,000 digits": '{"type": "command", "id": "h", "name": "list_events", "after": ' + "9" * 5000 + "}",
    "NaN": '{"type": "command", "id": "nan", "name": "list_events", "after": NaN}',
    "a list": '["command", "get_circle"]',
    "cut short": '{"type": "command", "id": "cut", "name": "get_circle"',
}


def test_every_malformed_command_frame_gets_a_422_reply_and_the_socket_lives_on(
    start_server: StartServer,
) -> None:
    """Issue 22, item 7: a lone surrogate in a command's id, or a command nested 1,500 deep, closed the socket
    with 1006 and a traceback; the protocol promises a reply to every command frame."""
    server = start_server(env={"CIRCLES_SOCKET_MESSAGES_PER_SECOND": "1000"})
    http = server.http()
    circle = create_circle(http, server.app_key)
    with connect(server.ws_url(circle["id"]), max_size=2**22) as socket:
        socket.send(json.dumps({"type": "auth", "token": server.app_key}))
        assert json.loads(socket.recv(timeout=5))["type"] == "welcome"
        for what, frame in MALFORMED_COMMANDS.items():
            socket.send(frame)
            reply = _next_reply(socket)
            assert reply["ok"] is False and reply["error"]["status"] == 422, (what, reply)
            assert reply["error"]["code"] == "validation_error", (what, reply)
        socket.send(json.dumps({"type": "command", "id": "after", "name": "get_circle"}))
        reply = _next_reply(socket)
        assert (reply["id"], reply["ok"], reply["result"]["id"]) == ("after", True, circle["id"])
    assert "Traceback" not in server.log() and "Exception in ASGI application" not in server.log()


def _next_reply(socket: ClientConnection) -> dict[str, Any]:
    while True:
        frame = json.loads(socket.recv(timeout=5))
        if frame["type"] == "reply":
            return dict(frame)
