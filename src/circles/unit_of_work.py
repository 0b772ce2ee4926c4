"""The unit of work: one write, from its transaction's first statement to what it hands on after the commit.

Every write takes one path, whichever way it came in (a REST request, a socket command, a deadline timer,
a change in who is online, the command line): `Database.unit_of_work` opens its session (which takes the
write lock), makes its `UnitOfWork`, commits once, rolls back if anything raises, and only after the commit
hands the outbox and the private notices on (`Database.after_commit`). What the write needs is in the unit,
given before it starts, never fetched back from the event loop by the worker thread it runs in:

- `session`, and `principal` once the write has authenticated its caller (timers act for no one);
- `now`, read from the app's clock the first time the write asks (services ask once they hold the circle's
  lock, so writes in a circle see time move in the order they commit);
- `online`, who had a live socket in the circle, read on the event loop before the write took a thread
  (after its writer turn, so on SQLite writes on one instance read it in the order they write); absence
  rounds pass over the offline and mark an offline holder away;
- `outbox` and `notices`, what it tells the hub (events; circles erased; credentials revoked) and the
  keepers' sockets (private notices) once it has committed;
- `created_id`, the object a create made, which its audit entry names.

Code that holds only the session (the services, the event log) finds its unit with `of(session)`.

`WritePath` is the event loop's side: take the writer turn (SQLite), read the online snapshot, then run the
write in a worker thread. (A REST write route runs through it from `WriteDep`, its writer turn already taken
by `WriterQueue`.)
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from circles.clock import Clock
from circles.event.outbox import Outbox
from circles.live.private import PrivateNotice

if TYPE_CHECKING:  # types only: the database and the principal both import what imports this module
    from circles.access.principal import Principal
    from circles.db import Database

T = TypeVar("T")

_KEY = "circles.unit_of_work"  # the one key a write session's `info` holds: its unit of work

ReadOnline = Callable[[uuid.UUID], Awaitable[set[uuid.UUID]]]


@dataclass(frozen=True, slots=True)
class OnlineSnapshot:
    """Who had a live socket in one circle when the write began (keepers and members at least)."""

    circle_id: uuid.UUID
    participants: frozenset[uuid.UUID]


@dataclass(eq=False)
class UnitOfWork:
    session: Session
    clock: Clock
    online: OnlineSnapshot | None = None  # None: not read (the command line); everyone counts as online
    principal: Principal | None = None
    outbox: Outbox = field(default_factory=Outbox)
    notices: list[PrivateNotice] = field(default_factory=list)
    created_id: uuid.UUID | None = None
    _now: datetime | None = field(default=None, repr=False)

    @property
    def now(self) -> datetime:
        """The moment this write acts: read from the clock at its first use, the same thereafter."""
        if self._now is None:
            self._now = self.clock.now()
        return self._now

    def online_in(self, circle_id: uuid.UUID) -> frozenset[uuid.UUID] | None:
        """Who is online in `circle_id`, if this write read it (None: everyone counts as online)."""
        if self.online is None or self.online.circle_id != circle_id:
            return None
        return self.online.participants

    def attach(self) -> UnitOfWork:
        self.session.info[_KEY] = self
        return self


def find(session: Session) -> UnitOfWork | None:
    """The unit of work `session` belongs to, if it is a write's (a read's session has none)."""
    work: UnitOfWork | None = session.info.get(_KEY)
    return work


def of(session: Session) -> UnitOfWork:
    """The unit of work `session` belongs to. Only a write's session has one."""
    work = find(session)
    if work is None:
        raise LookupError("this session is not a write's: only Database.unit_of_work's sessions are")
    return work


class WritePath:
    """Runs a write from the event loop: the writer turn, the online snapshot, then one worker thread."""

    def __init__(
        self,
        database: Database,
        read_online: ReadOnline | None = None,
        read_everyone_online: ReadOnline | None = None,
    ) -> None:
        self.database = database
        self._read_online = read_online  # keepers and members: all a write itself needs
        self._read_everyone_online = read_everyone_online  # witnesses too: for the views a socket command answers

    async def snapshot(self, circle_id: uuid.UUID | None, *, witnesses: bool = False) -> OnlineSnapshot | None:
        """Who is online in the circle now (None for no circle, or with nothing to ask). Call it on the loop,
        after the writer turn and before the write's thread."""
        read = self._read_everyone_online if witnesses else self._read_online
        if circle_id is None or read is None:
            return None
        return OnlineSnapshot(circle_id, frozenset(await read(circle_id)))

    async def run_blocking(
        self,
        circle_id: uuid.UUID,
        blocking: Callable[[OnlineSnapshot | None], T],
        *,
        witnesses: bool = False,
    ) -> T:
        """Take the writer turn, read who is online, and call `blocking` with it in a worker thread; for work
        that opens its own unit of work, or only a read session (a socket command, which may be either)."""
        async with self.database.writer_turn():
            online = await self.snapshot(circle_id, witnesses=witnesses)
            return await run_in_threadpool(blocking, online)

    async def run(
        self,
        circle_id: uuid.UUID | None,
        write: Callable[[UnitOfWork], T],
        *,
        turn_held: bool = False,
        witnesses: bool = False,
    ) -> T:
        """Run `write` in its own unit of work, in a worker thread, and return what it returned (after the
        commit). `turn_held`: the caller already holds the writer turn (a REST request's, taken by
        `WriterQueue`). `witnesses`: the snapshot names them too, for an answer that says who is online."""
        if turn_held:
            return await self._run(circle_id, write, witnesses)
        async with self.database.writer_turn():
            return await self._run(circle_id, write, witnesses)

    async def _run(self, circle_id: uuid.UUID | None, write: Callable[[UnitOfWork], T], witnesses: bool) -> T:
        online = await self.snapshot(circle_id, witnesses=witnesses)
        return await run_in_threadpool(self._in_thread, online, write)

    def _in_thread(self, online: OnlineSnapshot | None, write: Callable[[UnitOfWork], T]) -> T:
        with self.database.unit_of_work(online) as work:
            return write(work)
