"""Apps and their keys: create, add, rotate and revoke keys."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from circles import unit_of_work
from circles.access.secrets import hash_secret, new_app_key
from circles.audit.repository import note_created
from circles.event import log as event_log
from circles.records.tenant import repository
from circles.records.tenant.models import App, AppKey
from circles.tenant.errors import AppKeyNotFound, AppNotFound, LastAppKey


def create_app_with_key(session: Session, name: str) -> tuple[App, str]:
    """A new app and its first key. The key is returned once and only its hash is kept."""
    app = App(name=name)
    key = new_app_key()
    session.add(app)
    session.flush()
    session.add(AppKey(app_id=app.id, key_hash=hash_secret(key)))
    session.flush()
    return app, key


FIRST_APP_NAME = "default"


def create_first_app(session: Session) -> str | None:
    """The first app, `default`, and its key (returned once), when the database has no app yet; else None.

    `circles serve` calls this under the migration's lock (see circles.migration.upgrade), so instances
    starting together on a fresh database make one first app between them, not one each."""
    if repository.count_apps(session) > 0:
        return None
    _app, key = create_app_with_key(session, FIRST_APP_NAME)
    return key


def add_key(session: Session, app_id: uuid.UUID) -> tuple[AppKey, str]:
    """Another key for the app (to rotate: add one, move over, revoke the old). Shown once."""
    key = new_app_key()
    app_key = AppKey(app_id=app_id, key_hash=hash_secret(key))
    session.add(app_key)
    session.flush()
    note_created(session, app_key.id)
    return app_key, key


def revoke_key(session: Session, app_id: uuid.UUID, key_id: uuid.UUID) -> AppKey:
    """Revoke one of the app's keys: it stops working at once, and sockets opened with it are closed.
    The app's last active key cannot be revoked (nothing could make a new one but the CLI)."""
    app_key = repository.locked_key(session, app_id, key_id)
    if app_key is None:
        raise AppKeyNotFound()
    if app_key.revoked_at is not None:
        return app_key
    active = [k for k in repository.keys_of(session, app_id) if k.revoked_at is None]
    if len(active) <= 1:
        raise LastAppKey()
    app_key.revoked_at = unit_of_work.of(session).now
    session.add(app_key)
    event_log.note_revoked(session, app_key.key_hash)
    return app_key


def rotate_keys(session: Session, app_id: uuid.UUID) -> str:
    """A new key for the app, and every other key of it revoked. Returns the new key, shown once."""
    if repository.get_app(session, app_id) is None:
        raise AppNotFound()
    new_key, key = add_key(session, app_id)
    for app_key in repository.keys_of(session, app_id):
        if app_key.id != new_key.id and app_key.revoked_at is None:
            revoke_key(session, app_id, app_key.id)
    return key
