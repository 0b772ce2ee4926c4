"""Where admissions wait for a database thread: a few threads of their own, each taking every admission
waiting when it looks, and answering the event loop once per handful instead of once each.

A reconnect storm is thousands of admissions at once. Through the shared threadpool each one was a thread
woken, a capacity token taken and a loop callback of its own, and forty threads took turns with the event
loop for the GIL while the loop still had handshakes to do. Here two threads do all the admissions (a read
is a few hundred microseconds of Python, most of it under the GIL, so more threads would only wait for it),
and the REST requests keep the threadpool to themselves.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from circles.live.admission import Admission

ReadAdmission = Callable[[str, uuid.UUID, int | None, datetime], Admission]

THREADS = 2
ANSWER_EVERY = 16  # admissions a thread answers together (and at once, when no more are waiting)


@dataclass(frozen=True, slots=True)
class _Waiting:
    token: str
    circle_id: uuid.UUID
    after: int | None
    now: datetime
    answer: asyncio.Future[Admission]


class AdmissionDesk:
    def __init__(self, read: ReadAdmission, threads: int = THREADS) -> None:
        self._read = read  # circles.live.admission.admit, with its database
        self._threads = threads
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="circles-admission")
        self._waiting: deque[_Waiting] = deque()  # appended on the loop, taken on the threads (both atomic)
        self._working = 0  # threads taking admissions; changed on the loop only

    async def admit(self, token: str, circle_id: uuid.UUID, after: int | None, now: datetime) -> Admission:
        """The admission, read on one of the desk's threads; raises what the read raised."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[Admission] = loop.create_future()
        self._waiting.append(_Waiting(token, circle_id, after, now, answer))
        if self._working < self._threads:
            self._working += 1
            self._executor.submit(self._work, loop)
        return await answer

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _work(self, loop: asyncio.AbstractEventLoop) -> None:
        """On a desk thread: admit whatever is waiting until nothing is, answering in handfuls."""
        answers: list[tuple[_Waiting, Admission | BaseException]] = []
        try:
            while True:
                try:
                    waiting = self._waiting.popleft()
                except IndexError:
                    break
                try:
                    answers.append((waiting, self._read(waiting.token, waiting.circle_id, waiting.after, waiting.now)))
                except Exception as error:  # the admission's own answer: Unauthenticated, CircleNotFound...
                    answers.append((waiting, error))
                if len(answers) >= ANSWER_EVERY:
                    loop.call_soon_threadsafe(_settle, answers)
                    answers = []
        finally:
            loop.call_soon_threadsafe(self._done, answers)

    def _done(self, answers: list[tuple[_Waiting, Admission | BaseException]]) -> None:
        """On the loop: a thread found nothing more to take. Anything that arrived after it looked is
        taken by a thread started now (this runs after every append it could have missed)."""
        _settle(answers)
        self._working -= 1
        if self._waiting and self._working < self._threads:
            self._working += 1
            self._executor.submit(self._work, asyncio.get_running_loop())


def _settle(answers: list[tuple[_Waiting, Admission | BaseException]]) -> None:
    for waiting, outcome in answers:
        if waiting.answer.done():  # its socket went away meanwhile
            continue
        if isinstance(outcome, BaseException):
            waiting.answer.set_exception(outcome)
        else:
            waiting.answer.set_result(outcome)
