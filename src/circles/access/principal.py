"""Who is asking: an app (by its key) or a participant (by their token), and what they may see."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from circles.access import repository
from circles.access.errors import AppOnly, NotAKeeper
from circles.access.secrets import APP_KEY_PREFIX, PARTICIPANT_TOKEN_PREFIX, hash_secret
from circles.errors import CircleClosed, CircleNotFound, Unauthenticated
from circles.records.circle import repository as circle_repository
from circles.records.circle.models import Circle, CircleKind, CircleStatus
from circles.records.participant import repository as participant_repository
from circles.talking_piece.model import Actor, Role


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


def authenticate(session: Session, credential: str | None) -> Principal:
    if credential and credential.startswith(APP_KEY_PREFIX):
        app_id = repository.app_of_key(session, hash_secret(credential))
        if app_id is not None:
            return AppPrincipal(app_id=app_id)
    elif credential and credential.startswith(PARTICIPANT_TOKEN_PREFIX):
        found = repository.holder_of_token(session, hash_secret(credential))
        if found is not None:
            return _holder(*found)
    raise Unauthenticated()


def authenticate_all(session: Session, credentials: Collection[str]) -> dict[str, Principal]:
    """`authenticate` for each credential, in at most two queries: the principal of each credential that
    authenticates (one that does not is left out)."""
    keys = {hash_secret(c): c for c in credentials if c.startswith(APP_KEY_PREFIX)}
    tokens = {hash_secret(c): c for c in credentials if c.startswith(PARTICIPANT_TOKEN_PREFIX)}
    found: dict[str, Principal] = {}
    if keys:
        for key_hash, app_id in repository.apps_of_keys(session, list(keys)):
            found[keys[key_hash]] = AppPrincipal(app_id=app_id)
    if tokens:
        for token_hash, participant_id, circle_id, role, app_id in repository.holders_of_tokens(session, list(tokens)):
            found[tokens[token_hash]] = _holder(participant_id, circle_id, role, app_id)
    return found


def _holder(participant_id: uuid.UUID, circle_id: uuid.UUID, role: str, app_id: uuid.UUID) -> ParticipantPrincipal:
    return ParticipantPrincipal(participant_id=participant_id, circle_id=circle_id, app_id=app_id, role=Role(role))


STILL_VALID_BATCH = 1000  # hashes a statement: well within SQLite's and PostgreSQL's limits on parameters


def still_valid(session: Session, credential_hashes: Sequence[str]) -> set[str]:
    """Which of these credential hashes still authenticate (an active app key, or a present participant),
    however many there are: STILL_VALID_BATCH at a time, in one session."""
    valid: set[str] = set()
    for start in range(0, len(credential_hashes), STILL_VALID_BATCH):
        valid |= repository.still_valid_among(session, credential_hashes[start : start + STILL_VALID_BATCH])
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
    role = Role(participant.role)
    if circle.kind == CircleKind.SUPPORT_DATE:
        role = Role.KEEPER  # the two of a support date keep it together: either may start, pause, swap or end
    return CircleAccess(circle=circle, actor=Actor(participant_id=participant.id, role=role))


def enter_open_circle(session: Session, principal: Principal, circle_id: uuid.UUID) -> CircleAccess:
    """As enter_circle with the lock, for changes: a closed circle refuses them (409)."""
    access = enter_circle(session, principal, circle_id, lock=True)
    if access.circle.status == CircleStatus.CLOSED:
        raise CircleClosed()
    return access
