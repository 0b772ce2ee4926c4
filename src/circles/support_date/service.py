"""Support dates: arranged by the app, kept by the two. Each date is backed by a circle of its own (kind
`support_date`) seating exactly the two, so a meeting is a round of that circle: the turn engine holds the
piece, the swap is the piece passing, and the circle's log, socket and page serve it.

In that circle both may keep (`access.principal.enter_circle`): either may start, pause, resume, swap or end
a meeting. In a mentoring date the listener sits as a witness, so the piece never comes to them.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlmodel import Session

from circles import unit_of_work
from circles.access.principal import (
    AppPrincipal,
    CircleAccess,
    Principal,
    enter_circle,
    require_app,
)
from circles.airtime import service as airtime_service
from circles.audit.repository import note_created
from circles.circle import service as circle_service
from circles.event import log as event_log
from circles.event.payloads import EventName, SupportDateData, SupportDateDueData, SupportDateEndedData
from circles.idempotency import repository as idempotency_repository
from circles.pagination import decode_time_cursor, encode_time_cursor
from circles.participant import service as participant_service
from circles.records.circle import repository as circle_repository
from circles.records.circle.models import Circle, CircleKind, CircleStatus
from circles.records.participant.models import Participant, ParticipantCreate
from circles.records.round.models import RoundCreate, RoundWithTurns
from circles.records.support_date import repository
from circles.records.support_date.models import (
    SupportDate,
    SupportDateCreate,
    SupportDateKind,
    SupportDateStatus,
)
from circles.records.support_date.schedule import latest_by, length, occurrences
from circles.round import service as round_service
from circles.support_date.errors import NotOfThisDate, SelfOrApp, SupportDateEnded, SupportDateNotFound
from circles.support_date.views import SupportDateAirtime, equally, schedule_of
from circles.talking_piece.model import Role

CIRCLE_NAME = "Support date"  # never the people's names: those live in their participant rows alone
# A meeting is announced when it is due; one that passed while no instance ran is announced only if this
# late at most (then the next one is), never a day late.
DUE_GRACE = timedelta(hours=1)


def create(
    session: Session, principal: Principal, data: SupportDateCreate
) -> tuple[SupportDate, Circle, dict[str, str]]:
    """Arrange a date (the app): its circle, the two seated in it, their tokens (by external_id)."""
    app = require_app(principal)
    now = unit_of_work.of(session).now
    circle = Circle(
        app_id=app.app_id,
        name=CIRCLE_NAME,
        kind=CircleKind.SUPPORT_DATE,
        turn_seconds=data.seconds_each,
        time_limit=data.time_limit,
    )
    session.add(circle)
    session.flush()
    seated: list[Participant] = []
    tokens: dict[str, str] = {}
    for person in data.people:
        listens = data.kind == SupportDateKind.MENTORING and person.external_id != data.speaker
        participant, token = participant_service.seat_in(
            session,
            circle,
            ParticipantCreate(
                display_name=person.display_name,
                external_id=person.external_id,
                role=Role.WITNESS if listens else Role.MEMBER,
            ),
        )
        seated.append(participant)
        tokens[person.external_id] = token
    first, second = seated
    speaker = (
        next((p for p in seated if p.role == Role.MEMBER), first) if data.kind == SupportDateKind.MENTORING else None
    )
    date = SupportDate(
        app_id=app.app_id,
        circle_id=circle.id,
        kind=data.kind,
        seconds_each=data.seconds_each,
        first_id=first.id,
        second_id=second.id,
        speaker_id=None if speaker is None else speaker.id,
        next_starts_with=(speaker or first).id,
        created_at=now,
    )
    if data.schedule is not None:
        date.rrule = data.schedule.rrule.strip().upper()
        date.local_start = data.schedule.start
        date.time_zone = data.schedule.time_zone
        upcoming = occurrences(data.schedule, now, 1, inclusive=True)
        date.next_due_at = upcoming[0] if upcoming else None
    session.add(date)
    session.flush()
    note_created(session, date.id)
    unit_of_work.of(session).about_circle = circle.id
    created = SupportDateData(
        support_date_id=date.id,
        kind=SupportDateKind(date.kind).value,
        seconds_each=date.seconds_each,
        next_starts_with=date.next_starts_with,
        next_due_at=date.next_due_at,
    )
    event_log.append(session, circle, EventName.SUPPORT_DATE_CREATED, created, now)
    return date, circle, tokens


def enter(
    session: Session, principal: Principal, date_id: uuid.UUID, *, lock: bool = False
) -> tuple[SupportDate, CircleAccess]:
    """The date, for the app that arranged it or one of its two; anyone else is told it does not exist."""
    date = repository.get(session, date_id)
    if date is None:
        raise SupportDateNotFound()
    if isinstance(principal, AppPrincipal):
        if date.app_id != principal.app_id:
            raise SupportDateNotFound()
    elif principal.circle_id != date.circle_id:
        raise SupportDateNotFound()
    work = unit_of_work.find(session)
    if work is not None:  # a write: its audit entry and Idempotency-Key record are about the date's circle
        work.about_circle = date.circle_id
    return date, enter_circle(session, principal, date.circle_id, lock=lock)


def page(
    session: Session, principal: Principal, external_id: str | None, cursor: str | None, limit: int
) -> tuple[list[tuple[SupportDate, Circle]], str | None]:
    """The app's dates, oldest first; with `external_id`, those of that person. A person's token lists the
    one date it is for (none for a participant of a circle): how their page finds its date."""
    if not isinstance(principal, AppPrincipal):
        access = enter_circle(session, principal, principal.circle_id)
        own = repository.of_circle(session, access.circle.id)
        return ([] if own is None else [(own, access.circle)]), None
    app = principal
    after = decode_time_cursor(cursor) if cursor is not None else None
    dates = repository.page_for_app(session, app.app_id, external_id, after, limit + 1)
    next_cursor = None
    if len(dates) > limit:
        dates = dates[:limit]
        next_cursor = encode_time_cursor(dates[-1].created_at, dates[-1].id)
    pairs = []
    for date in dates:
        circle = circle_repository.get(session, date.circle_id)
        assert circle is not None
        pairs.append((date, circle))
    return pairs, next_cursor


def start_meeting(session: Session, principal: Principal, date_id: uuid.UUID) -> RoundWithTurns:
    """A meeting begins: a round of the date's circle, each speaker with `seconds_each`, starting with the
    date's `next_starts_with`; in a reciprocal date the other starts the next one."""
    date, access = enter(session, principal, date_id, lock=True)
    _require_active(date, access)
    starts_with = date.next_starts_with
    meeting = round_service.start(
        session,
        principal,
        date.circle_id,
        RoundCreate(turn_seconds=date.seconds_each, starts_with=starts_with),
    )
    if date.kind == SupportDateKind.RECIPROCAL:
        date.next_starts_with = date.second_id if starts_with == date.first_id else date.first_id
        session.add(date)
    return meeting


