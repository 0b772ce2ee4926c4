"""The server pings; a peer that never answers is dropped, one that answers stays."""

from __future__ import annotations

import json
import socket
import time

from websockets.client import ClientProtocol
from websockets.frames import Close
from websockets.uri import parse_uri

from tests.factories import create_circle, seat
from tests.live.client import open_live
from tests.live.conftest import StartServer

PINGS = {"CIRCLES_PING_INTERVAL_SECONDS": "0.5", "CIRCLES_PING_TIMEOUT_SECONDS": "0.5"}


def _silent_peer(url: str, token: str) -> tuple[socket.socket, ClientProtocol]:
    """Open the socket and authenticate over a raw TCP connection, then never read or answer again."""
    uri = parse_uri(url)
    protocol = ClientProtocol(uri)
    sock = socket.create_connection((uri.host, uri.port), timeout=5)
    protocol.send_request(protocol.connect())
    sock.sendall(b"".join(protocol.data_to_send()))
    while protocol.handshake_exc is None and not protocol.events_received():
        chunk = sock.recv(65536)
        assert chunk, "the server closed before the handshake completed"
        protocol.receive_data(chunk)
    assert protocol.handshake_exc is None
    protocol.send_text(json.dumps({"type": "auth", "token": token}).encode())
    sock.sendall(b"".join(protocol.data_to_send()))
    return sock, protocol


def test_a_peer_that_never_answers_pings_is_dropped(start_server: StartServer) -> None:
    server = start_server(env=PINGS)
    http = server.http()
    circle = create_circle(http, server.app_key)
    member = seat(http, server.app_key, circle["id"], "Ana")
    sock, protocol = _silent_peer(server.ws_url(circle["id"]), member["token"])
    with sock:
        time.sleep(2.5)  # several ping intervals, none answered
        sock.settimeout(5)
        received = b""
        while chunk := sock.recv(65536):  # the server ends the TCP connection: recv returns b""
            received += chunk
    protocol.receive_data(received)
    frames = [e for e in protocol.events_received() if not hasattr(e, "status_code")]
    close = protocol.close_rcvd
    assert close is not None and isinstance(close, Close), frames
    assert close.code == 1011  # keepalive ping timeout
    assert any(json.loads(f.data)["type"] == "welcome" for f in frames if f.opcode.name == "TEXT")


def test_a_peer_that_answers_pings_stays_connected(start_server: StartServer) -> None:
    server = start_server(env=PINGS)
    http = server.http()
    circle = create_circle(http, server.app_key)
    member = seat(http, server.app_key, circle["id"], "Ana")
    client = open_live(server.ws_url(circle["id"]), member["token"])
    try:
        time.sleep(2.5)
        seat(http, server.app_key, circle["id"], "Ben")
        assert client.wait_for_event("participant.joined")["data"]["participant"]["display_name"] == "Ben"
    finally:
        client.close()
