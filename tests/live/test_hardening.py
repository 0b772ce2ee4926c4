"""Socket and log hardening that only a real server shows: no per-message compression, request ids on
every log line, no credential in any log line, and an answer (a reply or a documented close code) to every
frame, however malformed."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from circles.live.commands import COMMANDS
from circles.live.protocol import CloseCode
from tests.conftest import new_app_key
from tests.factories import create_circle, seat, state
from tests.hostile_text import hostile_bodies
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


# -- malformed frames (issue 22, item 7): each is answered with a reply, or closed with a documented code ---------

DEEP = 1500  # deeper than any JSON parser's recursion allows: Python's json raised RecursionError here
HOSTILE_FRAMES: dict[str, tuple[str | bytes, str | None, str]] = {
    # name: (frame, the id its reply echoes, the field the problem names)
    "unpaired surrogate as the id": ('{"type": "command", "id": "\\ud800", "name": "get_circle"}', None, "frame"),
    "unpaired surrogate in an argument": (
        '{"type": "command", "id": "s", "name": "update_circle", "args": {"name": "a\\udc00"}}',
        None,
        "frame",
    ),
    "arrays nested deep": (
        '{"type": "command", "id": "n", "name": "get_circle", "x": ' + "[" * DEEP + "]" * DEEP + "}",
        None,
        "frame",
    ),  # fmt: skip
    "objects nested deep": (
        '{"type": "command", "id": "n", "x": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}",
        None,
        "frame",
    ),  # fmt: skip
    "a frame nested deep": ("[" * DEEP + '"command"' + "]" * DEEP, None, "frame"),
    "a number of 5,000 digits": (
        '{"type": "command", "id": "h", "name": "list_events", "after": ' + "9" * 5000 + "}",
        None,
        "frame",
    ),  # fmt: skip
    "NaN": ('{"type": "command", "id": "nan", "name": "list_events", "after": NaN}', None, "frame"),
    "Infinity": ('{"type": "command", "id": "inf", "name": "list_events", "limit": -Infinity}', None, "frame"),
    "a list": ('["command", "get_circle"]', None, "frame"),
    "a string": ('"command"', None, "frame"),
    "cut short": ('{"type": "command", "id": "cut", "name": "get_circle"', None, "frame"),
    "NUL in a circle's name": (
        '{"type": "command", "id": "r", "name": "update_circle", "args": {"name": "a\\u0000"}}',
        "r",
        "name",
    ),
    "NUL in a display name": (
        '{"type": "command", "id": "p", "name": "seat_participant", "display_name": "Bo\\u0000"}',
        "p",
        "display_name",
    ),
    "an escape in an external id": (
        '{"type": "command", "id": "e", "name": "seat_participant", "display_name": "Bo", "external_id": "\\u001b[2J"}',
        "e",
        "external_id",
    ),  # fmt: skip
    "NUL in a prompt": ('{"type": "command", "id": "q", "name": "start_round", "prompt": "\\u0000"}', "q", "prompt"),
    "a since UTC cannot hold": (
        '{"type": "command", "id": "a1", "name": "get_airtime", "since": "9999-12-31T23:59:59-14:00"}',
        "a1",
        "since",
    ),
    "an until UTC cannot hold": (
        '{"type": "command", "id": "a2", "name": "get_airtime", "until": "0001-01-01T00:00:00+14:00"}',
        "a2",
        "until",
    ),
    "too short a turn": (
        '{"type": "command", "id": "t", "name": "update_circle", "turn_seconds": 4}',
        "t",
        "turn_seconds",
    ),
    "a binary frame": (b'{"type": "command", "id": "b", "name": "get_circle"}', None, "frame"),
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_server(request: pytest.FixtureRequest) -> tuple[Server, str]:
    """A server on the embedded default, or on PostgreSQL (which cannot store NUL), and an app key for it.

    The database is asked for before the server, so the server stops before its database is dropped (one
    dropped under it logs a traceback of every failed sweep)."""
    fast = {"CIRCLES_SOCKET_MESSAGES_PER_SECOND": "1000"}  # the frames below come faster than a person's
    if request.param == "sqlite":
        server = request.getfixturevalue("start_server")(env=fast)
        return server, server.app_key
    url = request.getfixturevalue("migrated_postgres_url")
    start_server: StartServer = request.getfixturevalue("start_server")
    return start_server(env={**fast, "CIRCLES_DATABASE_URL": url}), new_app_key(url)


def _app_socket(server: Server, key: str, circle_id: str) -> ClientConnection:
    socket = connect(server.ws_url(circle_id), max_size=2**22, proxy=None, open_timeout=5, legacy=True)
    socket.send(json.dumps({"type": "auth", "token": key}))
    assert json.loads(socket.recv(timeout=5))["type"] == "welcome"
    assert json.loads(socket.recv(timeout=5))["type"] == "snapshot"
    return socket


def _reply(socket: ClientConnection) -> dict[str, Any]:
    while True:
        frame = json.loads(socket.recv(timeout=5))
        if frame["type"] == "reply":
            return frame


def test_every_malformed_command_frame_is_answered_422_and_the_socket_lives_on(any_server: tuple[Server, str]) -> None:
    server, key = any_server
    http = server.http()
    circle = create_circle(http, key)
    before = state(http, key, circle["id"])
    with _app_socket(server, key, circle["id"]) as socket:
        for name, (frame, echoed, field) in HOSTILE_FRAMES.items():
            socket.send(frame)
            reply = _reply(socket)
            assert reply["id"] == echoed and reply["ok"] is False, (name, reply)
            error = reply["error"]
            assert (error["status"], error["code"]) == (422, "validation_error"), (name, error)
            assert error["errors"][0]["field"] == field and error["detail"].startswith(field), (name, error)
            socket.send(json.dumps({"type": "command", "id": f"after {name}", "name": "get_circle"}))
            assert _reply(socket) == {**_reply_shape(f"after {name}"), "result": before["circle"]}, name
    assert state(http, key, circle["id"])["seq"] == before["seq"]  # nothing changed
    assert "Traceback" not in server.log()


def _hostile_commands() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(command, field, what is wrong, the frame) for every field of every command's arguments: NUL in every
    string, the dates UTC cannot hold in every date-time (generated, so a field added later is tried too)."""
    frames = []
    for name, command in COMMANDS.items():
        if command.body is None:
            continue
        schema = command.body.model_json_schema()
        for (field, wrong), body in hostile_bodies(schema, schema).items():
            ids = {id_name: str(uuid.uuid4()) for id_name in command.ids}
            frame = {"type": "command", "id": f"{name} {field} {wrong}", "name": name, "args": body, **ids}
            frames.append((name, field, wrong, frame))
    return frames


