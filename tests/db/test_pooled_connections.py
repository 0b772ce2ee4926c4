"""PostgreSQL's pooled connections are checked without a round trip: one the server has closed is replaced at
checkout, so the request that gets it does not fail."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from circles.db import Database, create_db_engine

pytestmark = pytest.mark.postgres

_STILL_THERE = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")


def test_a_connection_the_server_closed_is_replaced_at_checkout(migrated_postgres_url: str) -> None:
    database = Database(create_db_engine(migrated_postgres_url))
    try:
        with database.read_session() as session:
            first_backend = session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        admin = sa.create_engine(migrated_postgres_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:  # as a restart or an idle timeout would
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": first_backend})
            # pg_terminate_backend only signals; the backend says goodbye on its socket as it exits
            gone_by = time.monotonic() + 10
            while connection.execute(_STILL_THERE, {"pid": first_backend}).scalar_one():
                assert time.monotonic() < gone_by, "the terminated backend did not exit"
                time.sleep(0.01)
        admin.dispose()

        with database.write_session() as session:
            backend = session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        assert backend != first_backend
    finally:
        database.dispose()


def test_a_connection_still_open_is_kept(migrated_postgres_url: str) -> None:
    database = Database(create_db_engine(migrated_postgres_url))
    try:
        backends = set()
        for _ in range(3):
            with database.read_session() as session:
                backends.add(session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())
        assert len(backends) == 1
    finally:
        database.dispose()


def test_a_connection_that_comes_back_after_dispose_is_closed(migrated_postgres_url: str) -> None:
    """A session still open when the app shuts down (a thread finishing its work) gives its connection back to
    a disposed pool: it is closed then, not left open for the garbage collector to find."""
    database = Database(create_db_engine(migrated_postgres_url))
    with database.read_session() as session:
        driver_connection = session.connection().connection.driver_connection
        backend = session.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
        database.dispose()  # while this session still holds its connection
        assert not driver_connection.closed
    assert driver_connection.closed

    with database.write_session() as session:  # and one opened after the dispose is closed as it comes back
        late_connection = session.connection().connection.driver_connection
    assert late_connection.closed

    admin = sa.create_engine(migrated_postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            gone_by = time.monotonic() + 10
            while connection.execute(_STILL_THERE, {"pid": backend}).scalar_one():
                assert time.monotonic() < gone_by, "the backend of the returned connection is still there"
                time.sleep(0.01)
    finally:
        admin.dispose()
