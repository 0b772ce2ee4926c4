"""Fan-out across instances through one Redis Stream.

After its commit a writer hands the outbox to its own hub at once and queues each event for the stream
(trimmed to about `stream_max_length` entries), which the appender's thread appends off the writer's path
(see circles.live.stream_appender). Every instance reads the stream from the last id it read
(XREAD, not a consumer group, which would split the messages between instances; not pub/sub, which
forgets what it could not deliver), so a Redis blip loses nothing that is still in the stream. Each entry names
the process that published it, which had it already and skips it when its own read brings it back: every
hub takes each event once, so its listeners (deadline timers, absence rounds) act on it once. An erasure
deletes the stream's entries that hold what it erased, once they are appended (see `Forget`). What an
instance cannot get from Redis at all, its hub reads from the database log (gap fill and log poll).

Private notices (a request for support) never go into that stream: they are published on a pub/sub channel
of their own, which keeps nothing, so Redis never stores them; an instance that misses one during a blip
has the database (the keepers read the signals over REST).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from typing import Literal, cast

import redis
import redis.asyncio
from redis.exceptions import RedisError

from circles.background_tasks import end_if_cancelled, stop_tasks
from circles.event.models import EventPublic
from circles.event.outbox import Outbox
from circles.event.private_notices import PrivateNotice
from circles.live.hub import Hub
from circles.live.redis_watch import RedisWatch
from circles.live.stream_appender import Forget, StreamAppender
from circles.metrics.instruments import REDIS_STREAM_LAG

logger = logging.getLogger(__name__)

_READ_BLOCK_MS = 1000
_READ_COUNT = 500
_MAX_BACKOFF_SECONDS = 5.0

StreamReplies = list[tuple[bytes, list[tuple[bytes, dict[bytes, bytes]]]]]


def connect_reader(url: str) -> redis.asyncio.Redis:
    """The client that reads on the event loop: the stream, private notices, and the presence board."""
    return redis.asyncio.Redis.from_url(url, socket_timeout=5.0, socket_connect_timeout=1.0)


class RedisBroker:
    kind: Literal["memory", "redis"] = "redis"

    def __init__(
        self, hub: Hub, url: str, prefix: str, stream_max_length: int, reader: redis.asyncio.Redis, watch: RedisWatch
    ) -> None:
        """`reader` (from `connect_reader`) and `watch` are shared with the presence board: one line when
        Redis goes, one when it is back."""
        self._hub = hub
        self._stream = f"{prefix}events"
        # Writers publish from worker threads with the blocking client; the reader lives on the loop.
        self._writer = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.watch = watch
        self._appender = StreamAppender(self._writer, self._stream, stream_max_length, self.watch)
        self.reader = reader
        self._private_channel = f"{prefix}private"
        self._origin = uuid.uuid4().hex  # this process: it delivers what it publishes itself, not from Redis
        self._private_task: asyncio.Task[None] | None = None
        self._last_id: str | None = None
        self._task: asyncio.Task[None] | None = None

    # -- writing --------------------------------------------------------------------------------------
    def publish(self, outbox: Outbox) -> None:
        self._hub.publish_threadsafe(outbox)
        entries = [
            self._entry("event", circle_id, event.model_dump_json())
            for circle_id, events in outbox.events.items()
            for event in events
        ]
        entries += [self._entry("erased", circle_id) for circle_id in outbox.erased_circles]
        entries += [self._entry("revoked", None, h) for h in outbox.revoked_credentials]
        self._appender.append(entries)
        for circle_id in outbox.erased_circles:  # the stream keeps no copy of what was erased
            self._appender.forget(Forget(str(circle_id)))
        for circle_id, participant_id in outbox.erased_participants:
            self._appender.forget(Forget(str(circle_id), str(participant_id)))

    def publish_private(self, notices: list[PrivateNotice]) -> None:
        self._hub.publish_private_threadsafe(notices)
        failure = "private notices not sent to other instances (keepers read them over REST)"
        with self.watch.attempt(failure, len(notices)), self._writer.pipeline(transaction=False) as pipe:
            for notice in notices:
                pipe.publish(self._private_channel, _private_message(self._origin, notice))
            pipe.execute()

    def publish_presence(self, circle_id: uuid.UUID) -> None:
        self._appender.append([self._entry("presence", circle_id)])

    def _entry(self, kind: str, circle_id: uuid.UUID | None, body: str = "") -> dict[str, str]:
        """A stream entry, stamped with this process as its origin: this hub had it when it was published, so
        it skips it when its own read of the stream brings it back (its listeners see each event once)."""
        return {"kind": kind, "circle_id": str(circle_id or ""), "body": body, "origin": self._origin}

    # -- reading --------------------------------------------------------------------------------------
    async def start(self) -> None:
        self._task = asyncio.create_task(self._read_forever(), name="redis-stream-reader")
        self._private_task = asyncio.create_task(self._follow_private_forever(), name="redis-private-reader")

    async def stop(self) -> None:
        await stop_tasks([self._task, self._private_task])
        await self.reader.aclose()
        await asyncio.to_thread(self._appender.close)  # what is still waiting goes out first
        self._writer.close()

    async def ping(self) -> bool:
        try:
            return bool(await asyncio.wait_for(self.reader.ping(), timeout=2.0))
        except (RedisError, TimeoutError, OSError):
            return False

    async def _read_forever(self) -> None:
        backoff = 0.25
        while True:
            replies = None
            with self.watch.attempt("stream reads failed") as read:
                if self._last_id is None:
                    self._last_id = await self._newest_id()
                replies = await self.reader.xread(
                    {self._stream: self._last_id}, block=_READ_BLOCK_MS, count=_READ_COUNT
                )
            end_if_cancelled()
            if read.failed:
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, _MAX_BACKOFF_SECONDS)
                continue
            backoff = 0.25
            for _stream, messages in cast(StreamReplies, replies or []):
                for message_id, fields in messages:
                    self._last_id = message_id.decode() if isinstance(message_id, bytes) else message_id
                    self._deliver(fields)
            if replies:  # the id of the newest entry read is the Redis server's time of its append, in ms
                REDIS_STREAM_LAG.set(max(0.0, time.time() - int(self._last_id.partition("-")[0]) / 1000))

    async def _follow_private_forever(self) -> None:
        backoff = 0.25
        while True:
            pubsub = self.reader.pubsub(ignore_subscribe_messages=True)
            try:
                with self.watch.attempt("subscriptions to private notices failed") as subscribing:
                    await pubsub.subscribe(self._private_channel)
                if not subscribing.failed:
                    backoff = 0.25
                    with self.watch.attempt("subscriptions to private notices lost"):
                        while True:
                            message = await pubsub.get_message(timeout=_READ_BLOCK_MS / 1000)
                            if message is not None and message.get("type") == "message":
                                self._deliver_private(message["data"])
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, _MAX_BACKOFF_SECONDS)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()

    def _deliver_private(self, data: bytes | str) -> None:
        try:
            message = json.loads(data)
            if message["origin"] == self._origin:
                return  # delivered here already, when it was published
            recipients = frozenset(uuid.UUID(p) for p in message["recipients"])
            notice = PrivateNotice(uuid.UUID(message["circle_id"]), recipients, str(message["text"]))
        except (KeyError, ValueError, TypeError):
            logger.warning("ignored a malformed private notice from Redis")
            return
        self._hub.deliver_private([notice])

    async def _newest_id(self) -> str:
        newest = await self.reader.xrevrange(self._stream, count=1)
        if not newest:
            return "0-0"
        message_id = newest[0][0]
        return message_id.decode() if isinstance(message_id, bytes) else str(message_id)

    def _deliver(self, fields: dict[bytes, bytes]) -> None:
        if fields.get(b"origin", b"").decode() == self._origin:
            return  # published here, and delivered to this hub then (see _entry)
        kind = fields.get(b"kind", b"").decode()
        try:
            if kind == "revoked":
                self._hub.accept(Outbox(revoked_credentials=[fields[b"body"].decode()]))
                return
            circle_id = uuid.UUID(fields[b"circle_id"].decode())
            if kind == "event":
                event = EventPublic.model_validate_json(fields[b"body"])
                self._hub.accept(Outbox(events={circle_id: [event]}))
            elif kind == "erased":
                self._hub.accept(Outbox(erased_circles=[circle_id]))
            elif kind == "presence":
                self._hub.presence.look_again(circle_id)
        except (KeyError, ValueError, json.JSONDecodeError):
            logger.warning("ignored a malformed entry in the Redis stream: %r", fields)


def _private_message(origin: str, notice: PrivateNotice) -> str:
    return json.dumps(
        {
            "origin": origin,
            "circle_id": str(notice.circle_id),
            "recipients": sorted(str(p) for p in notice.recipients),
            "text": notice.text,
        }
    )
