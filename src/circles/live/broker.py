"""Brokers carry what one instance committed to every instance's hub.

In-process (the embedded default) the hub is the only one, so publishing is handing it the outbox. The
Redis broker (`redis_broker.py`) also appends to a Redis Stream that every instance reads, and sends private
notices (event/private_notices.py) on a pub/sub channel of their own.
"""

from __future__ import annotations

import uuid
from typing import Literal, Protocol

from circles.event.outbox import Outbox
from circles.event.private_notices import PrivateNotice
from circles.live.hub import Hub


class Broker(Protocol):
    kind: Literal["memory", "redis"]  # what /readyz reports as configured

    def publish(self, outbox: Outbox) -> None:
        """After a commit, from the writer's thread: deliver to this hub and to every other instance."""

    def publish_private(self, notices: list[PrivateNotice]) -> None:
        """After a commit: deliver private notices to this hub and every other instance's, never through
        the public event stream."""

    def publish_presence(self, circle_id: uuid.UUID) -> None:
        """Someone's presence in the circle changed here: other instances should look again."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def ping(self) -> bool: ...


class MemoryBroker:
    """One process: the hub is everyone."""

    kind: Literal["memory", "redis"] = "memory"

    def __init__(self, hub: Hub) -> None:
        self._hub = hub

    def publish(self, outbox: Outbox) -> None:
        self._hub.publish_threadsafe(outbox)

    def publish_private(self, notices: list[PrivateNotice]) -> None:
        self._hub.publish_private_threadsafe(notices)

    def publish_presence(self, circle_id: uuid.UUID) -> None:
        return None

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def ping(self) -> bool:
        return True
