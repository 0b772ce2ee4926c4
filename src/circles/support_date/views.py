"""How a support date is shown: one place for its answers and its airtime."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlmodel import Session

from circles.airtime.models import PersonAirtime
from circles.records.circle.models import Circle, CircleStatus
from circles.records.participant import repository as participant_repository
from circles.records.support_date.models import (
    SupportDate,
    SupportDateKind,
    SupportDatePage,
    SupportDatePerson,
    SupportDatePublic,
    SupportDateSchedule,
    SupportDateStatus,
)
from circles.records.support_date.schedule import Schedule, occurrences
from circles.talking_piece.model import Role, TimeLimit

NEXT_OCCURRENCES = 5


def schedule_of(date: SupportDate) -> Schedule | None:
    """The date's schedule as it was validated when given (not checked again)."""
    if date.rrule is None or date.local_start is None or date.time_zone is None:
        return None
    return Schedule.model_construct(rrule=date.rrule, start=date.local_start, time_zone=date.time_zone)


def date_view(session: Session, date: SupportDate, circle: Circle, now: datetime) -> SupportDatePublic:
    schedule = schedule_of(date)
    # A date whose circle was closed as a circle (POST /v1/circles/{id}/close) is over too.
    status = SupportDateStatus.ENDED if circle.status == CircleStatus.CLOSED else SupportDateStatus(date.status)
    active = status == SupportDateStatus.ACTIVE
    people = []
    for participant_id in (date.first_id, date.second_id):
        person = participant_repository.get_any(session, date.circle_id, participant_id)
        assert person is not None  # the date's row goes with its circle and people (cascade)
        people.append(
            SupportDatePerson(
                participant_id=person.id,
                external_id=person.external_id,
                display_name=person.display_name,
                speaks=person.role != Role.WITNESS,
                present=person.left_at is None,
            )
        )
    return SupportDatePublic(
        id=date.id,
        circle_id=date.circle_id,
        kind=date.kind,
        seconds_each=date.seconds_each,
        time_limit=TimeLimit(circle.time_limit),
        status=status,
        people=people,
        next_starts_with=date.next_starts_with if active else None,
        schedule=None if schedule is None else SupportDateSchedule.model_validate(schedule.model_dump()),
        next_occurrences=occurrences(schedule, now, NEXT_OCCURRENCES) if schedule is not None and active else [],
        created_at=date.created_at,
        ended_at=date.ended_at or circle.closed_at,
    )


def date_page(items: list[SupportDatePublic], next_cursor: str | None) -> SupportDatePage:
    return SupportDatePage(items=items, next_cursor=next_cursor)


# Two people's time counts as equal within this many seconds (a turn ends a moment after one's time is up,
# and the swap takes a moment), or within EQUAL_WITHIN_SHARE of the longer time, whichever is more.
EQUAL_WITHIN_SECONDS = 5.0
EQUAL_WITHIN_SHARE = 0.05


class SupportDateAirtime(BaseModel):
    """Whether the time was in fact shared equally: each person's airtime over every meeting."""

    support_date_id: uuid.UUID
    kind: SupportDateKind
    as_of: datetime
    meetings: int = PydanticField(description="How many meetings (rounds) were held.")
    people: list[PersonAirtime] = PydanticField(
        description="Each of the two who speaks, most airtime first (with 0 if they have not spoken yet)."
    )
    difference_seconds: float = PydanticField(description="Most airtime minus least, between those who speak.")
    shared_equally: bool | None = PydanticField(
        description="reciprocal: whether the two had the same time, within 5 seconds or 5% of the longer, "
        "whichever is more; null for mentoring (one speaks) and before anyone spoke."
    )
    balance: float | None = PydanticField(description="As in the circle's airtime: 1 all equal, 0 one held all.")


def equally(kind: SupportDateKind, held: list[float]) -> bool | None:
    if kind == SupportDateKind.MENTORING or not any(held):
        return None
    difference = max(held) - min(held)
    return difference <= max(EQUAL_WITHIN_SECONDS, EQUAL_WITHIN_SHARE * max(held))
