"""The event loop's side of a write: take the writer turn (SQLite), read who is online, then run the write in a
worker thread, in its own unit of work (`circles.unit_of_work`). (A REST write route runs through it from
`WriteDep`, its writer turn already taken by `WriterQueue`.)
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from circles.db import Database
from circles.unit_of_work import OnlineSnapshot, UnitOfWork

T = TypeVar("T")

ReadOnline = Callable[[uuid.UUID], Awaitable[set[uuid.UUID]]]


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
