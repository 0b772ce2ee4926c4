from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from circles.dependencies import OnlineDep, PrincipalDep, SessionDep
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

router = APIRouter(prefix="/v1/circles/{circle_id}/participants", tags=["participants"])


@router.post("", status_code=201, responses=problem_responses(403, 404, 409))
def seat_participant(
    circle_id: uuid.UUID, data: ParticipantCreate, session: SessionDep, principal: PrincipalDep
) -> ParticipantWithToken:
    """Seat a person (app or keeper). The answer carries their token, shown only this once."""
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
) -> ParticipantPage:
    """Who is in the circle, in seat order, with `online`."""
    participants, next_cursor = service.page(session, principal, circle_id, cursor, limit)
    return participant_page(participants, next_cursor, online)


@router.get("/{participant_id}", responses=problem_responses(403, 404))
def read_participant(
    circle_id: uuid.UUID, participant_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, online: OnlineDep
) -> ParticipantDetail:
    """One participant (self, keeper or app), with whether they accepted the circle's current agreements."""
    return service.read(session, principal, circle_id, participant_id, online)


@router.patch("/{participant_id}", responses=problem_responses(403, 404, 409))
def update_participant(
    circle_id: uuid.UUID,
    participant_id: uuid.UUID,
    data: ParticipantUpdate,
    session: SessionDep,
    principal: PrincipalDep,
    online: OnlineDep,
) -> ParticipantPublic:
    """Seat, role and name (app or keeper); a participant may change their own display_name."""
    return participant_view(service.update(session, principal, circle_id, participant_id, data), online)


@router.post("/{participant_id}/token", responses=problem_responses(403, 404))
def renew_token(
    circle_id: uuid.UUID, participant_id: uuid.UUID, session: SessionDep, principal: PrincipalDep, online: OnlineDep
) -> ParticipantWithToken:
    """A new token for the participant (self, keeper or app), shown once; the old one stops working and
    its live sockets are closed (4401)."""
    participant, token = service.rotate_token(session, principal, circle_id, participant_id)
    return participant_with_token(participant, token, online)


@router.post("/{participant_id}/erase", status_code=204, response_class=Response, responses=problem_responses(403, 404))
def erase_participant(
    circle_id: uuid.UUID, participant_id: uuid.UUID, session: SessionDep, principal: PrincipalDep
) -> None:
    """Remove everything that names the participant (app only): they leave if seated, and their name and
    external_id are replaced everywhere, the event log included. Their turns stay, under an id that names
    no one."""
    service.erase(session, principal, circle_id, participant_id)


@router.delete("/{participant_id}", status_code=204, response_class=Response, responses=problem_responses(403, 404))
def remove_participant(
    circle_id: uuid.UUID, participant_id: uuid.UUID, session: SessionDep, principal: PrincipalDep
) -> None:
    """Leave the circle (self), or remove someone (app or keeper). Their token stops working."""
    service.leave(session, principal, circle_id, participant_id)


@router.post("/{participant_id}/agreement", responses=problem_responses(403, 404, 409))
def accept_agreements(
    circle_id: uuid.UUID,
    participant_id: uuid.UUID,
    data: AgreementAccept,
    session: SessionDep,
    principal: PrincipalDep,
    online: OnlineDep,
) -> ParticipantPublic:
    """Accept the circle's agreements (the participant, for themselves), naming the version read.

    When a circle has agreements, only those who accepted its current version are given the piece; the
    rest are passed over (`not_agreed`). A change to the agreements asks everyone again."""
    participant = service.accept_agreements(session, principal, circle_id, participant_id, data.agreements_version)
    return participant_view(participant, online)
