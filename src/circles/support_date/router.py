from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlmodel import Session

from circles.access.principal import Principal
from circles.dependencies import NowDep, PrincipalDep, SessionDep, WriteDep, Written
from circles.errors import problem_responses
from circles.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from circles.records.round.models import RoundWithTurns
from circles.records.support_date.models import (
    SupportDateCreate,
    SupportDateCreated,
    SupportDatePage,
    SupportDatePublic,
    SupportDateToken,
)
from circles.support_date import service
from circles.support_date.calendar import ics
from circles.support_date.views import SupportDateAirtime, date_page, date_view
from circles.text import LINE_PATTERN
from circles.unit_of_work import of as unit_of

# The writes hand their whole work to the write path (`WriteDep`), as every write route does.
router = APIRouter(prefix="/v1/support-dates", tags=["support dates"])

ExternalIdQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=200,
        pattern=LINE_PATTERN,
        description="Only the dates of the person with this external_id.",
    ),
]


@router.post("", status_code=201, responses=problem_responses(403), response_model=SupportDateCreated)
async def create_support_date(data: SupportDateCreate, write: WriteDep) -> Written[SupportDateCreated]:
    """Arrange a support date between two people (app key only): its own circle seats the two, and the answer
    carries each one's token (shown once). With a `schedule`, each meeting is announced as `support_date.due`
    in the date's log when it is due, and `next_occurrences` lists the coming ones."""
    return await write(_create, data)


def _create(session: Session, principal: Principal, data: SupportDateCreate) -> SupportDateCreated:
    date, circle, tokens = service.create(session, principal, data)
    view = date_view(session, date, circle, unit_of(session).now)
    return SupportDateCreated(**view.model_dump(), tokens=tokens)


@router.get("", responses=problem_responses())
def list_support_dates(
    session: SessionDep,
    principal: PrincipalDep,
    now: NowDep,
    external_id: ExternalIdQuery = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> SupportDatePage:
    """The app's support dates, oldest first; `external_id` for one person's. With a person's token: the one
    date that token is for (an empty list for a participant of a circle)."""
    pairs, next_cursor = service.page(session, principal, external_id, cursor, limit)
    return date_page([date_view(session, date, circle, now) for date, circle in pairs], next_cursor)


@router.get("/{date_id}", responses=problem_responses(404))
def get_support_date(
    date_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, now: NowDep
) -> SupportDatePublic:
    """The date (the app, or either of the two): who, how long each, its schedule and next meetings."""
    date, access = service.enter(session, principal, date_id)
    return date_view(session, date, access.circle, now)


@router.post(
    "/{date_id}/meetings", status_code=201, responses=problem_responses(403, 404, 409), response_model=RoundWithTurns
)
async def start_meeting(date_id: uuid.UUID, write: WriteDep) -> Written[RoundWithTurns]:
    """Begin a meeting (either of the two, or the app): a round of the date's circle in which each speaker has
    `seconds_each`, starting with `next_starts_with`; the piece passing is the swap. Pause, resume, swap
    (finish or skip the turn) and end it with the circle's round and turn routes or socket commands."""
    return await write(service.start_meeting, date_id)


@router.post("/{date_id}/end", responses=problem_responses(403, 404), response_model=SupportDatePublic)
async def end_support_date(date_id: uuid.UUID, write: WriteDep) -> Written[SupportDatePublic]:
    """End the arrangement (either of the two, or the app), at any time: a meeting in progress ends, no
    meeting is announced any more, and the date's circle closes. Ending it again changes nothing."""
    return await write(_end, date_id)


def _end(session: Session, principal: Principal, date_id: uuid.UUID) -> SupportDatePublic:
    date, circle = service.end(session, principal, date_id)
    return date_view(session, date, circle, unit_of(session).now)


@router.post(
    "/{date_id}/people/{participant_id}/token", responses=problem_responses(403, 404), response_model=SupportDateToken
)
async def issue_support_date_token(
    date_id: uuid.UUID, participant_id: uuid.UUID, write: WriteDep
) -> Written[SupportDateToken]:
    """A new token for one of the two (the app, or that person): the old one stops working at once and its
    sockets close (4401)."""
    return await write(_issue_token, date_id, participant_id)


def _issue_token(
    session: Session, principal: Principal, date_id: uuid.UUID, participant_id: uuid.UUID
) -> SupportDateToken:
    participant, token = service.issue_token(session, principal, date_id, participant_id)
    return SupportDateToken(participant_id=participant.id, token=token)


@router.post(
    "/{date_id}/people/{participant_id}/erase",
    status_code=204,
    response_class=Response,
    response_model=None,
    responses=problem_responses(403, 404),
)
async def erase_support_date_person(date_id: uuid.UUID, participant_id: uuid.UUID, write: WriteDep) -> Written[None]:
    """Erase one person's part (app only, on their request), as a participant's erasure: the date ends if it
    had not, and their name and external_id are gone from the date, its circle and every event."""
    return await write(service.erase_person, date_id, participant_id)


@router.get(
    "/{date_id}/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}, **problem_responses(404)},
)
def get_support_date_calendar(
    date_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, now: NowDep
) -> Response:
    """The schedule as an iCalendar file (the app, or either of the two): one recurring event in the date's
    time zone; a calendar with no event when the date has no schedule; the event CANCELLED once it ended."""
    date, _ = service.enter(session, principal, date_id)
    return Response(
        ics(date, now),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="support-date-{date.id}.ics"'},
    )


@router.get("/{date_id}/airtime", responses=problem_responses(404))
def get_support_date_airtime(
    date_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, now: NowDep
) -> SupportDateAirtime:
    """Whether the time was in fact shared equally (the app, or either of the two): each speaker's airtime
    over every meeting, paused time excluded. Metadata only."""
    return service.airtime(session, principal, date_id, now)
