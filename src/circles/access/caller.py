"""Who sent an HTTP request, found once, before anything else acts on it: `authenticated_caller(scope)`.

The request limits key their buckets by it, and any middleware that must know who is asking before the
route runs (the Idempotency-Key replay) asks the same function: the first call reads the database, in one
threadpool trip with a connection it gives back within that trip; later calls for the same request reuse the
answer. Nothing is cached across requests: a revoked key or a participant who left or was erased is refused
by the very next request. The route authenticates again inside its own transaction (`get_principal`,
`WriteDep`), so a credential revoked while the request waited is refused there too.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import Scope

from circles.access.principal import Principal, authenticate
from circles.access.secrets import APP_KEY_PREFIX, PARTICIPANT_TOKEN_PREFIX, hash_secret
from circles.db import Database
from circles.errors import Unauthenticated

CALLER = "caller"  # the request's scope["state"] key


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated request's principal, and its credential's hash (the key its limits are counted by)."""

    principal: Principal
    credential_hash: str


_NOBODY = "nobody"  # remembered in the scope when the request's credential did not authenticate


def bearer_credential(headers: Headers) -> str | None:
    """The credential of an `Authorization: Bearer …` header (the scheme in any case, as RFC 9110 has it), or
    None when there is no such header or it holds nothing that could be one of ours."""
    scheme, _, credential = headers.get("authorization", "").partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential.startswith((APP_KEY_PREFIX, PARTICIPANT_TOKEN_PREFIX)):
        return None
    return credential


async def authenticated_caller(scope: Scope) -> Caller | None:
    """The request's caller, or None when it sent no credential or one that does not authenticate."""
    state = scope.setdefault("state", {})
    known = state.get(CALLER)
    if known is not None:
        return None if known == _NOBODY else known
    caller = None
    credential = bearer_credential(Headers(scope=scope))
    if credential is not None:  # a header that cannot be a credential of ours costs no database read
        database: Database = scope["app"].state.database
        principal = await run_in_threadpool(_principal_of, database, credential)
        if principal is not None:
            caller = Caller(principal=principal, credential_hash=hash_secret(credential))
    state[CALLER] = caller if caller is not None else _NOBODY
    return caller


def _principal_of(database: Database, credential: str) -> Principal | None:
    with database.read_session() as session:
        try:
            return authenticate(session, credential)
        except Unauthenticated:
            return None
