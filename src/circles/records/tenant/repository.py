"""Every query about apps and their keys."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, func, select

from circles.records.tenant.models import App, AppKey


def get_app(session: Session, app_id: uuid.UUID) -> App | None:
    return session.get(App, app_id)


def all_apps(session: Session) -> list[App]:
    return list(session.exec(select(App).order_by(col(App.created_at))).all())


def count_apps(session: Session) -> int:
    return session.exec(select(func.count()).select_from(App)).one()


def keys_of(session: Session, app_id: uuid.UUID) -> list[AppKey]:
    return list(session.exec(select(AppKey).where(AppKey.app_id == app_id).order_by(col(AppKey.created_at))).all())


def locked_key(session: Session, app_id: uuid.UUID, key_id: uuid.UUID) -> AppKey | None:
    """The app's key, its row locked for this transaction (PostgreSQL: FOR UPDATE)."""
    return session.exec(select(AppKey).where(AppKey.id == key_id, AppKey.app_id == app_id).with_for_update()).first()
