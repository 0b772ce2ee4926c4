"""An app's Zoom client secret, circles bound to Zoom meetings, and a Zoom user's app context made a seat."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlmodel import Session

from circles import unit_of_work
from circles.access.principal import AppPrincipal, Principal, enter_open_circle, require_app
from circles.participant import service as participant_service
from circles.records.circle.models import CircleStatus
from circles.records.participant import repository as participant_repository
from circles.records.participant.models import Participant, ParticipantCreate
from circles.records.zoom import repository
from circles.records.zoom.models import ZoomApp, ZoomAppPublic, ZoomAppSet, ZoomSessionStart
from circles.zoom import app_context
from circles.zoom.errors import SecretKeyUnset, ZoomClientIdTaken, ZoomContextRefused, ZoomMeetingTaken
from circles.zoom.sealing import Sealer

# A context that names no client id is tried against every app's secret, up to this many (each try is two
# AES-GCM decryptions of a few dozen bytes: microseconds). Past it, an app must send its client id.
TRIAL_LIMIT = 1000
DEFAULT_DISPLAY_NAME = "Zoom participant"


def set_secret(session: Session, principal: Principal, data: ZoomAppSet, sealer: Sealer | None) -> ZoomAppPublic:
    """Store (or replace) the app's Zoom client id and secret; the secret is sealed and never shown again."""
    app = require_app(principal)
    if sealer is None:
        raise SecretKeyUnset()
    holder = repository.by_client_id(session, data.client_id)
    if holder is not None and holder.app_id != app.app_id:
        raise ZoomClientIdTaken()
    zoom_app = repository.get(session, app.app_id) or ZoomApp(
        app_id=app.app_id, client_id=data.client_id, sealed_secret=""
    )
    zoom_app.client_id = data.client_id
    zoom_app.sealed_secret = sealer.seal(app.app_id, data.client_secret)
    zoom_app.set_at = unit_of_work.of(session).now
    session.add(zoom_app)
    session.flush()
    return public(zoom_app)


def read(session: Session, principal: Principal) -> ZoomAppPublic:
    return public(repository.get(session, require_app(principal).app_id))


def remove(session: Session, principal: Principal) -> None:
    """Forget the app's Zoom client secret: its Zoom users can no longer start sessions."""
    zoom_app = repository.get(session, require_app(principal).app_id)
    if zoom_app is not None:
        session.delete(zoom_app)


def public(zoom_app: ZoomApp | None) -> ZoomAppPublic:
    if zoom_app is None:
        return ZoomAppPublic(configured=False, client_id=None, set_at=None)
    return ZoomAppPublic(configured=True, client_id=zoom_app.client_id, set_at=zoom_app.set_at)


def require_unbound(session: Session, app_id: uuid.UUID, meeting_uuid: str | None, circle_id: uuid.UUID) -> None:
    """A Zoom meeting binds at most one of an app's circles (the circle service asks before it binds). A closed
    circle still bound to it gives it up: it can no longer be changed, so it could not be unbound, and the
    meeting would be lost to the app for good."""
    if meeting_uuid is None:
        return
    bound = repository.circle_bound_to(session, app_id, meeting_uuid)
    if bound is None or bound.id == circle_id:
        return
    if bound.status != CircleStatus.CLOSED:
        raise ZoomMeetingTaken()
    bound.zoom_meeting_uuid = None
    session.add(bound)
    session.flush()  # before the new binding is written: the pair (app, meeting) is unique


@dataclass(frozen=True, slots=True)
class ZoomSeat:
    """Whom a context names, and where: the app whose secret opened it, the circle bound to its meeting."""

    app_id: uuid.UUID
    circle_id: uuid.UUID
    context: app_context.AppContext


def resolve(
    session: Session, data: ZoomSessionStart, sealer: Sealer | None, now: datetime, max_age_seconds: int
) -> ZoomSeat:
    """The app and circle a context names, or ZoomContextRefused, the same for every reason."""
    sealed = app_context.unpack(data.context)
    if sealed is None or sealer is None:
        raise ZoomContextRefused()
    if data.client_id is not None:
        found = repository.by_client_id(session, data.client_id)
        candidates = [] if found is None else [found]
    else:
        candidates = repository.all_zoom_apps(session, TRIAL_LIMIT)
    for zoom_app in candidates:
        secret = sealer.open(zoom_app.app_id, zoom_app.sealed_secret)
        claims = None if secret is None else app_context.open_sealed(sealed, app_context.zoom_key(secret))
        if claims is None:
            continue
        context = app_context.read(claims, now, max_age_seconds, zoom_app.client_id)
        circle = None if context is None else repository.circle_bound_to(session, zoom_app.app_id, context.mid)
        if context is None or circle is None:
            break  # this app's secret opened it: no other app's will
        return ZoomSeat(app_id=zoom_app.app_id, circle_id=circle.id, context=context)
    raise ZoomContextRefused()


def seat(session: Session, target: ZoomSeat, display_name: str | None) -> tuple[Participant, str]:
    """The Zoom user's seat in the circle and a new token for it: the participant whose external_id is their
    Zoom uid (their token renewed: older sockets of theirs close 4401), or a new member, seated as the app
    would seat them (the circle's seat rules apply)."""
    app = AppPrincipal(app_id=target.app_id)
    access = enter_open_circle(session, app, target.circle_id)  # locks the circle; a closed one is 409
    if access.circle.zoom_meeting_uuid != target.context.mid:  # unbound while the request was on its way
        raise ZoomContextRefused()
    uid = target.context.uid
    holder = participant_repository.external_id_holder(session, access.circle.id, uid)
    if holder is not None:
        return participant_service.rotate_token(session, app, access.circle.id, holder.id)
    try:
        data = ParticipantCreate(display_name=display_name or DEFAULT_DISPLAY_NAME, external_id=uid)
    except ValidationError:  # a uid no external_id can be: refused as any other bad context
        raise ZoomContextRefused() from None
    return participant_service.seat(session, app, access.circle.id, data)
