"""Every query about apps' Zoom Apps, and the circle a Zoom meeting is bound to."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from circles.records.circle.models import Circle
from circles.records.zoom.models import ZoomApp


def get(session: Session, app_id: uuid.UUID) -> ZoomApp | None:
    return session.get(ZoomApp, app_id)


def by_client_id(session: Session, client_id: str) -> ZoomApp | None:
    return session.exec(select(ZoomApp).where(ZoomApp.client_id == client_id)).first()


def all_zoom_apps(session: Session, limit: int) -> list[ZoomApp]:
    """Every app's Zoom App, up to `limit`, oldest first (a context that names no client id tries each)."""
    return list(session.exec(select(ZoomApp).order_by(col(ZoomApp.set_at), col(ZoomApp.app_id)).limit(limit)).all())


def circle_bound_to(session: Session, app_id: uuid.UUID, meeting_uuid: str) -> Circle | None:
    """The app's circle bound to this Zoom meeting, if any (at most one: unique per app)."""
    return session.exec(select(Circle).where(Circle.app_id == app_id, Circle.zoom_meeting_uuid == meeting_uuid)).first()
