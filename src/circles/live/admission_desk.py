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
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from circles.live.admission import Admission, AdmissionRequest

ReadAdmissions = Callable[[Sequence[AdmissionRequest]], list[Admission | Exception]]

THREADS = 2
BATCH = 64  # admissions read together at most


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

    async def admit(self, token: str, circle_id: uuid.UUID, after: int | None) -> Admission:
        """The admission, read on one of the desk's threads; raises why it was refused."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Admission] = loop.create_future()
        self._waiting.append(_Waiting(AdmissionRequest(token, circle_id, after), answer))
        if self._working < self._threads:
            self._working += 1
            self._executor.submit(self._work, loop)
        return await answer

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

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
        if self._waiting and self._working < self._threads:
            self._working += 1
            self._executor.submit(self._work, asyncio.get_running_loop())


def _settle(answers: Answers) -> None:
    for waiting, outcome in answers:
        if waiting.answer.done():  # its socket went away meanwhile
            continue
        if isinstance(outcome, BaseException):
            waiting.answer.set_exception(outcome)
        else:
            waiting.answer.set_result(outcome)
