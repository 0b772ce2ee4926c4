"""Who is asking: an app (by its key) or a participant (by their token), and what they may see."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from circles.access.errors import AppOnly, NotAKeeper
from circles.access.secrets import APP_KEY_PREFIX, PARTICIPANT_TOKEN_PREFIX, hash_secret
from circles.circle import repository as circle_repository
from circles.circle.models import Circle, CircleStatus
from circles.errors import CircleClosed, CircleNotFound, Unauthenticated
from circles.participant import repository as participant_repository
from circles.participant.models import Participant
from circles.talking_piece.model import Actor, Role
from circles.tenant.models import AppKey


@dataclass(frozen=True, slots=True)
class AppPrincipal:
    app_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class ParticipantPrincipal:
    participant_id: uuid.UUID
    circle_id: uuid.UUID
    app_id: uuid.UUID
    role: Role  # as it was when the request was authenticated (commands re-read it under the lock)


Principal = AppPrincipal | ParticipantPrincipal


_app_keys: sa.Table = AppKey.__table__  # type: ignore[attr-defined]
_participants: sa.Table = Participant.__table__  # type: ignore[attr-defined]
_circles: sa.Table = Circle.__table__  # type: ignore[attr-defined]

# Every request is authenticated: two prepared lookups by the credential's hash (an index each), reading only
# the columns a principal needs. Nothing is cached, so a revoked key or a participant who left is refused by
# the very next request.
_APP_OF_KEY = sa.select(_app_keys.c.app_id).where(
    _app_keys.c.key_hash == sa.bindparam("credential_hash"), _app_keys.c.revoked_at.is_(None)
)
_HOLDER_OF_TOKEN = (
    sa.select(_participants.c.id, _participants.c.circle_id, _participants.c.role, _circles.c.app_id)
    .join(_circles, _circles.c.id == _participants.c.circle_id)
    .where(_participants.c.token_hash == sa.bindparam("credential_hash"), _participants.c.left_at.is_(None))
)


def authenticate(session: Session, credential: str | None) -> Principal:
    if credential and credential.startswith(APP_KEY_PREFIX):
        app_id = session.connection().execute(_APP_OF_KEY, {"credential_hash": hash_secret(credential)}).scalar()
        if app_id is not None:
            return AppPrincipal(app_id=app_id)
    elif credential and credential.startswith(PARTICIPANT_TOKEN_PREFIX):
        found = session.connection().execute(_HOLDER_OF_TOKEN, {"credential_hash": hash_secret(credential)}).first()
        if found is not None:
            return _holder(*found)
    raise Unauthenticated()


# The same two lookups for many credentials at once (the live sockets of a reconnect storm, admitted together).
_APPS_OF_KEYS = sa.select(_app_keys.c.key_hash, _app_keys.c.app_id).where(
    _app_keys.c.key_hash.in_(sa.bindparam("credential_hashes", expanding=True)), _app_keys.c.revoked_at.is_(None)
)
_HOLDERS_OF_TOKENS = (
    sa.select(_participants.c.token_hash, _participants.c.id, _participants.c.circle_id, _participants.c.role)
    .add_columns(_circles.c.app_id)
    .join(_circles, _circles.c.id == _participants.c.circle_id)
    .where(
        _participants.c.token_hash.in_(sa.bindparam("credential_hashes", expanding=True)),
        _participants.c.left_at.is_(None),
    )
)


def authenticate_all(session: Session, credentials: Collection[str]) -> dict[str, Principal]:
    """`authenticate` for each credential, in at most two queries: the principal of each credential that
    authenticates (one that does not is left out)."""
    keys = {hash_secret(c): c for c in credentials if c.startswith(APP_KEY_PREFIX)}
    tokens = {hash_secret(c): c for c in credentials if c.startswith(PARTICIPANT_TOKEN_PREFIX)}
    found: dict[str, Principal] = {}
    connection = session.connection()
    if keys:
        for key_hash, app_id in connection.execute(_APPS_OF_KEYS, {"credential_hashes": list(keys)}):
            found[keys[key_hash]] = AppPrincipal(app_id=app_id)
    if tokens:
        for token_hash, *holder in connection.execute(_HOLDERS_OF_TOKENS, {"credential_hashes": list(tokens)}):
            found[tokens[token_hash]] = _holder(*holder)
    return found


def _holder(participant_id: uuid.UUID, circle_id: uuid.UUID, role: str, app_id: uuid.UUID) -> ParticipantPrincipal:
    return ParticipantPrincipal(participant_id=participant_id, circle_id=circle_id, app_id=app_id, role=Role(role))


# Which of many credential hashes still authenticate: built once, the hashes bound as one expanding list.
_LIVE_KEY_HASHES = sa.select(_app_keys.c.key_hash).where(
    _app_keys.c.key_hash.in_(sa.bindparam("credential_hashes", expanding=True)), _app_keys.c.revoked_at.is_(None)
)
_PRESENT_TOKEN_HASHES = sa.select(_participants.c.token_hash).where(
    _participants.c.token_hash.in_(sa.bindparam("credential_hashes", expanding=True)),
    _participants.c.left_at.is_(None),
)
STILL_VALID_BATCH = 1000  # hashes a statement: well within SQLite's and PostgreSQL's limits on parameters


def still_valid(session: Session, credential_hashes: Sequence[str]) -> set[str]:
    """Which of these credential hashes still authenticate (an active app key, or a present participant),
    however many there are: STILL_VALID_BATCH at a time, in one session."""
    connection = session.connection()
    valid: set[str] = set()
    for start in range(0, len(credential_hashes), STILL_VALID_BATCH):
        batch = {"credential_hashes": list(credential_hashes[start : start + STILL_VALID_BATCH])}
        valid.update(connection.execute(_LIVE_KEY_HASHES, batch).scalars())
        valid.update(connection.execute(_PRESENT_TOKEN_HASHES, batch).scalars())
    return valid


def require_app(principal: Principal) -> AppPrincipal:
    if not isinstance(principal, AppPrincipal):
        raise AppOnly()
    return principal


@dataclass(frozen=True, slots=True)
class CircleAccess:
    """A circle the principal may see, and who they are in it."""

    circle: Circle
    actor: Actor

    def require_keeper(self) -> None:
        if not self.actor.may_keep:
            raise NotAKeeper()


def enter_circle(session: Session, principal: Principal, circle_id: uuid.UUID, *, lock: bool = False) -> CircleAccess:
    """The circle as this principal sees it, or CircleNotFound when it is not theirs to see.

    With `lock`, the circle's row is locked first and the participant's role is read after the lock, so
    a command acts on the role as it is when the command runs.
    """
    circle = circle_repository.get(session, circle_id, lock=lock)
    if circle is None:
        raise CircleNotFound()
    if isinstance(principal, AppPrincipal):
        if circle.app_id != principal.app_id:
            raise CircleNotFound()
        return CircleAccess(circle=circle, actor=Actor.app())
    if principal.circle_id != circle_id:
        raise CircleNotFound()
    participant = participant_repository.get_present(session, circle_id, principal.participant_id)
    if participant is None:  # left while this request was on its way
        raise Unauthenticated()
    return CircleAccess(circle=circle, actor=Actor(participant_id=participant.id, role=Role(participant.role)))


def enter_open_circle(session: Session, principal: Principal, circle_id: uuid.UUID) -> CircleAccess:
    """As enter_circle with the lock, for changes: a closed circle refuses them (409)."""
    access = enter_circle(session, principal, circle_id, lock=True)
    if access.circle.status == CircleStatus.CLOSED:
        raise CircleClosed()
    return access
