"""One delivery: a message signed as the Standard Webhooks specification says, POSTed to the checked address.

The body is the event as the live socket carries it (`type`, `seq`, `name`, `at`, `data`) with the circle's
id, so one parser serves both; a message outside the log (`webhook.test`, `endpoint.disabled`, a request for
support) has the same shape, `type` `notice` and no seq. The headers are the specification's: `webhook-id`
(the same on every try of one message: a receiver drops repeats by it), `webhook-timestamp` and
`webhook-signature`, made by the `standardwebhooks` package with each secret that signs now (two during a
roll, separated by a space). Redirects are not followed, at most 4 KiB of the answer is read, and the whole
try, connecting included, has `timeout` seconds.
"""

from __future__ import annotations

import asyncio
import base64
import secrets
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlunsplit

import httpx
from pydantic import BaseModel, Field
from standardwebhooks import Webhook

from circles.webhooks import address_guard

MAX_ANSWER_BYTES = 4096
USER_AGENT = "Circles-Webhooks/1"


class WebhookBody(BaseModel):
    """What every webhook's body holds."""

    type: Literal["event", "notice"] = Field(
        description="`event`: an entry of the circle's log, as the live socket sends it; `notice`: outside the log."
    )
    circle_id: uuid.UUID | None = Field(description="The circle; null for a notice about the endpoint itself.")
    seq: int | None = Field(description="The event's seq in its circle's log; null for a notice.")
    name: str
    at: datetime = Field(description="When it happened (server time).")
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message ready to send: its id (the `webhook-id` header) and its body."""

    message_id: str
    body: WebhookBody

    @staticmethod
    def event_id(circle_id: uuid.UUID, seq: int) -> str:
        return f"msg_{circle_id.hex}_{seq}"


@dataclass(frozen=True, slots=True)
class Outcome:
    status_code: int | None
    duration_ms: int
    error: str | None
    gone: bool = False  # 410: the receiver asks never to be sent anything again

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def new_secret() -> str:
    """A new signing secret: 32 random bytes, base64, with the specification's `whsec_` prefix."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secrets_now: list[str], message_id: str, at: datetime, payload: bytes) -> str:
    """The `webhook-signature` header: one `v1,…` signature per secret, separated by spaces."""
    return " ".join(Webhook(secret).sign(message_id, at, payload) for secret in secrets_now)


class Sender:
    """POSTs signed messages. One HTTP client (its connection pool) for the whole worker."""

    def __init__(self, timeout: float, allow_private: bool, verify: ssl.SSLContext | bool = True) -> None:
        """`verify`: the certificates trusted (the system's by default; a test's own authority in the tests)."""
        self.timeout = timeout
        self.allow_private = allow_private
        self._client = httpx.AsyncClient(
            follow_redirects=False, timeout=httpx.Timeout(timeout), verify=verify, trust_env=False
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def send(self, url: str, secrets_now: list[str], message: Outgoing) -> Outcome:
        started = time.monotonic()

        def took() -> int:
            return int((time.monotonic() - started) * 1000)

        payload = message.body.model_dump_json().encode()
        signed_at = datetime.now(UTC)  # the wall clock: receivers check the timestamp against theirs
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": message.message_id,
            "webhook-timestamp": str(int(signed_at.timestamp())),
            "webhook-signature": sign(secrets_now, message.message_id, signed_at, payload),
        }
        try:
            async with asyncio.timeout(self.timeout):
                status = await self._post(url, headers, payload)
        except TimeoutError:
            return Outcome(None, took(), f"no answer within {self.timeout:g} s")
        except address_guard.AddressRefused as exc:
            return Outcome(None, took(), f"refused: {exc}")
        except httpx.HTTPError as exc:
            return Outcome(None, took(), f"{type(exc).__name__}: could not deliver"[:200])
        error = None if 200 <= status < 300 else f"the receiver answered {status}"
        return Outcome(status, took(), error, gone=status == 410)

    async def _post(self, url: str, headers: dict[str, str], payload: bytes) -> int:
        """Connect to the address the guard checked (the name kept for TLS and Host), read at most 4 KiB."""
        parts = address_guard.parse(url, self.allow_private)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = await address_guard.resolve(host, port, self.allow_private)
        literal = f"[{address}]" if ":" in address else address
        pinned = urlunsplit((parts.scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
        request = self._client.build_request(
            "POST",
            pinned,
            content=payload,
            headers={**headers, "host": parts.netloc.rpartition("@")[2]},
            extensions={"sni_hostname": host} if parts.scheme == "https" else {},
        )
        response = await self._client.send(request, stream=True)
        try:
            read = 0
            async for chunk in response.aiter_raw():
                read += len(chunk)
                if read >= MAX_ANSWER_BYTES:
                    break
        finally:
            await response.aclose()
        return response.status_code
