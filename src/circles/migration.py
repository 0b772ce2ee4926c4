"""Running the Alembic migrations from the package (the server migrates its database itself)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event

import circles


def migrations_dir() -> Path:
    """Where the migration scripts are: inside the installed package, or at the top of a checkout."""
    package = Path(circles.__file__).resolve().parent
    for candidate in (package / "migrations", package.parent.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError("the Alembic migrations are missing from this installation")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


_MIGRATION_LOCK = 7_251_000_1  # PostgreSQL advisory lock: one instance migrates at a time
_SQLITE_WAIT_SECONDS = 120  # how long an instance waits for another's migration (SQLite's busy timeout)

T = TypeVar("T")


def upgrade(database_url: str, then: Callable[[sa.Connection], T] | None = None) -> T | None:
    """Migrate to the newest schema, then run `then` (if given) in the same transaction and return what it
    returns: `circles serve` creates the first app there.

    Instances starting together take turns, so the second finds the work done (and the first app made):
    on PostgreSQL an advisory lock is held around the whole; on SQLite the migration holds the database's
    write lock (BEGIN IMMEDIATE) from its first statement to its commit."""
    config = alembic_config(database_url)
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        _begin_immediately(engine)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_lock({_MIGRATION_LOCK})")
                connection.commit()  # the lock is the session's; it is let go when the connection closes
            with connection.begin():  # Alembic runs inside this transaction (it sees it as the caller's)
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                return then(connection) if then is not None else None
    finally:
        engine.dispose()


def _begin_immediately(engine: sa.Engine) -> None:
    """SQLite: every transaction on `engine` takes the write lock at once, DDL included (pysqlite would
    otherwise run CREATE TABLE outside any transaction, and two instances would both create each table)."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy, not pysqlite, begins transactions (below)
        dbapi_connection.execute(f"PRAGMA busy_timeout={_SQLITE_WAIT_SECONDS * 1000}")
        # WAL before any lock is held: the server's own connections set it too (circles.db), and turning a
        # database into WAL needs it unlocked, which it is not while another instance's migration runs.
        dbapi_connection.execute("PRAGMA journal_mode=WAL")

    @event.listens_for(engine, "begin")
    def on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
