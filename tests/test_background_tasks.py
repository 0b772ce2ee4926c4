"""Stopping background tasks at shutdown: bounded, and a loop whose cancellation was swallowed still ends."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import pytest

from circles.background_tasks import end_if_cancelled, stop_tasks


async def _swallowing_read() -> None:
    """A library call that answers normally although the task was cancelled while it waited."""
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.sleep(10)


async def _loop_forever(passes: list[int], *, checked: bool, until: asyncio.Event | None = None) -> None:
    while until is None or not until.is_set():
        await _swallowing_read()
        passes.append(1)
        if checked:
            end_if_cancelled()


def test_a_loop_that_checks_ends_even_when_its_cancellation_was_swallowed() -> None:
    async def scenario() -> tuple[bool, int]:
        passes: list[int] = []
        task = asyncio.create_task(_loop_forever(passes, checked=True))
        await asyncio.sleep(0.01)
        await stop_tasks([task], within=2.0)
        return task.cancelled(), len(passes)

    cancelled, passes = asyncio.run(scenario())
    assert cancelled
    assert passes == 1  # the pass under way finished, and no other began


def test_stopping_a_task_that_never_ends_gives_up_in_time_and_names_it(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> tuple[float, bool]:
        until = asyncio.Event()
        task = asyncio.create_task(_loop_forever([], checked=False, until=until), name="stubborn")
        await asyncio.sleep(0.01)
        began = time.monotonic()
        await stop_tasks([task, None], within=0.2)
        waited = time.monotonic() - began
        still_running = not task.done()
        until.set()  # now let it end, so the test leaves nothing behind
        task.cancel()
        await task
        return waited, still_running

    with caplog.at_level(logging.WARNING, logger="circles.background_tasks"):
        waited, still_running = asyncio.run(scenario())
    assert still_running
    assert 0.2 <= waited < 1.0
    assert "stubborn" in caplog.text and "did not end within 0.2 s" in caplog.text


def test_stopping_tasks_that_already_ended_waits_for_nothing() -> None:
    async def scenario() -> None:
        done = asyncio.create_task(asyncio.sleep(0))
        await done
        await stop_tasks([done, None], within=0.1)

    asyncio.run(scenario())
