"""PostgreSQL's pooled connections are checked without a round trip: one the server has closed is replaced at
checkout, so the request that gets it does not fail."""

from __future__ import annotations

import gc
import threading
import time
import warnings
from typing import Any

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


def test_a_connection_given_back_as_the_pool_is_disposed_is_closed(migrated_postgres_url: str) -> None:
    """A thread giving its connection back while the app disposes the engine (past the check for a disposed
    pool, not yet back in the pool as the pool is emptied) has it closed all the same: it is never left in the
    discarded pool, where only the garbage collector would find it (psycopg then warns 'deleted while still
    open', failing whichever test runs then)."""
    database = Database(create_db_engine(migrated_postgres_url))
    checked_in, disposed = threading.Event(), threading.Event()

    def hold_the_checkin(_dbapi_connection: object, _record: object) -> None:
        if threading.current_thread() is not threading.main_thread():
            checked_in.set()
            assert disposed.wait(10)  # the dispose happens here, between the checkin's events and its return

    sa.event.listen(database.engine, "checkin", hold_the_checkin)
    connections: list[Any] = []

    def work() -> None:
        with database.read_session() as session:
            connections.append(session.connection().connection.driver_connection)

    worker = threading.Thread(target=work)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        worker.start()
        assert checked_in.wait(10)
        database.dispose()
        disposed.set()
        worker.join(10)
        assert not worker.is_alive()
        assert connections[0].closed
        connections.clear()  # the last reference: what the collector finds next is all that is left
        gc.collect()
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []
