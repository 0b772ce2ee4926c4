"""The hub's backstops: loops that run for the life of the app and catch what the direct paths can miss.

Each wakes every `interval`: `poll_log_forever` reads from the log whatever a followed circle did not get (a
lost publication, a broker outage); `cut_stalled_forever` drops the sockets whose frame waited too long and
that cannot tell by themselves; `refresh_presence_forever` keeps this instance's presence records alive
and tells sockets about comings and goings elsewhere. A failed pass is logged and tried again.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

from circles.background_tasks import end_if_cancelled
from circles.live.circle_presence import CirclePresence
from circles.live.hub import Hub
from circles.live.protocol import CloseCode

logger = logging.getLogger(__name__)

ReadLastSeqs = Callable[[list[uuid.UUID]], dict[uuid.UUID, int]]


async def poll_log_forever(hub: Hub, interval: float, read_last_seqs: ReadLastSeqs) -> None:
    """Every `interval`, compare each followed circle with its log and read whatever did not arrive; a
    circle that is gone closes its sockets."""
    while True:
        await asyncio.sleep(interval)
        followed = hub.followed()
        if not followed:
            continue
        try:
            last_seqs = await run_in_threadpool(read_last_seqs, [c.circle_id for c in followed])
            for channel in followed:
                last_seq = last_seqs.get(channel.circle_id)
                if last_seq is None:
                    channel.close_all(CloseCode.CIRCLE_GONE)
                elif channel.next_seq is not None and last_seq >= channel.next_seq:
                    await channel.read_log(upto=last_seq)
        except Exception:
            logger.exception("checking followed circles against the log failed; will try again")
        end_if_cancelled()


async def cut_stalled_forever(hub: Hub, interval: float) -> None:
    """Every `interval`, drop the sockets whose frame has waited too long (see Connection), even when no
    new frame is offered to them to notice it: only those whose outlet has no timer of its own (the ASGI
    path). Under `circles serve` each socket's transport times itself, and this has nothing to look at (a
    pass over all of them stalled the loop 10 to 15 ms, every `interval`, in a server holding 10,000)."""
    while True:
        await asyncio.sleep(interval)
        for connection in hub.stalled(time.monotonic()):
            hub.drop_slow(connection)
        end_if_cancelled()


async def refresh_presence_forever(presence: CirclePresence, interval: float) -> None:
    """Every `interval`, keep this instance's presence records alive, and tell sockets about anyone who came
    or went elsewhere (an instance that died takes its participants offline when their records expire)."""
    while True:
        await asyncio.sleep(interval)
        try:
            await presence.refresh()
        except Exception:
            logger.exception("refreshing presence failed; will try again")
        end_if_cancelled()  # a Redis read has been seen to swallow the cancellation of shutdown
