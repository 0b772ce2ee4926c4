"""Limits on what one caller can send: request body size, and request rate per credential.

Both answer with problem+json before the request reaches a route. Rates are token buckets kept in this
instance's memory, keyed by the credential's hash (or the client address when there is none); with
several instances each keeps its own, so a caller spread over N instances gets up to N times the rate.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from circles.asgi_body import BodyTooLong, ClientGone, read_body, replaying
from circles.errors import CirclesError, problem_response


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


class RequestLimits:
    """ASGI middleware for /v1 requests: body size, then rate per credential."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, per_minute: int, burst: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.buckets = TokenBuckets(rate=per_minute / 60.0, burst=burst)
        self.policy = f"{burst};w={max(1, math.ceil(burst * 60 / per_minute))}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            await problem_response(413, BodyTooLarge.code, BodyTooLarge.message)(scope, receive, send)
            return

        allowed, remaining, wait = self.buckets.take(_caller(scope, headers))
        limit_headers = {
            "RateLimit-Policy": self.policy,
            "RateLimit": f"limit={self.buckets.burst}, remaining={remaining}, reset={math.ceil(wait)}",
        }
        if not allowed:
            response = problem_response(429, "rate_limited", "Too many requests; slow down and retry later.")
            response.headers.update({**limit_headers, "Retry-After": str(max(1, math.ceil(wait)))})
            await response(scope, receive, send)
            return

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


def _caller(scope: Scope, headers: Headers) -> str:
    authorization = headers.get("authorization")
    if authorization:
        return "credential:" + hashlib.sha256(authorization.encode("latin-1")).hexdigest()
    client = scope.get("client")
    return f"address:{client[0] if client else 'unknown'}"
