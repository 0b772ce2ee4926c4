"""The database: the engine, and the sessions requests and timers use (the tables' shared rules are in
`circles.schema`).

A write session takes the write lock when it begins (SQLite: BEGIN IMMEDIATE; PostgreSQL: the services
lock the circle row), commits once at the end, and only then hands what it recorded to the hub.

SQLite has one writer. Writers started from the event loop (write requests, socket commands, deadline
timers) queue for it in `Database.writer_turn()` *before* they take a threadpool thread, so a burst of writes
waits on the loop instead of in SQLite's busy handler (which gives up after its timeout) or in threads that
the current writer then lacks. PostgreSQL locks rows, so there writers are not queued.

Every /v1 request also takes one of `request_slots` on the event loop, before its first thread trip, and
keeps it until its answer is sent: a request may hold its pooled connection across several threadpool trips
(the session dependency, authentication, the route, the session's teardown), so the pool keeps
RESERVED_CONNECTIONS more than there are slots for work that takes and gives back its connection within one
trip. A thread then never waits for a connection that only a thread-less request could give back (see
docs/decisions.md, "Database slots").
"""

from __future__ import annotations

import asyncio
import select
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool
from sqlmodel import Session

from circles.clock import Clock, SystemClock
from circles.metrics.instruments import WRITER_QUEUE_DEPTH
from circles.unit_of_work import OnlineSnapshot, UnitOfWork

WRITE_OPTION = "circles_write"


def create_db_engine(url: str, sqlite_synchronous: str = "full") -> Engine:
    """An engine for `url`, tuned for SQLite's single writer when the URL is SQLite.

    `sqlite_synchronous` is SQLite's `PRAGMA synchronous` (`full` or `normal`; see docs/decisions.md): with
    WAL, `full` syncs the log at every commit, so a commit that answered survives a power loss; `normal` syncs
    only at checkpoints, so the last commits before a power loss (not a crash of the process) can be lost."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=ClosingPool,
            pool_size=40,
            max_overflow=8,
            hide_parameters=True,  # an error's log line never carries a statement's values (names, token hashes)
        )  # as many kept open as the threadpool has threads: opening one (and its pragmas) costs more than a query
        # (40 + 8 = 48 connections: 40 request slots, as many as the threadpool's threads, and 8 reserved)
        _tune_sqlite(engine, SQLITE_SYNCHRONOUS[sqlite_synchronous])
        return engine
    engine = sa.create_engine(
        url,
        poolclass=ClosingPool,
        pool_size=10,
        max_overflow=20,
        pool_recycle=RECYCLE_SECONDS,
        hide_parameters=True,  # as above
    )  # 22 slots, 8 reserved
    _drop_closed_on_checkout(engine)
    return engine


class ClosingPool(QueuePool):
    """A QueuePool that, once disposed, closes each connection given back to it rather than keeping it.

    `QueuePool.dispose` closes the connections idle in the pool. One given back a moment later (a thread
    finishing its work as the app shuts down, past the `checkin` event's look at `Database._disposed` and
    not yet back in the queue) was put in the emptied, discarded pool and stayed open there until the
    garbage collector found it; psycopg then warned that it was deleted while still open, in whichever
    test ran then. Here "disposed yet?" and "back in the queue" are one step under a lock that `dispose`
    also takes, so no connection gets back in after the pool was emptied."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._giving_back = threading.Lock()
        self._disposed = False

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        with self._giving_back:
            if not self._disposed:
                super()._do_return_conn(record)
                return
        record.close()

    def dispose(self) -> None:
        with self._giving_back:
            self._disposed = True
        super().dispose()


# A pooled PostgreSQL connection is checked without a round trip (pool_pre_ping's SELECT 1 was one of the
# fourteen a command cost): when the server has closed it (a restart, pg_terminate_backend, an idle timeout),
# what it sent as it went (its FATAL message, then end of file) is waiting on the socket, which an idle
# connection's never has otherwise; the pool then opens a new one. A connection that dies between the check
# and its use fails that one request; SQLAlchemy sees the disconnect and the pool drops every connection
# opened before it. pool_recycle replaces connections hourly, so none outlives a silently dropped route.
RECYCLE_SECONDS = 3600


def _drop_closed_on_checkout(engine: Engine) -> None:
    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if _closed_by_server(dbapi_connection):
            raise sa.exc.DisconnectionError("the server closed this pooled connection")


def _closed_by_server(connection: Any) -> bool:
    """Whether an idle connection is closed, or has something to read (which only a closing server sends)."""
    if connection.closed or connection.broken:
        return True
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN)  # POLLHUP and POLLERR are reported whatever is asked
    return bool(poller.poll(0))


SQLITE_SYNCHRONOUS = {"full": "FULL", "normal": "NORMAL"}


