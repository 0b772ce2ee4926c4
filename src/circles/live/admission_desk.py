"""Where admissions wait for the database: two threads of their own, each taking every admission waiting
(up to a batch) when it looks, reading them together and answering the event loop once per batch.

A reconnect storm is thousands of admissions at once. Through the shared threadpool each one was a thread
woken, a capacity token taken, a read session of its own and a loop callback of its own, and forty threads
took turns with the event loop for the GIL while the loop still had handshakes to do. Here the admissions
that arrive together are read together (see circles.live.admission), and the REST requests keep the
threadpool to themselves.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from circles.live.admission import Admission, AdmissionRequest

logger = logging.getLogger(__name__)

ReadAdmissions = Callable[[Sequence[AdmissionRequest]], list[Admission | Exception]]

THREADS = 2
BATCH = 64  # admissions read together at most
SHUTDOWN_SECONDS = 5.0  # how long shutting down waits for the reads in progress


@dataclass(frozen=True, slots=True)
class _Waiting:
    request: AdmissionRequest
    answer: asyncio.Future[Admission]


Answers = list[tuple[_Waiting, Admission | BaseException]]


class AdmissionDesk:
    def __init__(self, read: ReadAdmissions, threads: int = THREADS) -> None:
        self._read = read  # circles.live.admission.admit_all, with its database
        self._threads = threads
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="circles-admission")
        self._waiting: deque[_Waiting] = deque()  # appended on the loop, taken on the threads (both atomic)
        self._working = 0  # threads taking admissions; changed on the loop only
        self._runs: list[Future[None]] = []  # the threads' work submitted; changed on the loop only
        self._closed = False

    async def admit(self, token: str, circle_id: uuid.UUID, after: int | None) -> Admission:
        """The admission, read on one of the desk's threads; raises why it was refused."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Admission] = loop.create_future()
        self._waiting.append(_Waiting(AdmissionRequest(token, circle_id, after), answer))
        if self._working < self._threads:
            self._start(loop)
        return await answer

    async def shutdown(self, timeout: float = SHUTDOWN_SECONDS) -> None:
        """Start no more reads, and wait (at most `timeout` seconds) for those in progress to finish: the app
        disposes of its database next, and a read still going then would hold a connection past it."""
        self._closed = True
        self._executor.shutdown(wait=False, cancel_futures=True)
        running = [asyncio.wrap_future(run) for run in self._runs if not run.done()]
        if not running:
            return
        _, still = await asyncio.wait(running, timeout=timeout)
        if still:
            logger.warning("%d admission reads did not finish within %.1f s of shutdown", len(still), timeout)

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        """On the loop: one more thread takes admissions."""
        self._working += 1
        self._runs = [run for run in self._runs if not run.done()]
        self._runs.append(self._executor.submit(self._work, loop))

    def _work(self, loop: asyncio.AbstractEventLoop) -> None:
        """On a desk thread: read whatever is waiting, a batch at a time, until nothing is."""
        try:
            while batch := self._take():
                try:
                    outcomes: Sequence[Admission | BaseException] = self._read([w.request for w in batch])
                    if len(outcomes) != len(batch):
                        raise RuntimeError(f"{len(outcomes)} admissions read for {len(batch)} requests")
                except Exception as error:  # the database is unreachable, say: every one of them fails with it
                    outcomes = [error] * len(batch)
                loop.call_soon_threadsafe(_settle, list(zip(batch, outcomes, strict=True)))
        finally:
            loop.call_soon_threadsafe(self._done)

    def _take(self) -> list[_Waiting]:
        batch: list[_Waiting] = []
        while len(batch) < BATCH:
            try:
                batch.append(self._waiting.popleft())
            except IndexError:
                break
        return batch

    def _done(self) -> None:
        """On the loop: a thread found nothing more to take. Anything that arrived after it looked is
        taken by a thread started now (this runs after every append it could have missed)."""
        self._working -= 1
        if self._waiting and self._working < self._threads and not self._closed:
            self._start(asyncio.get_running_loop())


def _settle(answers: Answers) -> None:
    for waiting, outcome in answers:
        if waiting.answer.done():  # its socket went away meanwhile
            continue
        if isinstance(outcome, BaseException):
            waiting.answer.set_exception(outcome)
        else:
            waiting.answer.set_result(outcome)
