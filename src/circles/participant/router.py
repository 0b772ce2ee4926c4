from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlmodel import Session

from circles import unit_of_work
from circles.access.principal import Principal
from circles.dependencies import OnlineDep, PrincipalDep, SessionDep, WriteDep, WriteSeeingEveryoneDep, Written
from circles.errors import problem_responses
from circles.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from circles.participant import service
from circles.participant.views import participant_page, participant_view, participant_with_token
from circles.records.participant.models import (
    AgreementAccept,
    ParticipantCreate,
    ParticipantDetail,
    ParticipantPage,
    ParticipantPublic,
    ParticipantUpdate,
    ParticipantWithToken,
)
from circles.text import Line

# The writes are `async def` routes that hand their whole work to the write path (`WriteDep`: one threadpool
# trip each, as the round commands); `response_model` names what they answer for the documents. Those whose
# answer says who is online take `WriteSeeingEveryoneDep`: its snapshot names witnesses too.
ExternalIdQuery = Annotated[
    Line | None,
    Query(min_length=1, max_length=200, description="Only the participant with this `external_id` (the app's own id)."),
]
router = APIRouter(prefix="/v1/circles/{circle_id}/participants", tags=["participants"])


def _online(session: Session, circle_id: uuid.UUID) -> frozenset[uuid.UUID]:
    """Who had a live socket in the circle when the write began, witnesses included (its snapshot)."""
    return unit_of_work.of(session).online_in(circle_id) or frozenset()


@router.post("", status_code=201, responses=problem_responses(403, 404, 409), response_model=ParticipantWithToken)
async def seat_participant(
    circle_id: uuid.UUID, data: ParticipantCreate, write: WriteDep
) -> Written[ParticipantWithToken]:
    """Seat a person (app or keeper). The answer carries their token, shown only this once."""
    return await write(_seat, circle_id, data)


def _seat(
    session: Session, principal: Principal, circle_id: uuid.UUID, data: ParticipantCreate
) -> ParticipantWithToken:
    participant, token = service.seat(session, principal, circle_id, data)
    return participant_with_token(participant, token)  # just seated: no socket of theirs can be open yet


@router.get("", responses=problem_responses(404))
def list_participants(
    circle_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    online: OnlineDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    external_id: ExternalIdQuery = None,
) -> ParticipantPage:
    """Who is in the circle, in seat order, with `online`; with `external_id`, only the person the app knows
    by that id (an empty page when no one seated has it)."""
    participants, next_cursor = service.page(session, principal, circle_id, cursor, limit, external_id)
    return participant_page(participants, next_cursor, online)


@router.get("/{participant_id}", responses=problem_responses(403, 404))
def read_participant(
    circle_id: uuid.UUID, participant_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, online: OnlineDep
) -> ParticipantDetail:
    """One participant (self, keeper or app), with whether they accepted the circle's current agreements."""
    return service.read(session, principal, circle_id, participant_id, online)


@router.patch("/{participant_id}", responses=problem_responses(403, 404, 409), response_model=ParticipantPublic)
async def update_participant(
    circle_id: uuid.UUID, participant_id: uuid.UUID, data: ParticipantUpdate, write: WriteSeeingEveryoneDep
) -> Written[ParticipantPublic]:
    """Seat, role and name (app or keeper); a participant may change their own display_name."""
    return await write(_update, circle_id, participant_id, data)


def _update(
    session: Session, principal: Principal, circle_id: uuid.UUID, participant_id: uuid.UUID, data: ParticipantUpdate
) -> ParticipantPublic:
    participant = service.update(session, principal, circle_id, participant_id, data)
    return participant_view(participant, _online(session, circle_id))


@router.post("/{participant_id}/token", responses=problem_responses(403, 404), response_model=ParticipantWithToken)
async def renew_token(
    circle_id: uuid.UUID, participant_id: uuid.UUID, write: WriteSeeingEveryoneDep
) -> Written[ParticipantWithToken]:
    """A new token for the participant (self, keeper or app), shown once; the old one stops working and
    its live sockets are closed (4401)."""
    return await write(_renew_token, circle_id, participant_id)


def _renew_token(
    session: Session, principal: Principal, circle_id: uuid.UUID, participant_id: uuid.UUID
) -> ParticipantWithToken:
    participant, token = service.rotate_token(session, principal, circle_id, participant_id)
    return participant_with_token(participant, token, _online(session, circle_id))


@router.post(
    "/{participant_id}/erase",
    status_code=204,
    response_class=Response,
    response_model=None,
    responses=problem_responses(403, 404),
)
async def erase_participant(circle_id: uuid.UUID, participant_id: uuid.UUID, write: WriteDep) -> Written[None]:
    """Remove everything that names the participant (app only): they leave if seated, and their name and
    external_id are replaced everywhere, the event log included. Their turns stay, under an id that names
    no one."""
    return await write(service.erase, circle_id, participant_id)


@router.delete(
    "/{participant_id}",
    status_code=204,
    response_class=Response,
    response_model=None,
    responses=problem_responses(403, 404),
)
async def remove_participant(circle_id: uuid.UUID, participant_id: uuid.UUID, write: WriteDep) -> Written[None]:
    """Leave the circle (self), or remove someone (app or keeper). Their token stops working."""
    return await write(service.leave, circle_id, participant_id)


@router.post(
    "/{participant_id}/agreement", responses=problem_responses(403, 404, 409), response_model=ParticipantPublic
)
async def accept_agreements(
    circle_id: uuid.UUID, participant_id: uuid.UUID, data: AgreementAccept, write: WriteSeeingEveryoneDep
) -> Written[ParticipantPublic]:
    """Accept the circle's agreements (the participant, for themselves), naming the version read.

    When a circle has agreements, only those who accepted its current version are given the piece; the
    rest are passed over (`not_agreed`). A change to the agreements asks everyone again."""
    return await write(_accept_agreements, circle_id, participant_id, data.agreements_version)


def _accept_agreements(
    session: Session, principal: Principal, circle_id: uuid.UUID, participant_id: uuid.UUID, version: int
) -> ParticipantPublic:
    participant = service.accept_agreements(session, principal, circle_id, participant_id, version)
    return participant_view(participant, _online(session, circle_id))
