"""A client that stops reading, over a real TCP socket: once the buffers between it and the server are full,
the frame waiting to be written is given CIRCLES_CLIENT_MAX_WAIT_SECONDS and then the client is dropped with
1013, though its queue (set far larger here) still has room; everyone else is told it went offline."""

from __future__ import annotations

import json
import socket
import time

import httpx
from prometheus_client.parser import text_string_to_metric_families
from websockets.client import ClientProtocol
from websockets.frames import Close
from websockets.http11 import Response
from websockets.uri import parse_uri

from tests.factories import create_circle, seat
from tests.live.client import open_live, seat_people, shows_presence
from tests.live.conftest import StartServer

RECEIVE_BUFFER = 4096  # like a phone on a poor network: the kernel holds little for it
MAX_WAIT_SECONDS = 1.0
COMMANDS_AT_MOST = 2000  # each reply is a snapshot of the circle; far fewer fill the buffers
GIVE_UP_SECONDS = 30.0
METRICS_TOKEN = "stalled-metrics-token"


def cut_clients(http: httpx.Client) -> float:
    """circles_slow_clients_cut_total, from the server's /metrics."""
    answer = http.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert answer.status_code == 200, answer.text
    families = {family.name: family for family in text_string_to_metric_families(answer.text)}
    return sum(
        sample.value for sample in families["circles_slow_clients_cut"].samples if sample.name.endswith("_total")
    )


class StalledClient:
    """A live socket driven by hand (websockets' sans-I/O protocol on a plain socket), so that the test decides
    when it reads: after the handshake and auth it reads nothing until `read_to_close`."""

    def __init__(self, url: str) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)  # before connect: sets the window
        self.sock.settimeout(5.0)
        uri = parse_uri(url)
        self.sock.connect((uri.host, uri.port))
        self.protocol = ClientProtocol(uri)
        self.protocol.send_request(self.protocol.connect())
        self._flush()
        while not any(isinstance(e, Response) for e in self.protocol.events_received()):
            self.protocol.receive_data(self.sock.recv(RECEIVE_BUFFER))
        assert self.protocol.handshake_exc is None, self.protocol.handshake_exc

    def send(self, message: dict[str, object]) -> None:
        self.protocol.send_text(json.dumps(message).encode())
        self._flush()

    def read_to_close(self, timeout: float) -> int | None:
        """Read again, everything, until the server's close frame; its code."""
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            data = self.sock.recv(65536)
            if not data:
                self.protocol.receive_eof()
            else:
                self.protocol.receive_data(data)
            if isinstance(self.protocol.close_rcvd, Close):
                return self.protocol.close_rcvd.code
            if not data:
                return None
        raise AssertionError(f"no close frame within {timeout} s")

    def close(self) -> None:
        self.sock.close()

    def _flush(self) -> None:
        for chunk in self.protocol.data_to_send():
            if chunk:
                self.sock.sendall(chunk)


def test_a_client_that_stops_reading_is_cut_once_a_frame_has_waited_too_long(start_server: StartServer) -> None:
    server = start_server(
        env={
            "CIRCLES_CLIENT_MAX_WAIT_SECONDS": str(MAX_WAIT_SECONDS),
            "CIRCLES_CLIENT_QUEUE_SIZE": "1000000",  # the queue bound never cuts here: only the time bound can
            "CIRCLES_SOCKET_MESSAGES_PER_SECOND": "10000",
            "CIRCLES_METRICS_TOKEN": METRICS_TOKEN,
        }
    )
    key = server.app_key
    http: httpx.Client = server.http()
    circle_id = create_circle(http, key)["id"]
    people = seat_people(http, key, circle_id, ("Keeper", "keeper"), ("Ana", "member"))
    for index in range(40):  # a circle big enough that each snapshot reply is several KiB (witnesses are
        seat(http, key, circle_id, f"Member {index}", role="member")  # only counted in it: members)
    ana_id = people["Ana"]["id"]
    keeper = open_live(server.ws_url(circle_id), people["Keeper"]["token"], name="keeper")
    stalled = StalledClient(server.ws_url(circle_id))
    try:
        stalled.send({"type": "auth", "token": people["Ana"]["token"]})
        keeper.wait_for(shows_presence(ana_id, True))
        sent = 0
        give_up = time.monotonic() + GIVE_UP_SECONDS
        while "fell behind and was dropped" not in server.log():
            assert time.monotonic() < give_up, f"not cut within {GIVE_UP_SECONDS} s after {sent} commands"
            if sent < COMMANDS_AT_MOST:
                stalled.send({"type": "command", "id": str(sent), "name": "get_state"})
                sent += 1
            else:
                time.sleep(0.05)
        keeper.wait_for(
            shows_presence(ana_id, False),
            what="Ana going offline",
        )
        assert stalled.read_to_close(timeout=10.0) == 1013
        assert cut_clients(http) == 1  # what an operator's alert reads (docs/deploy.md, "Metrics")
    finally:
        stalled.close()
        keeper.close()
