"""The admission desk: every admission is answered, with its own result or error, by at most its few
threads, including admissions that arrive while a thread is deciding it has nothing more to do."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from datetime import UTC, datetime

import pytest

from circles.errors import Unauthenticated
from circles.live.admission import Admission
from circles.live.admission_desk import AdmissionDesk
from circles.live.catch_up import CatchUp

CIRCLE = uuid.uuid4()
NOW = datetime(2026, 11, 25, tzinfo=UTC)


def admission(seq: int) -> Admission:
    return Admission(participant_id=None, role="app", catch_up=CatchUp(seq=seq, events=[], witnesses=0))


def test_a_burst_is_answered_each_with_its_own_result_by_the_desks_threads_only() -> None:
    threads_seen: set[str] = set()

    def read(token: str, circle_id: uuid.UUID, after: int | None, now: datetime) -> Admission:
        threads_seen.add(threading.current_thread().name)
        time.sleep(0.0005)
        if token == "bad":
            raise Unauthenticated()
        assert after is not None
        return admission(after)

    async def burst() -> None:
        desk = AdmissionDesk(read, threads=2)
        try:
            tokens = ["bad" if n % 7 == 0 else "good" for n in range(500)]
            results = await asyncio.gather(
                *(desk.admit(token, CIRCLE, n, NOW) for n, token in enumerate(tokens)), return_exceptions=True
            )
        finally:
            desk.shutdown()
        for n, result in enumerate(results):
            if n % 7 == 0:
                assert isinstance(result, Unauthenticated)
            else:
                assert isinstance(result, Admission) and result.catch_up.seq == n
        assert 1 <= len(threads_seen) <= 2
        assert all(name.startswith("circles-admission") for name in threads_seen)

    asyncio.run(asyncio.wait_for(burst(), timeout=30))


def test_admissions_that_trickle_in_while_threads_come_and_go_are_all_answered() -> None:
    def read(token: str, circle_id: uuid.UUID, after: int | None, now: datetime) -> Admission:
        return admission(after or 0)

    async def trickle() -> None:
        desk = AdmissionDesk(read, threads=1)
        try:
            pending = []
            for n in range(300):
                pending.append(asyncio.ensure_future(desk.admit("t", CIRCLE, n, NOW)))
                await asyncio.sleep(0 if n % 3 else 0.001)  # now and then, long enough for the thread to stop
            results = await asyncio.gather(*pending)
        finally:
            desk.shutdown()
        assert [r.catch_up.seq for r in results] == list(range(300))

    asyncio.run(asyncio.wait_for(trickle(), timeout=30))


def test_an_admission_whose_socket_went_away_does_not_stop_the_others() -> None:
    release = threading.Event()

    def read(token: str, circle_id: uuid.UUID, after: int | None, now: datetime) -> Admission:
        release.wait(5)
        return admission(after or 0)

    async def cancelled() -> None:
        desk = AdmissionDesk(read, threads=1)
        try:
            gone = asyncio.ensure_future(desk.admit("t", CIRCLE, 1, NOW))
            staying = asyncio.ensure_future(desk.admit("t", CIRCLE, 2, NOW))
            await asyncio.sleep(0.01)
            gone.cancel()
            release.set()
            assert (await staying).catch_up.seq == 2
            with pytest.raises(asyncio.CancelledError):
                await gone
        finally:
            desk.shutdown()

    asyncio.run(asyncio.wait_for(cancelled(), timeout=30))