def test_hostile_values_in_any_commands_argument_are_answered_422_naming_it(any_server: tuple[Server, str]) -> None:
    server, key = any_server
    http = server.http()
    circle = create_circle(http, key)
    before = state(http, key, circle["id"])
    cases = _hostile_commands()
    assert {"display_name", "intention", "agreements[0]", "rounds[0].prompt", "since", "until"} <= {
        field for _name, field, _wrong, _frame in cases
    }
    with _app_socket(server, key, circle["id"]) as socket:
        for name, field, wrong, frame in cases:
            socket.send(json.dumps(frame))
            reply = _reply(socket)
            assert reply["id"] == frame["id"] and reply["ok"] is False, reply
            error = reply["error"]
            if field == "cursor":  # opaque: NUL in it is a cursor this list never gave out
                assert (error["status"], error["code"]) == (422, "invalid_cursor"), (name, error)
                continue
            assert (error["status"], error["code"]) == (422, "validation_error"), (name, error)
            assert field in [e["field"] for e in error["errors"]], (name, field, error)
            assert wrong == "NUL" or "UTC" in error["detail"], (name, error)
    assert state(http, key, circle["id"])["seq"] == before["seq"]  # nothing changed


def _reply_shape(command_id: str) -> dict[str, Any]:
    return {"type": "reply", "id": command_id, "ok": True, "error": None}


def test_duplicate_keys_count_once_the_last_one_as_rest_reads_them(server: Server, http: httpx.Client) -> None:
    circle = create_circle(http, server.app_key)
    with _app_socket(server, server.app_key, circle["id"]) as socket:
        socket.send('{"type": "command", "id": "first", "id": "last", "name": "get_circle"}')
        reply = _reply(socket)
    assert reply["id"] == "last" and reply["ok"] is True


@pytest.mark.parametrize("when", ["auth", "command"])
def test_a_text_frame_that_is_not_utf8_closes_with_1007_and_no_traceback(
    server: Server, http: httpx.Client, when: str
) -> None:
    circle = create_circle(http, server.app_key)
    if when == "auth":
        socket = connect(server.ws_url(circle["id"]), proxy=None, open_timeout=5, legacy=True)
        socket.send(b'{"type": "auth", "token": "\xff"}', text=True)
    else:
        socket = _app_socket(server, server.app_key, circle["id"])
        socket.send(b'{"type": "command", "id": "\xff", "name": "get_circle"}', text=True)
    with socket, pytest.raises(ConnectionClosed) as closed:
        while True:
            socket.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == int(CloseCode.INVALID_TEXT)
    assert "Traceback" not in server.log()


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
