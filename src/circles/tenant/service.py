"""Creating apps and finding the app behind a key."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from circles.access.secrets import hash_secret, new_app_key
from circles.tenant.models import App, AppKey


def create_app_with_key(session: Session, name: str) -> tuple[App, str]:
    """A new app and its first key. The key is returned once and only its hash is kept."""
    app = App(name=name)
    key = new_app_key()
    session.add(app)
    session.flush()
    session.add(AppKey(app_id=app.id, key_hash=hash_secret(key)))
    session.flush()
    return app, key


def count_apps(session: Session) -> int:
    return session.exec(select(func.count()).select_from(App)).one()


def find_app_by_key(session: Session, key: str) -> App | None:
    statement = (
        select(App)
        .join(AppKey, col(AppKey.app_id) == col(App.id))
        .where(AppKey.key_hash == hash_secret(key), col(AppKey.revoked_at).is_(None))
    )
    return session.exec(statement).first()
