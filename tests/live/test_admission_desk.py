"""The admission desk: every admission is answered, with its own result or refusal, by at most its few
threads, in batches, including admissions that arrive while a thread is deciding it has nothing more to do."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Sequence

import pytest

from circles.errors import Unauthenticated
from circles.live.admission import Admission, AdmissionRequest
from circles.live.admission_desk import BATCH, AdmissionDesk
from circles.live.catch_up import CatchUp

CIRCLE = uuid.uuid4()


def admission(seq: int) -> Admission:
    return Admission(participant_id=None, role="app", catch_up=CatchUp(seq=seq, events=[], witnesses=0))


def answer(request: AdmissionRequest) -> Admission | Exception:
    return Unauthenticated() if request.token == "bad" else admission(request.after or 0)


def test_a_burst_is_answered_each_with_its_own_result_in_batches_by_the_desks_threads_only() -> None:
    threads_seen: set[str] = set()
    batch_sizes: list[int] = []

    def read(requests: Sequence[AdmissionRequest]) -> list[Admission | Exception]:
        threads_seen.add(threading.current_thread().name)
        batch_sizes.append(len(requests))
        time.sleep(0.002)
        return [answer(r) for r in requests]

    async def burst() -> None:
        desk = AdmissionDesk(read, threads=2)
        try:
            tokens = ["bad" if n % 7 == 0 else "good" for n in range(500)]
            results = await asyncio.gather(
                *(desk.admit(token, CIRCLE, n) for n, token in enumerate(tokens)), return_exceptions=True
            )
        finally:
            await desk.shutdown()
        for n, result in enumerate(results):
            if n % 7 == 0:
                assert isinstance(result, Unauthenticated)
            else:
                assert isinstance(result, Admission) and result.catch_up.seq == n
        assert 1 <= len(threads_seen) <= 2
        assert all(name.startswith("circles-admission") for name in threads_seen)
        assert max(batch_sizes) == BATCH and sum(batch_sizes) == 500  # read together, each once

    asyncio.run(asyncio.wait_for(burst(), timeout=30))


def test_admissions_that_trickle_in_while_threads_come_and_go_are_all_answered() -> None:
    def read(requests: Sequence[AdmissionRequest]) -> list[Admission | Exception]:
        return [answer(r) for r in requests]

    async def trickle() -> None:
        desk = AdmissionDesk(read, threads=1)
        try:
            pending = []
            for n in range(300):
                pending.append(asyncio.ensure_future(desk.admit("t", CIRCLE, n)))
                await asyncio.sleep(0 if n % 3 else 0.001)  # now and then, long enough for the thread to stop
            results = await asyncio.gather(*pending)
        finally:
            await desk.shutdown()
        assert [r.catch_up.seq for r in results] == list(range(300))

    asyncio.run(asyncio.wait_for(trickle(), timeout=30))


def test_a_read_that_fails_fails_each_admission_of_its_batch_and_the_desk_goes_on() -> None:
    failing = threading.Event()
    failing.set()

    def read(requests: Sequence[AdmissionRequest]) -> list[Admission | Exception]:
        if failing.is_set():
            raise ConnectionError("database unreachable")
        return [answer(r) for r in requests]

    async def outage() -> None:
        desk = AdmissionDesk(read, threads=1)
        try:
            with pytest.raises(ConnectionError):
                await desk.admit("t", CIRCLE, 1)
            failing.clear()
            assert (await desk.admit("t", CIRCLE, 2)).catch_up.seq == 2
        finally:
            await desk.shutdown()

    asyncio.run(asyncio.wait_for(outage(), timeout=30))


def test_an_admission_whose_socket_went_away_does_not_stop_the_others() -> None:
    release = threading.Event()

    def read(requests: Sequence[AdmissionRequest]) -> list[Admission | Exception]:
        release.wait(5)
        return [answer(r) for r in requests]

    async def cancelled() -> None:
        desk = AdmissionDesk(read, threads=1)
        try:
            gone = asyncio.ensure_future(desk.admit("t", CIRCLE, 1))
            staying = asyncio.ensure_future(desk.admit("t", CIRCLE, 2))
            await asyncio.sleep(0.01)
            gone.cancel()
            release.set()
            assert (await staying).catch_up.seq == 2
            with pytest.raises(asyncio.CancelledError):
                await gone
        finally:
            await desk.shutdown()

    asyncio.run(asyncio.wait_for(cancelled(), timeout=30))


def test_shutting_down_waits_for_the_reads_in_progress() -> None:
    """The app disposes of its database right after the desk's shutdown: a read still going then would hold a
    pooled connection past the dispose. The shutdown returns once the read in progress has finished."""
    reading, release = threading.Event(), threading.Event()
    finished: list[int] = []

    def read(requests: Sequence[AdmissionRequest]) -> list[Admission | Exception]:
        reading.set()
        release.wait(10)
        finished.append(len(requests))
        return [answer(r) for r in requests]

    async def shut_down_while_reading() -> None:
        desk = AdmissionDesk(read, threads=1)
        admitted = asyncio.ensure_future(desk.admit("t", CIRCLE, 1))
        assert await asyncio.to_thread(reading.wait, 10)
        asyncio.get_running_loop().call_later(0.05, release.set)  # the read ends only after the shutdown began
        await desk.shutdown()
        assert finished == [1]
        assert (await admitted).catch_up.seq == 1

    asyncio.run(asyncio.wait_for(shut_down_while_reading(), timeout=30))
