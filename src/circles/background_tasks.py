"""Stopping the app's background tasks at shutdown: cancel them, then wait for them a bounded time.

Every long-lived task the app starts (the hub's backstops, the webhook worker, the broker's readers, the
deadline sweeps) is stopped here when the app shuts down. The wait is bounded: a shutdown that waited without
end for one task would never dispose of the database or let the process exit, and an orchestrator would have
to kill it. A task still running when the time is up is left behind, named in a warning.

We have seen one: the presence backstop, cancelled while its Redis read was in flight, had the
cancellation swallowed inside that read (under uvloop, in about one shutdown of ten) and
went on looping; the shutdown waited for it without end until the process was killed. So the loops that run
for the life of the app also call `end_if_cancelled` after each pass: a cancellation some library swallowed
still ends them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

logger = logging.getLogger(__name__)

STOP_WITHIN_SECONDS = 5.0  # long enough for a database read or write in progress to finish


async def stop_tasks(tasks: Iterable[asyncio.Future[Any] | None], *, within: float = STOP_WITHIN_SECONDS) -> None:
    """Cancel `tasks` (None among them is skipped) and wait at most `within` seconds for them to end."""
    running = [task for task in tasks if task is not None and not task.done()]
    for task in running:
        task.cancel()
    await wait_for_tasks(running, within=within)


def end_if_cancelled() -> None:
    """Raise CancelledError if the running task was cancelled and something it awaited swallowed it."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def wait_for_tasks(tasks: Iterable[asyncio.Future[Any]], *, within: float = STOP_WITHIN_SECONDS) -> None:
    """Wait at most `within` seconds for `tasks` to end (writes already under way finish), without cancelling."""
    waiting = [task for task in tasks if not task.done()]
    if not waiting:
        return
    _, still = await asyncio.wait(waiting, timeout=within)
    for task in still:
        logger.warning("shutting down: %r did not end within %.1f s; going on without it", task, within)
    for task in waiting:  # their outcomes are read, so none is reported as never retrieved
        if task.done() and not task.cancelled():
            task.exception()
