"""SQLite's durability is a setting (CIRCLES_SQLITE_SYNCHRONOUS): the pragma in effect on the app's
connections is the one asked for, FULL unless told otherwise, and a value it does not know stops startup."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from circles.app import create_app
from circles.cli import main
from circles.db import Database
from tests.conftest import make_settings

PRAGMA_VALUES = {"normal": 1, "full": 2}  # what `PRAGMA synchronous` answers


def synchronous_in_effect(database: Database) -> int:
    with database.write_session() as session:
        return int(session.execute(sa.text("PRAGMA synchronous")).scalar_one())


@pytest.mark.parametrize("setting", ["full", "normal"])
def test_the_apps_connections_use_the_setting(sqlite_url: str, setting: str) -> None:
    with TestClient(create_app(make_settings(sqlite_url, sqlite_synchronous=setting))) as client:
        assert synchronous_in_effect(client.app.state.database) == PRAGMA_VALUES[setting]  # type: ignore[attr-defined]


def test_full_unless_told_otherwise(sqlite_url: str) -> None:
    with TestClient(create_app(make_settings(sqlite_url))) as client:
        assert synchronous_in_effect(client.app.state.database) == PRAGMA_VALUES["full"]  # type: ignore[attr-defined]


def test_an_unknown_value_stops_startup_and_says_why(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    monkeypatch.setenv("CIRCLES_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CIRCLES_SQLITE_SYNCHRONOUS", "off")
    with pytest.raises(SystemExit) as stopped:
        main(["migrate"])
    message = str(stopped.value.code)
    assert "sqlite_synchronous" in message
    assert "'full' or 'normal'" in message
