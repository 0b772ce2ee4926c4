"""Circles: create, read, change, close and erase. Every change is logged as an event."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from circles import unit_of_work
from circles.access.principal import Principal, enter_circle, enter_open_circle, require_app
from circles.audit.repository import note_created
from circles.breakout import service as breakout_service
from circles.circle.views import circle_view
from circles.event import log as event_log
from circles.event.payloads import CircleData, EventName
from circles.idempotency import repository as idempotency_repository
from circles.pagination import decode_time_cursor, encode_time_cursor
from circles.records.circle import repository
from circles.records.circle.models import Circle, CircleCreate, CircleStatus, CircleUpdate
from circles.round import service as round_service
from circles.zoom import service as zoom_service


def create(session: Session, principal: Principal, data: CircleCreate) -> Circle:
    app = require_app(principal)
    circle = Circle.model_validate(data, update={"app_id": app.app_id})
    zoom_service.require_unbound(session, app.app_id, circle.zoom_meeting_uuid, circle.id)
    session.add(circle)
    session.flush()
    note_created(session, circle.id)
    return circle


def page(session: Session, principal: Principal, cursor: str | None, limit: int) -> tuple[list[Circle], str | None]:
    app = require_app(principal)
    after = decode_time_cursor(cursor) if cursor is not None else None
    circles = repository.page_for_app(session, app.app_id, after, limit + 1)
    if len(circles) <= limit:
        return circles, None
    last = circles[limit - 1]
    return circles[:limit], encode_time_cursor(last.created_at, last.id)


def get(session: Session, principal: Principal, circle_id: uuid.UUID) -> Circle:
    return enter_circle(session, principal, circle_id).circle


def update(session: Session, principal: Principal, circle_id: uuid.UUID, data: CircleUpdate) -> Circle:
    access = enter_open_circle(session, principal, circle_id)
    now = unit_of_work.of(session).now
    access.require_keeper()
    circle = access.circle
    changes = data.model_dump(exclude_unset=True)
    if not changes:
        return circle
    if "zoom_meeting_uuid" in changes:
        zoom_service.require_unbound(session, circle.app_id, changes["zoom_meeting_uuid"], circle.id)
    if "agreements" in changes and changes["agreements"] != circle.agreements:
        circle.agreements_version += 1  # everyone accepts again before they next hold the piece
    for name, value in changes.items():
        setattr(circle, name, value)
    session.add(circle)
    event_log.append(session, circle, EventName.CIRCLE_UPDATED, CircleData(circle=circle_view(circle)), now)
    return circle


def close(session: Session, principal: Principal, circle_id: uuid.UUID) -> Circle:
    """End the round in progress, close the circle; the hub then closes its live connections."""
    access = enter_open_circle(session, principal, circle_id)
    now = unit_of_work.of(session).now
    access.require_keeper()
    circle = access.circle
    round_service.close_round(session, circle, now)
    breakout_service.close_breakout(session, circle, now)
    circle.status = CircleStatus.CLOSED
    circle.closed_at = now
    session.add(circle)
    event_log.append(session, circle, EventName.CIRCLE_CLOSED, CircleData(circle=circle_view(circle)), now)
    return circle


def erase(session: Session, principal: Principal, circle_id: uuid.UUID) -> None:
    """Erase the circle and everything in it: participants, rounds, turns, its event log and the answers
    kept for its Idempotency-Key retries."""
    require_app(principal)
    access = enter_circle(session, principal, circle_id, lock=True)
    idempotency_repository.forget_circle(session, access.circle.id)  # the answers kept for retries
    repository.erase(session, access.circle.id)
    event_log.note_erased(session, access.circle.id)
