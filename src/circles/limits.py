"""Limits on what one caller can send: request body size, request rate, and requests in flight.

All answer with problem+json before the request reaches a route. The caller is authenticated first
(`authenticated_caller`): rates are token buckets keyed by the hash of a credential that authenticates, so
neither an invented credential nor the spelling of the `Bearer` scheme buys a bucket of its own; a request
with no credential, or one that does not authenticate, counts against its client address and is answered
401 here, before it can queue for the writer or take a request slot (but one to `OPEN_PATHS`, whose
credential is in its body, is passed on). Buckets live in this instance's memory; with several instances
each keeps its own, so a caller spread over N instances gets up to N times the rate.

Requests in flight are bounded per credential and per app (429 beyond), so one tenant cannot take every
request slot (see `Database.request_slot`) and keep the others waiting.
"""

from __future__ import annotations

import math
import time
from collections import Counter, OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from circles.access.caller import Caller, authenticated_caller
from circles.asgi_body import BodyTooLong, ClientGone, read_body, replaying
from circles.errors import CirclesError, Unauthenticated, problem_response


class BodyTooLarge(CirclesError):
    status = 413
    code = "body_too_large"
    message = "The request body is larger than this service accepts."


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """`rate` tokens a second up to `burst`; one token per request. Idle buckets are forgotten."""

    def __init__(self, rate: float, burst: int, max_keys: int = 100_000) -> None:
        self.rate = rate
        self.burst = burst
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, key: str, now: float | None = None) -> tuple[bool, int, float]:
        """(allowed, tokens left, seconds until the next token)."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.pop(key, None) or _Bucket(tokens=float(self.burst), updated=now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        allowed = bucket.tokens >= 1.0
        if allowed:
            bucket.tokens -= 1.0
        self._buckets[key] = bucket
        if len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        wait = 0.0 if bucket.tokens >= 1.0 else (1.0 - bucket.tokens) / self.rate
        return allowed, int(bucket.tokens), wait


class InFlight:
    """Requests being served now, counted per credential and per app; `enter` refuses one past either bound."""

    def __init__(self, per_credential: int, per_app: int) -> None:
        self.per_credential = per_credential
        self.per_app = per_app
        self._counts: Counter[str] = Counter()

    @contextmanager
    def enter(self, caller: Caller) -> Iterator[bool]:
        """Yields whether the request may go on (False: past a bound, and nothing was counted)."""
        keys = (f"credential:{caller.credential_hash}", f"app:{caller.principal.app_id}")
        if self._counts[keys[0]] >= self.per_credential or self._counts[keys[1]] >= self.per_app:
            yield False
            return
        self._counts.update(keys)
        try:
            yield True
        finally:
            self._counts.subtract(keys)
            for key in keys:
                if self._counts[key] <= 0:
                    del self._counts[key]

    def count(self, key: str) -> int:
        return self._counts[key]


class RequestLimits:
    """ASGI middleware for /v1 requests: body size, then who is asking, their rate, and their requests in
    flight."""

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        per_minute: int,
        burst: int,
        in_flight_per_credential: int = 16,
        in_flight_per_app: int = 20,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.buckets = TokenBuckets(rate=per_minute / 60.0, burst=burst)
        self.policy = f"{burst};w={max(1, math.ceil(burst * 60 / per_minute))}"
        self.in_flight = InFlight(in_flight_per_credential, in_flight_per_app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            await problem_response(413, BodyTooLarge.code, BodyTooLarge.message)(scope, receive, send)
            return

        caller = await authenticated_caller(scope)
        allowed, remaining, wait = self.buckets.take(_bucket_key(scope, caller))
        limit_headers = {
            "RateLimit-Policy": self.policy,
            "RateLimit": f"limit={self.buckets.burst}, remaining={remaining}, reset={math.ceil(wait)}",
        }
        if not allowed:
            response = problem_response(429, "rate_limited", "Too many requests; slow down and retry later.")
            response.headers.update({**limit_headers, "Retry-After": str(max(1, math.ceil(wait)))})
            await response(scope, receive, send)
            return
        if caller is None and scope["path"] in OPEN_PATHS:  # its body is its credential: counted by address
            await self._pass_on(scope, receive, send, limit_headers)
            return
        if caller is None:  # answered here: it never queues for the writer nor takes a request slot
            response = problem_response(401, Unauthenticated.code, Unauthenticated.message)
            response.headers.update(limit_headers)
            await response(scope, receive, send)
            return
        with self.in_flight.enter(caller) as admitted:
            if not admitted:
                response = problem_response(429, IN_FLIGHT_CODE, IN_FLIGHT_MESSAGE)
                response.headers.update({**limit_headers, "Retry-After": "1"})
                await response(scope, receive, send)
                return
            await self._pass_on(scope, receive, send, limit_headers)

    async def _pass_on(self, scope: Scope, receive: Receive, send: Send, limit_headers: dict[str, str]) -> None:
        # Read the body before the route does (it is small by definition), so that one too large is
        # refused whole, with or without a Content-Length.
        try:
            body = await read_body(receive, self.max_body_bytes)
        except BodyTooLong:
            await problem_response(413, BodyTooLarge.code, BodyTooLarge.message)(scope, receive, send)
            return
        except ClientGone:
            return

        async def send_with_limits(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(limit_headers)
            await send(message)

        await self.app(scope, replaying(body, receive), send_with_limits)


# The routes whose credential is in the body, not in `Authorization` (a Zoom app context): a request to one
# with no credential that authenticates is limited by its address, as any, and then passed on.
OPEN_PATHS = frozenset({"/v1/zoom/session"})

IN_FLIGHT_CODE = "too_many_in_flight"
IN_FLIGHT_MESSAGE = "Too many requests in flight with this credential or app; wait for some answers, then retry."


def _bucket_key(scope: Scope, caller: Caller | None) -> str:
    """The credential's hash as authentication found it; without a credential that authenticates, the address."""
    if caller is not None:
        return "credential:" + caller.credential_hash
    client = scope.get("client")
    return f"address:{client[0] if client else 'unknown'}"
