"""Every query about credentials: the app a key belongs to, the participant a token belongs to, and which
credentials still authenticate.

Every request is authenticated: two prepared lookups by the credential's hash (an index each), reading only
the columns a principal needs. Nothing is cached, so a revoked key or a participant who left is refused by the
very next request.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import Session

from circles.records.circle.models import Circle
from circles.records.participant.models import Participant
from circles.records.tenant.models import AppKey

_app_keys: sa.Table = AppKey.__table__  # type: ignore[attr-defined]
_participants: sa.Table = Participant.__table__  # type: ignore[attr-defined]
_circles: sa.Table = Circle.__table__  # type: ignore[attr-defined]

_APP_OF_KEY = sa.select(_app_keys.c.app_id).where(
    _app_keys.c.key_hash == sa.bindparam("credential_hash"), _app_keys.c.revoked_at.is_(None)
)
_HOLDER_OF_TOKEN = (
    sa.select(_participants.c.id, _participants.c.circle_id, _participants.c.role, _circles.c.app_id)
    .join(_circles, _circles.c.id == _participants.c.circle_id)
    .where(_participants.c.token_hash == sa.bindparam("credential_hash"), _participants.c.left_at.is_(None))
)


def app_of_key(session: Session, key_hash: str) -> uuid.UUID | None:
    """The app whose active key has this hash."""
    found: uuid.UUID | None = session.connection().execute(_APP_OF_KEY, {"credential_hash": key_hash}).scalar()
    return found


def holder_of_token(session: Session, token_hash: str) -> sa.Row[uuid.UUID, uuid.UUID, str, uuid.UUID] | None:
    """(participant id, circle id, role, app id) of the present participant whose token has this hash."""
    return session.connection().execute(_HOLDER_OF_TOKEN, {"credential_hash": token_hash}).first()


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


def apps_of_keys(session: Session, key_hashes: Sequence[str]) -> list[sa.Row[str, uuid.UUID]]:
    """(key hash, app id) for each of these hashes that is an active key's."""
    return list(session.connection().execute(_APPS_OF_KEYS, {"credential_hashes": list(key_hashes)}))


def holders_of_tokens(
    session: Session, token_hashes: Sequence[str]
) -> list[sa.Row[str, uuid.UUID, uuid.UUID, str, uuid.UUID]]:
    """(token hash, participant id, circle id, role, app id) for each of these hashes that is a present
    participant's token."""
    return list(session.connection().execute(_HOLDERS_OF_TOKENS, {"credential_hashes": list(token_hashes)}))


# Which of many credential hashes still authenticate: built once, the hashes bound as one expanding list.
_LIVE_KEY_HASHES = sa.select(_app_keys.c.key_hash).where(
    _app_keys.c.key_hash.in_(sa.bindparam("credential_hashes", expanding=True)), _app_keys.c.revoked_at.is_(None)
)
_PRESENT_TOKEN_HASHES = sa.select(_participants.c.token_hash).where(
    _participants.c.token_hash.in_(sa.bindparam("credential_hashes", expanding=True)),
    _participants.c.left_at.is_(None),
)


def still_valid_among(session: Session, credential_hashes: Sequence[str]) -> set[str]:
    """Which of these hashes are an active app key's or a present participant's token (two queries)."""
    connection = session.connection()
    batch = {"credential_hashes": list(credential_hashes)}
    return {
        *connection.execute(_LIVE_KEY_HASHES, batch).scalars(),
        *connection.execute(_PRESENT_TOKEN_HASHES, batch).scalars(),
    }
