"""Running the Alembic migrations from the package (the server migrates its database itself)."""

from __future__ import annotations

from pathlib import Path

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


def upgrade(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")
