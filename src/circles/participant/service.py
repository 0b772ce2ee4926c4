"""Seating, changing and removing participants. The round in progress follows every change."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlmodel import Session

from circles import unit_of_work
from circles.access.principal import CircleAccess, Principal, enter_circle, enter_open_circle, require_app
from circles.access.secrets import hash_secret, new_participant_token
from circles.audit.repository import note_created
from circles.breakout import service as breakout_service
from circles.errors import Forbidden, InvalidCursor
from circles.event import log as event_log
from circles.event.payloads import EventName, ParticipantAgreedData, ParticipantData, ParticipantLeftData
from circles.idempotency import repository as idempotency_repository
from circles.pagination import decode_cursor, encode_cursor
from circles.participant.errors import (
    AgreementsChanged,
    DateIsForTwo,
    ExternalIdTaken,
    ParticipantNotFound,
    SeatTaken,
)
from circles.records.circle.models import Circle, CircleKind, CircleStatus
from circles.records.participant import repository
from circles.records.participant.models import (
    Participant,
    ParticipantCreate,
    ParticipantDetail,
    ParticipantInLog,
    ParticipantUpdate,
)
from circles.records.support import repository as support_repository
from circles.records.webhook import repository as webhook_repository
from circles.round import service as round_service


def seat(
    session: Session, principal: Principal, circle_id: uuid.UUID, data: ParticipantCreate
) -> tuple[Participant, str]:
    """Seat a person. Returns the participant and their token, which is kept only as a hash."""
    access = enter_open_circle(session, principal, circle_id)
    access.require_keeper()
    if access.circle.kind == CircleKind.SUPPORT_DATE:
        raise DateIsForTwo()
    return seat_in(session, access.circle, data)


def seat_in(session: Session, circle: Circle, data: ParticipantCreate) -> tuple[Participant, str]:
    """Seat a person in this circle (locked and open, the caller allowed to): the participant and their token."""
    now = unit_of_work.of(session).now
    if data.seat is None:
        highest = repository.highest_seat(session, circle.id)
        seat_number = 1 if highest is None else highest + 1
    else:
        seat_number = data.seat
        _require_free_seat(session, circle.id, seat_number)
    if data.external_id is not None and repository.external_id_holder(session, circle.id, data.external_id):
        raise ExternalIdTaken()
    token = new_participant_token()
    participant = Participant.model_validate(
        data, update={"circle_id": circle.id, "seat": seat_number, "token_hash": hash_secret(token), "joined_at": now}
    )
    session.add(participant)
    session.flush()
    note_created(session, participant.id)
    event_log.append(
        session, circle, EventName.PARTICIPANT_JOINED, ParticipantData(participant=in_log(participant)), now
    )
    round_service.seating_changed(session, circle, now)
    return participant, token


def page(
    session: Session,
    principal: Principal,
    circle_id: uuid.UUID,
    cursor: str | None,
    limit: int,
    external_id: str | None = None,
) -> tuple[list[Participant], str | None]:
    access = enter_circle(session, principal, circle_id)
    after_seat = None
    if cursor is not None:
        (after_seat,) = decode_cursor(cursor, 1)
        if not isinstance(after_seat, int):
            raise InvalidCursor()
    participants = repository.page_present(session, access.circle.id, after_seat, limit + 1, external_id)
    if len(participants) <= limit:
        return participants, None
    return participants[:limit], encode_cursor([participants[limit - 1].seat])


def read(
    session: Session,
    principal: Principal,
    circle_id: uuid.UUID,
    participant_id: uuid.UUID,
    online: Collection[uuid.UUID],
) -> ParticipantDetail:
    """One participant, for themselves, a keeper or the app, with whether they accepted the circle's current
    agreements (as the talking piece decides it: a circle without agreements asks no one)."""
    access = enter_circle(session, principal, circle_id)
    participant = _present(session, access, participant_id)
    if not _keeps_others(access) and access.actor.participant_id != participant.id:
        raise Forbidden("Only the participant themselves, a keeper or the app may read a participant alone.")
    circle = access.circle
    agreed = not circle.agreements or participant.agreed_version == circle.agreements_version
    return ParticipantDetail.model_validate(
        participant,
        from_attributes=True,
        update={
            "online": participant.id in online,
            "agreements_version": circle.agreements_version,
            "agreed_to_current": agreed,
        },
    )


def update(
    session: Session,
    principal: Principal,
    circle_id: uuid.UUID,
    participant_id: uuid.UUID,
    data: ParticipantUpdate,
) -> Participant:
    """A keeper or the app may change seat, role and name; a participant may change only their own name."""
    access = enter_open_circle(session, principal, circle_id)
    now = unit_of_work.of(session).now
    participant = _present(session, access, participant_id)
    changes = data.model_dump(exclude_unset=True)
    own_name_only = access.actor.participant_id == participant.id and not set(changes) - {"display_name"}
    if not _keeps_others(access) and not own_name_only:
        raise Forbidden("A participant may change only their own display_name; seat and role are the keeper's.")
    if "role" in changes and access.circle.kind == CircleKind.SUPPORT_DATE:
        raise DateIsForTwo()
    if "seat" in changes and changes["seat"] != participant.seat:
        _require_free_seat(session, access.circle.id, changes["seat"])
    if not changes:
        return participant
    for name, value in changes.items():
        setattr(participant, name, value)
    session.add(participant)
    session.flush()
    updated = ParticipantData(participant=in_log(participant))  # `data` is the request's
    event_log.append(session, access.circle, EventName.PARTICIPANT_UPDATED, updated, now)
    if {"seat", "role"} & set(changes):
        round_service.seating_changed(session, access.circle, now)
        breakout_service.seating_changed(session, access.circle, now)
    return participant


def accept_agreements(
    session: Session, principal: Principal, circle_id: uuid.UUID, participant_id: uuid.UUID, version: int
) -> Participant:
    """A participant accepts the circle's agreements, as of `version`, for themselves (recorded with the time)."""
    access = enter_open_circle(session, principal, circle_id)
    now = unit_of_work.of(session).now
    participant = _present(session, access, participant_id)
    if access.actor.participant_id != participant.id:
        raise Forbidden("A participant accepts the agreements only for themselves.")
    if version != access.circle.agreements_version:
        raise AgreementsChanged()
    participant.agreed_version = version
    participant.agreed_at = now
    session.add(participant)
    session.flush()
    event_log.append(session, access.circle, EventName.PARTICIPANT_AGREED, agreed_data(participant), now)
    return participant


