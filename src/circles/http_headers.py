"""Headers every HTTP response carries: a request id, and the security headers browsers (and Zoom's
embedded browser, which refuses pages without them) expect.

A plain ASGI middleware: it touches only the response's start message, never its body.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = contextvars.ContextVar("circles_request_id", default="-")
_ACCEPTED_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

# The API answers JSON: nothing in it may load, run or be framed.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The REST reference (/docs): Swagger UI's script and stylesheets, all served by us (its stylesheet has a
# data: image), and its calls to this API. Nothing from another host, no inline script or style element.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
# The live protocol's page (/docs/live): HTML and one stylesheet; no script at all.
LIVE_DOCS_CSP = "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def current_request_id() -> str:
    return _REQUEST_ID.get()


class RequestIdFilter(logging.Filter):
    """Gives every log record a `request_id` (or "-" outside a request), for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _REQUEST_ID.get()
        return True


class ResponseHeaders:
    def __init__(self, app: ASGIApp, hsts_seconds: int = 31_536_000) -> None:
        self.app = app
        self.hsts = f"max-age={hsts_seconds}; includeSubDomains"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers", [])).get(REQUEST_ID_HEADER.lower().encode(), b"").decode("latin-1")
        request_id = incoming if _ACCEPTED_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = _REQUEST_ID.set(request_id)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = request_id
                headers.setdefault("Strict-Transport-Security", self.hsts)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                html = headers.get("content-type", "").startswith("text/html")
                headers.setdefault("Content-Security-Policy", DOCS_CSP if html else API_CSP)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            _REQUEST_ID.reset(token)