def issue_token(
    session: Session, principal: Principal, date_id: uuid.UUID, participant_id: uuid.UUID
) -> tuple[Participant, str]:
    """A new token for one of the two (the app, or that person): the old one stops working at once."""
    date, access = enter(session, principal, date_id, lock=True)
    _one_of_the_two(date, participant_id)
    if not isinstance(principal, AppPrincipal) and access.actor.participant_id != participant_id:
        raise SelfOrApp()
    return participant_service.rotate_token(session, principal, date.circle_id, participant_id)


def end(session: Session, principal: Principal, date_id: uuid.UUID) -> tuple[SupportDate, Circle]:
    """Either of the two (or the app) ends the arrangement, at any time: a meeting in progress ends, no more
    are announced, and the date's circle closes (its sockets close with 4410). Ending it again changes nothing."""
    date, access = enter(session, principal, date_id, lock=True)
    if date.status == SupportDateStatus.ENDED:
        return date, access.circle
    _end(session, date, access.circle, access.actor.participant_id)
    if access.circle.status == CircleStatus.OPEN:  # (it may have been closed as a circle)
        circle_service.close(session, principal, date.circle_id)
    return date, access.circle


def erase_person(session: Session, principal: Principal, date_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    """Erase one person's part (the app, on their request), as a participant's erasure: the date ends if it
    had not, and their name and external_id are gone from their row and from every event."""
    require_app(principal)
    date, access = enter(session, principal, date_id, lock=True)
    _one_of_the_two(date, participant_id)
    if date.status == SupportDateStatus.ACTIVE:
        _end(session, date, access.circle, None)
    if access.circle.status == CircleStatus.OPEN:
        circle_service.close(session, principal, date.circle_id)
    participant_service.erase(session, principal, date.circle_id, participant_id)
    # The answers kept for retries about the date (an `end`'s names both people): gone with their names.
    idempotency_repository.forget_circle(session, date.circle_id)


def airtime(session: Session, principal: Principal, date_id: uuid.UUID, now: datetime) -> SupportDateAirtime:
    """Each speaker's airtime over every meeting, and whether it was in fact shared equally."""
    date, _ = enter(session, principal, date_id)
    measured = airtime_service.for_window(session, principal, date.circle_id, None, None, now)
    speakers = [date.speaker_id] if date.speaker_id is not None else [date.first_id, date.second_id]
    people = {person.participant_id: person for person in measured.people}
    held = [people[p].held_seconds if p in people else 0.0 for p in speakers]
    return SupportDateAirtime(
        support_date_id=date.id,
        kind=date.kind,
        as_of=now,
        meetings=len(measured.rounds),
        people=measured.people,
        difference_seconds=max(held) - min(held),
        shared_equally=equally(date.kind, held),
        balance=measured.balance,
    )


def announce_due(session: Session, date_id: uuid.UUID) -> datetime | None:
    """Announce the date's meeting that is due (`support_date.due`), once, and move on to the next; the
    circle's lock and the announcement's key make it once however many instances sweep. Returns when to look
    again (the next meeting), or None."""
    now = unit_of_work.of(session).now
    date = repository.get(session, date_id)
    circle = None if date is None else circle_repository.get(session, date.circle_id, lock=True)
    if date is None or circle is None:
        return None
    session.refresh(date)  # as it is now that the lock is ours
    schedule = schedule_of(date)
    if date.status != SupportDateStatus.ACTIVE or schedule is None or date.next_due_at is None:
        return None
    if circle.status == CircleStatus.CLOSED:  # its circle was closed as a circle: the date is over
        _end(session, date, circle, None)
        return None
    if date.next_due_at > now:
        return date.next_due_at
    occurrence = latest_by(schedule, now)
    upcoming = occurrences(schedule, now, 1)
    date.next_due_at = upcoming[0] if upcoming else None
    session.add(date)
    if (
        occurrence is not None
        and now - occurrence <= DUE_GRACE
        and repository.mark_announced(session, date.id, occurrence, now)
    ):
        speakers = 1 if date.kind == SupportDateKind.MENTORING else 2
        due = SupportDateDueData(
            support_date_id=date.id,
            occurrence_at=occurrence,
            ends_at=occurrence + length(date.seconds_each, speakers),
            starts_with=date.next_starts_with,
            next_due_at=date.next_due_at,
        )
        event_log.append(session, circle, EventName.SUPPORT_DATE_DUE, due, now)
    return date.next_due_at


def _end(session: Session, date: SupportDate, circle: Circle, by: uuid.UUID | None) -> None:
    now = unit_of_work.of(session).now
    date.status = SupportDateStatus.ENDED
    date.ended_at = now
    date.next_due_at = None
    session.add(date)
    if circle.status == CircleStatus.OPEN:
        ended = SupportDateEndedData(support_date_id=date.id, ended_by=by)
        event_log.append(session, circle, EventName.SUPPORT_DATE_ENDED, ended, now)


def _require_active(date: SupportDate, access: CircleAccess) -> None:
    if date.status != SupportDateStatus.ACTIVE or access.circle.status != CircleStatus.OPEN:
        raise SupportDateEnded()


def _one_of_the_two(date: SupportDate, participant_id: uuid.UUID) -> None:
    if participant_id not in (date.first_id, date.second_id):
        raise NotOfThisDate()
