"""Shared fixtures: a migrated database per test (SQLite copied from one migrated template, or a fresh
PostgreSQL database), the app in-process, and an app key."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from circles.app import create_app
from circles.cli import create_app_key
from circles.migration import upgrade
from circles.settings import Settings
from tests.failure_guard import watch_for_server_failures

POSTGRES_ENV = "CIRCLES_TEST_DATABASE_URL"
REDIS_ENV = "CIRCLES_TEST_REDIS_URL"
REQUIRE_SERVICES_ENV = "CIRCLES_REQUIRE_SERVICES"


# The families that take minutes: the bench's own runs, several server processes with PostgreSQL and Redis, the
# browser, the command line's walkthroughs, the client libraries (whose first run installs their generators
# from PyPI and npm). `pytest -m "not slow"` runs the rest (README, "Run the tests").
SLOW_FAMILIES = ("bench", "scale", "browser", "cli", "clients")
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        family = item.path.relative_to(TESTS).parts[0]
        if family in SLOW_FAMILIES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def no_server_failures(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fails the test if a server it ran answered a 5xx or logged a traceback (tests/failure_guard.py)."""
    with watch_for_server_failures(request.node, monkeypatch):
        yield


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated once; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "circles.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "circles.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


def service_url(variable: str, what: str) -> str:
    """The URL of a real service to test against, from the environment. Unset: the test is skipped,
    unless CIRCLES_REQUIRE_SERVICES is set (as .ci/run does), when it fails instead."""
    url = os.environ.get(variable)
    if not url:
        if os.environ.get(REQUIRE_SERVICES_ENV):
            pytest.fail(f"{variable} is unset but {REQUIRE_SERVICES_ENV} says the {what} tests must run")
        pytest.skip(f"{variable} is unset: no {what} to test against")
    return url


def _postgres_admin_url() -> str:
    return service_url(POSTGRES_ENV, "PostgreSQL")


@pytest.fixture
def redis_url() -> str:
    """The machine's Redis (CIRCLES_TEST_REDIS_URL). Tests keep to keys under a prefix of their own."""
    return service_url(REDIS_ENV, "Redis")


@contextmanager
def _postgres_database(template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (empty, or a copy of `template`), dropped afterwards."""
    admin_url = sa.make_url(_postgres_admin_url())
    name = f"circles_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:  # disposed whatever fails: a pooled connection left open fails a later test with psycopg's warning
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        try:
            yield admin_url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test."""
    with _postgres_database() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """One PostgreSQL database migrated once; tests get copies of it (CREATE DATABASE ... TEMPLATE)."""
    with _postgres_database() as url:
        upgrade(url)
        yield sa.make_url(url).database or ""


@pytest.fixture
def migrated_postgres_url(postgres_template: str) -> Iterator[str]:
    with _postgres_database(template=postgres_template) as url:
        yield url


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


def make_settings(database_url: str, **overrides: object) -> Settings:
    return Settings(database_url=database_url, deadline_sweep_seconds=0.5, **overrides)  # type: ignore[arg-type]


def new_app_key(database_url: str, name: str = "test app") -> str:
    key = create_app_key(make_settings(database_url), name)
    assert key is not None
    return key


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database_url))) as test_client:
        yield test_client


@pytest.fixture
def app_key(database_url: str) -> str:
    return new_app_key(database_url)


@pytest.fixture
def other_app_key(database_url: str) -> str:
    return new_app_key(database_url, "another app")