def agreed_data(participant: Participant) -> ParticipantAgreedData:
    """participant.agreed: who accepted which version of the agreements, and when."""
    assert participant.agreed_at is not None and participant.agreed_version is not None
    return ParticipantAgreedData(
        participant_id=participant.id,
        agreements_version=participant.agreed_version,
        agreed_at=participant.agreed_at,
    )


def leave(session: Session, principal: Principal, circle_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    """The participant leaves (themselves, or removed by a keeper or the app). Their token stops working;
    if they hold the piece, their turn ends `left` and the piece moves on."""
    access = enter_circle(session, principal, circle_id, lock=True)
    participant = _present(session, access, participant_id)
    if not _keeps_others(access) and access.actor.participant_id != participant.id:
        raise Forbidden("Only the participant themselves, a keeper or the app may remove a participant.")
    _leave(session, access, participant)


def _leave(session: Session, access: CircleAccess, participant: Participant) -> None:
    now = unit_of_work.of(session).now
    participant.left_at = now
    session.add(participant)
    session.flush()
    left = ParticipantLeftData(participant_id=participant.id)
    event_log.append(session, access.circle, EventName.PARTICIPANT_LEFT, left, now)
    if access.circle.status == CircleStatus.OPEN:
        round_service.seating_changed(session, access.circle, now)
        breakout_service.seating_changed(session, access.circle, now)


ERASED_NAME = "(erased)"


def erase(session: Session, principal: Principal, circle_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    """Remove everything that names a participant (the app, on a person's request): they leave if still
    seated, and their name and external_id are replaced in their row and in every event that carried them;
    the answers kept for Idempotency-Key retries that were sent by them or about them are deleted.
    What remains is an id that names no one: the circle's history stays whole (who held the piece when)."""
    require_app(principal)
    access = enter_circle(session, principal, circle_id, lock=True)
    participant = repository.get_any(session, access.circle.id, participant_id)
    if participant is None:
        raise ParticipantNotFound()
    if participant.left_at is None:
        _leave(session, access, participant)
    participant.display_name = ERASED_NAME
    participant.external_id = None
    session.add(participant)
    event_log.rewrite_participant(
        session, access.circle.id, participant.id, {"display_name": ERASED_NAME, "external_id": None}
    )
    event_log.note_participant_erased(session, access.circle.id, participant.id)  # the stream's copies, after
    idempotency_repository.forget_participant(session, participant.id)  # answers kept for retries named them
    support_repository.erase_participant(session, access.circle.id, participant.id)  # who asked for support, when
    webhook_repository.forget_participant(session, access.circle.id, participant.id)  # and webhooks not sent yet


def rotate_token(
    session: Session, principal: Principal, circle_id: uuid.UUID, participant_id: uuid.UUID
) -> tuple[Participant, str]:
    """A new token for the participant (themselves, a keeper or the app); the old one stops working at
    once and the sockets opened with it are closed (4401)."""
    access = enter_circle(session, principal, circle_id, lock=True)
    participant = _present(session, access, participant_id)
    if not _keeps_others(access) and access.actor.participant_id != participant.id:
        raise Forbidden("Only the participant themselves, a keeper or the app may renew a token.")
    event_log.note_revoked(session, participant.token_hash)
    token = new_participant_token()
    participant.token_hash = hash_secret(token)
    session.add(participant)
    session.flush()
    return participant, token


def in_log(participant: Participant) -> ParticipantInLog:
    """A participant as events carry them (presence is not in the log)."""
    return ParticipantInLog.model_validate(participant, from_attributes=True)


def _keeps_others(access: CircleAccess) -> bool:
    """Whether the caller may act on someone else (read, rename, remove, renew their token): the app, or a
    keeper; in a support date's circle, where both keep the meetings, each acts only for themselves."""
    return access.actor.is_app or (access.actor.may_keep and access.circle.kind != CircleKind.SUPPORT_DATE)


def _present(session: Session, access: CircleAccess, participant_id: uuid.UUID) -> Participant:
    participant = repository.get_present(session, access.circle.id, participant_id)
    if participant is None:
        raise ParticipantNotFound()
    return participant


def _require_free_seat(session: Session, circle_id: uuid.UUID, seat_number: int) -> None:
    if repository.seat_holder(session, circle_id, seat_number) is not None:
        raise SeatTaken()
