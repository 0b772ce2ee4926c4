"""A real webhook receiver for the tests: an HTTP server on a loopback port, in a thread of the test process.

It verifies every delivery's signature with `standardwebhooks` against the secrets it was given (any one
matching will do, as a receiver in the middle of a roll would), records each one, and answers as it is told:
`ok` (204), `fail` (500), `hang` (never answers in time) or `gone` (410).
"""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from standardwebhooks import Webhook, WebhookVerificationError

Mode = Literal["ok", "fail", "hang", "gone"]


@dataclass(frozen=True)
class Delivery:
    headers: dict[str, str]
    body: dict[str, Any]
    verified_by: tuple[str, ...]  # the secrets whose signature was in the header
    answered: int  # the status it answered with; 0: it hung
    raw: bytes  # the body as it came, for checking against a secret learned later

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]

    def signed_with(self, secret: str) -> bool:
        """Whether a signature in its header verifies with `secret` (a secret the test learned later)."""
        return _signed_with(secret, self.raw, self.headers)


def _signed_with(secret: str, raw: bytes, headers: dict[str, str]) -> bool:
    """Verified with `standardwebhooks`: a signature in the header is `secret`'s, and the timestamp is recent."""
    try:
        Webhook(secret).verify(raw, headers)
    except WebhookVerificationError:
        return False
    return True


class Receiver:
    def __init__(self, tls: tuple[str, str] | None = None) -> None:
        """`tls`: (certificate file, key file) to serve HTTPS with."""
        self.secrets: list[str] = []
        self.mode: Mode = "ok"
        self.delay = 0.0  # seconds it takes before answering each delivery
        self.deliveries: list[Delivery] = []  # every request, whatever it was answered
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}/hooks"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        raw = request.rfile.read(int(request.headers.get("content-length", "0")))
        headers = {name.lower(): value for name, value in request.headers.items()}
        verified = tuple(secret for secret in list(self.secrets) if _signed_with(secret, raw, headers))
        mode = self.mode
        status = {"ok": 204, "fail": 500, "hang": 204, "gone": 410}[mode]
        with self._lock:
            answered = 0 if mode == "hang" else status
            self.deliveries.append(Delivery(headers, json.loads(raw), verified, answered, raw))
            self._changed.notify_all()
        if mode == "hang":
            self._release.wait(30)
        elif self.delay:
            time.sleep(self.delay)
        try:
            request.send_response(status)
            request.send_header("content-length", "0")
            request.end_headers()
        except OSError:
            pass  # the sender gave up waiting and hung up

    def accepted(self) -> list[Delivery]:
        """The deliveries it acknowledged (2xx), in the order they came."""
        with self._lock:
            return [d for d in self.deliveries if 200 <= d.answered < 300]

    def events(self) -> list[tuple[str, int]]:
        """(circle, seq) of each acknowledged log event, in the order they came."""
        return [(d.body["circle_id"], d.body["seq"]) for d in self.accepted() if d.body["type"] == "event"]

    def wait_for(self, condition: Callable[[Receiver], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                self._lock.release()
                try:
                    if condition(self):
                        return
                finally:
                    self._lock.acquire()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"the receiver waited {timeout} s in vain; it has {len(self.deliveries)} deliveries"
                    )
                self._changed.wait(min(left, 0.2))

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def running_receiver(tls: tuple[str, str] | None = None) -> Iterator[Receiver]:
    receiver = Receiver(tls)
    thread = threading.Thread(target=receiver._server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.stop()
        thread.join(5)
