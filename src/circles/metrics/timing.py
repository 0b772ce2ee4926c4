"""ASGI middleware that times every HTTP request and counts its answer's status class.

Outermost, so what it times is what the caller waited for: queueing for the writer and a request slot, the
route, the Idempotency store, to the answer's start being sent. The operation is the method and the route's
template (`POST /v1/circles/{circle_id}/rounds/{round_id}/finish`), never the path a caller sent: an
unknown path is `unrouted`, so no caller can make new series.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from circles.metrics.instruments import COMMAND_SECONDS, HTTP_RESPONSES, status_class

UNROUTED = "unrouted"


class RequestTiming:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless an answer starts: an exception escaping here is answered 500 further out

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            HTTP_RESPONSES.labels(status_class(status)).inc()
            COMMAND_SECONDS.labels("http", operation_of(scope)).observe(time.perf_counter() - started)


def operation_of(scope: Scope) -> str:
    """The method and the route template the request matched (set by FastAPI's routing), or UNROUTED."""
    template = getattr(scope.get("route"), "path", None)
    return f"{scope['method']} {template}" if isinstance(template, str) else UNROUTED
