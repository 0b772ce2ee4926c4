"""The Idempotency-Key middleware, for POSTs under /v1.

- The same key with the same request replays the first answer (with `Idempotent-Replayed: true`).
- The same key with another request is refused (422 idempotency_key_reused).
- While the first is still running, or if it died between its commit and its answer, a retry gets
  409 idempotency_key_in_use: it never acts twice.
- An answer that carried a credential (a participant's token, a new key, a webhook's secret) is not kept:
  credentials are never stored with an answer. A retry learns the first succeeded
  (409 idempotency_answer_withheld) and can renew the token.
Keys are scoped to the credential that sent them. Only requests that changed something are recorded; a
refused request (4xx) left nothing behind, so retrying it simply runs it again.

A replay is authenticated first, as the route would be: only a credential that authenticates now, and may
still see the circle the record is about, is answered from the record. Anyone else gets what the route
would answer them (401 for an erased participant's token or a revoked key, 404 for a circle no longer
theirs), never the stored answer.
"""

from __future__ import annotations

import hashlib
import json
import re

from fastapi.security.utils import get_authorization_scheme_param
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from circles.access.principal import authenticate, enter_circle
from circles.asgi_body import ClientGone, read_body, replaying
from circles.db import Database
from circles.errors import CirclesError, problem_response
from circles.idempotency import repository
from circles.idempotency.errors import IdempotencyAnswerWithheld, IdempotencyKeyInUse, IdempotencyKeyReused
from circles.idempotency.models import IdempotencyClaim, IdempotencyRecord

HEADER = "idempotency-key"
WITHHELD = "withheld"  # the answer carried a credential, which is never stored
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")


class Idempotency:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        if not _VALID_KEY.match(key):
            detail = "Idempotency-Key must be 1 to 200 visible ASCII characters."
            await problem_response(422, "validation_error", detail)(scope, receive, send)
            return
        try:
            body = await read_body(receive)
        except ClientGone:
            return
        claim = IdempotencyClaim(
            credential_hash=hashlib.sha256(_scope_of(headers).encode("latin-1")).hexdigest(),
            key=key,
            fingerprint=hashlib.sha256(
                b"\n".join([scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b""), body])
            ).hexdigest(),
        )
        database: Database = scope["app"].state.database
        found = await run_in_threadpool(_find, database, claim, _bearer_credential(headers))
        if isinstance(found, CirclesError):
            await problem_response(found.status, found.code, found.message)(scope, receive, send)
            return
        if found is not None:
            await _answer_from(found, claim)(scope, receive, send)
            return

        scope.setdefault("state", {})["idempotency"] = claim  # the request's session records it with the change
        started: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, replaying(body, receive), capture)
        if claim.recorded and started.get("status", 500) < 500:
            content_type = Headers(raw=started.get("headers", [])).get("content-type", "application/json")
            answer = b"".join(chunks).decode("utf-8")
            if _carries_credential(answer):
                content_type, answer = WITHHELD, ""
            await run_in_threadpool(_store, database, claim, started["status"], content_type, answer)


def _answer_from(record: IdempotencyRecord, claim: IdempotencyClaim) -> Response:
    if record.fingerprint != claim.fingerprint:
        return problem_response(422, IdempotencyKeyReused.code, IdempotencyKeyReused.message)
    if record.status_code is None:
        response = problem_response(409, IdempotencyKeyInUse.code, IdempotencyKeyInUse.message)
        response.headers["Retry-After"] = "1"
        return response
    if record.content_type == WITHHELD:
        return problem_response(409, IdempotencyAnswerWithheld.code, IdempotencyAnswerWithheld.message)
    return Response(
        content=record.body or "",
        status_code=record.status_code,
        media_type=record.content_type,
        headers={"Idempotent-Replayed": "true"},
    )


def _carries_credential(answer: str) -> bool:
    try:
        body = json.loads(answer)
    except ValueError:
        return False
    return isinstance(body, dict) and bool({"token", "tokens", "key", "secret"} & set(body))  # a webhook's secret too


def _scope_of(headers: Headers) -> str:
    """What a key belongs to: the credential (however its scheme is spelled), or the header as sent."""
    return _bearer_credential(headers) or headers.get("authorization", "")


def _bearer_credential(headers: Headers) -> str | None:
    """The credential as the routes read it (`Authorization: Bearer <credential>`, the scheme in any case)."""
    scheme, credential = get_authorization_scheme_param(headers.get("authorization"))
    return credential if scheme.lower() == "bearer" and credential else None


def _find(
    database: Database, claim: IdempotencyClaim, credential: str | None
) -> IdempotencyRecord | CirclesError | None:
    """The record of this key, if the credential that sent it may still be answered from it; the refusal
    the route would give, if not. One read session: a key never used costs one lookup by primary key."""
    with database.read_session() as session:
        record = repository.find(session, claim.credential_hash, claim.key)
        if record is None:
            return None
        if (refusal := _refusal(session, record, credential)) is not None:
            return refusal
        session.expunge(record)
        return record


def _refusal(session: Session, record: IdempotencyRecord, credential: str | None) -> CirclesError | None:
    """What the route would refuse this credential now, before it could change anything: it no longer
    authenticates (401), or the circle the record is about is no longer one it may enter (404, 401)."""
    try:
        principal = authenticate(session, credential)
        if record.circle_id is not None:
            enter_circle(session, principal, record.circle_id)
    except CirclesError as refusal:
        return refusal
    return None


def _store(database: Database, claim: IdempotencyClaim, status_code: int, content_type: str, body: str) -> None:
    with database.write_session() as session:
        repository.store_answer(session, claim, status_code, content_type, body)
