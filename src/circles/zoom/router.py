from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from circles.access.principal import ParticipantPrincipal
from circles.audit import recorder as audit_recorder
from circles.audit import repository as audit_repository
from circles.db import Database
from circles.dependencies import PrincipalDep, SessionDep, WriteDep, Written
from circles.errors import problem_responses
from circles.http_headers import current_request_id
from circles.participant.views import participant_with_token
from circles.records.participant.models import ParticipantWithToken
from circles.records.zoom.models import ZoomAppPublic, ZoomAppSet, ZoomSessionStart
from circles.settings import Settings
from circles.talking_piece.model import Role
from circles.unit_of_work import UnitOfWork
from circles.write_path import WritePath
from circles.zoom import service
from circles.zoom.sealing import Sealer

# The writes are `async def` routes that hand their whole work to the write path; `response_model` names what
# they answer for the documents. `POST /v1/zoom/session` takes no credential: the Zoom app context is one.
router = APIRouter(tags=["zoom"])


def _sealer(request: Request) -> Sealer | None:
    settings: Settings = request.app.state.settings
    return None if settings.secret_key is None else Sealer(settings.secret_key.get_secret_value())


@router.put("/v1/app/zoom", responses=problem_responses(403, 409), response_model=ZoomAppPublic)
async def set_zoom_secret(data: ZoomAppSet, request: Request, write: WriteDep) -> Written[ZoomAppPublic]:
    """Store the app's Zoom App client id and client secret (again: replace them). The secret is kept
    encrypted with the service's `CIRCLES_SECRET_KEY`, only to decrypt Zoom app contexts, and is never shown
    again; without that setting nothing is stored (409 `secret_key_unset`)."""
    return await write(service.set_secret, data, _sealer(request))


@router.get("/v1/app/zoom", responses=problem_responses(403))
def read_zoom_secret(session: SessionDep, principal: PrincipalDep) -> ZoomAppPublic:
    """Whether a Zoom client secret is stored, for which client id, and since when (never the secret)."""
    return service.read(session, principal)


@router.delete(
    "/v1/app/zoom", status_code=204, response_class=Response, response_model=None, responses=problem_responses(403)
)
async def remove_zoom_secret(write: WriteDep) -> Written[None]:
    """Forget the app's Zoom client secret: no Zoom user of it can start a session until one is stored again."""
    return await write(service.remove)


@router.post(
    "/v1/zoom/session",
    responses=problem_responses(409),
    response_model=ParticipantWithToken,
    openapi_extra={"security": []},  # the Zoom app context in the body is the credential
)
async def start_zoom_session(data: ZoomSessionStart, request: Request) -> Written[ParticipantWithToken]:
    """A Zoom user's seat, from their Zoom app context and no other credential: the context is decrypted
    with the app's Zoom client secret, must be at most `CIRCLES_ZOOM_CONTEXT_MAX_AGE_SECONDS` old, and must
    name a meeting one of the app's circles is bound to (`zoom_meeting_uuid`). The answer is the participant
    whose `external_id` is the Zoom user id (seated as a member if there is none) with a new token, shown
    once; a token of theirs from before stops working. A context refused for any reason is one answer:
    401 `zoom_context_refused`."""
    settings: Settings = request.app.state.settings
    database: Database = request.app.state.database
    now = request.app.state.clock.now()
    target = await run_in_threadpool(
        _resolve, database, data, _sealer(request), now, settings.zoom_context_max_age_seconds
    )

    def write(work: UnitOfWork) -> bytes:
        participant, token = service.seat(work.session, target, data.display_name)
        principal = ParticipantPrincipal(
            participant_id=participant.id,
            circle_id=participant.circle_id,
            app_id=target.app_id,
            role=Role(participant.role),
        )
        work.principal = principal
        entry = audit_recorder.entry(
            work,
            principal,
            action="start_zoom_session",
            circle_id=participant.circle_id,
            object_id=participant.id,
            request_id=current_request_id(),
        )
        audit_repository.record_values(work.session, entry)
        answer = participant_with_token(participant, token, work.online_in(participant.circle_id) or ())
        return answer.__pydantic_serializer__.to_json(answer)

    write_path: WritePath = request.app.state.write_path
    body = await write_path.run(target.circle_id, write, turn_held=True, witnesses=True)  # WriterQueue holds it
    return Written(content=body, media_type="application/json")


def _resolve(
    database: Database, data: ZoomSessionStart, sealer: Sealer | None, now: datetime, max_age: int
) -> service.ZoomSeat:
    with database.read_session() as session:
        return service.resolve(session, data, sealer, now, max_age)