def _tune_sqlite(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see do_begin below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")  # one of SQLITE_SYNCHRONOUS's values
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def do_begin(connection: sa.Connection) -> None:
        # A writer takes the write lock up front: upgrading a read transaction later can fail outright
        # under WAL when another writer committed in between. Readers get a consistent snapshot.
        immediate = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def sent_together(session: Session) -> Iterator[None]:
    """Statements whose results are not read (INSERT, UPDATE, DELETE), sent to PostgreSQL in one round trip
    when the block ends (psycopg's pipeline mode) rather than one each; elsewhere, as they come.

    Nothing in the block may read a statement's rows or count: in pipeline mode they are not there yet. An
    error in any statement is raised when the block ends, and the transaction fails as it would have."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    driver_connection = session.connection().connection.driver_connection
    assert driver_connection is not None  # None only once the connection is closed; this one is in use
    with driver_connection.pipeline():
        yield


# Connections a request never takes: for work that checks one out and gives it back within a single thread trip
# (socket commands, deadlines, authentication lookups, the hub's reads, /readyz). Request slots are the rest.
RESERVED_CONNECTIONS = 8
# A request that has waited this long for a slot means requests cannot get a connection: /readyz says 503.
STARVED_AFTER_SECONDS = 5.0


def pool_capacity(engine: Engine) -> int | None:
    """How many connections the engine's pool may have open at once (None: no limit)."""
    pool = engine.pool
    if isinstance(pool, sa.pool.QueuePool):
        return pool.size() + max(0, pool._max_overflow)
    return None


class Database:
    """Owns the engine and the clock, and hands out sessions. `after_commit` receives each write's unit of
    work once it has committed (its outbox and private notices, for the hub)."""

    def __init__(
        self,
        engine: Engine,
        after_commit: Callable[[UnitOfWork], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.engine = engine
        self.after_commit = after_commit
        self.clock: Clock = clock or SystemClock()
        self._one_writer = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        self.writer_turns = 0  # how many writer turns were taken (SQLite), for tests and diagnostics
        capacity = pool_capacity(engine)
        self.request_slots = max(1, capacity - RESERVED_CONNECTIONS) if capacity is not None else None
        self._slots = asyncio.Semaphore(self.request_slots) if self.request_slots is not None else None
        self._slot_waiters: dict[object, float] = {}  # who waits for a slot, since when (monotonic)
        self._disposed = False
        event.listen(engine, "checkin", self._close_if_disposed)

    @asynccontextmanager
    async def writer_turn(self) -> AsyncIterator[None]:
        """Wait on the event loop for this process's turn to write (SQLite only; first come, first served).
        Hold it around the whole write, from before its thread is taken until after its commit; never take
        it twice in one task."""
        if self._one_writer is None:
            yield
            return
        WRITER_QUEUE_DEPTH.inc()
        try:
            await self._one_writer.acquire()
        finally:
            WRITER_QUEUE_DEPTH.dec()
        try:
            self.writer_turns += 1
            yield
        finally:
            self._one_writer.release()

    @asynccontextmanager
    async def request_slot(self) -> AsyncIterator[None]:
        """Wait on the event loop (holding no thread and no connection) for one of the request slots, and hold
        it while the request runs. A writer takes its writer turn first, so writers queued for the one writer
        hold no slot readers need. Never take it twice in one task."""
        if self._slots is None:
            yield
            return
        waiter = object()
        self._slot_waiters[waiter] = time.monotonic()
        try:
            await self._slots.acquire()
        finally:
            del self._slot_waiters[waiter]
        try:
            yield
        finally:
            self._slots.release()

    def longest_slot_wait(self) -> float:
        """Seconds the longest-waiting request has waited for a slot (0.0 when none waits)."""
        if not self._slot_waiters:
            return 0.0
        return max(0.0, time.monotonic() - min(self._slot_waiters.values()))

    def pool_exhausted(self) -> bool:
        """Whether every connection the pool may open is checked out (a checkout would have to wait)."""
        capacity = pool_capacity(self.engine)
        pool = self.engine.pool
        return capacity is not None and isinstance(pool, sa.pool.QueuePool) and pool.checkedout() >= capacity

    def starved(self) -> bool:
        """Requests cannot get a connection now: the pool is exhausted, or a request has waited for a slot for
        longer than STARVED_AFTER_SECONDS."""
        return self.pool_exhausted() or self.longest_slot_wait() > STARVED_AFTER_SECONDS

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A read-only session that sees one consistent moment (a snapshot is "as of" its seq)."""
        with Session(self.engine, expire_on_commit=False) as session:
            if self.engine.dialect.name != "sqlite":
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def unit_of_work(self, online: OnlineSnapshot | None = None) -> Iterator[UnitOfWork]:
        """The one way to write (see `circles.unit_of_work`): commit once if the block succeeds, roll back
        if it raises; then hand on what it recorded. Blocking: run it in a worker thread."""
        with Session(self.engine, expire_on_commit=False) as session:
            session.connection(execution_options={WRITE_OPTION: True})
            work = UnitOfWork(session, self.clock, online).attach()
            try:
                yield work
                session.commit()
            except BaseException:
                session.rollback()
                raise
        if self.after_commit is not None:
            self.after_commit(work)

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A unit of work that read no one online (the command line, tests): its session."""
        with self.unit_of_work() as work:
            yield work.session

    def dispose(self) -> None:
        """Close the pooled connections, and from now on every connection as it comes back.

        A pool's `dispose` closes only the connections idle in it. One still checked out (a thread of the
        threadpool or the admission desk, a gap fill, finishing as the app shuts down) would come back to the
        discarded pool and stay open there until the garbage collector found it (psycopg then warns that the
        connection was deleted while still open), and its server backend would live until then."""
        self._disposed = True
        self.engine.dispose()

    def _close_if_disposed(self, _dbapi_connection: Any, record: Any) -> None:
        if self._disposed:
            record.close()
