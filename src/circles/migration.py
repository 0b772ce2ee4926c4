"""Running the Alembic migrations from the package (the server migrates its database itself)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

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


def upgrade(database_url: str) -> None:
    """Migrate to the newest schema. On PostgreSQL, instances starting together take turns (an
    advisory lock), so the second finds the work done."""
    config = alembic_config(database_url)
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool, hide_parameters=True)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_lock({_MIGRATION_LOCK})")
                connection.commit()  # the lock is the session's; the migration runs in its own transaction
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
    finally:
        engine.dispose()
