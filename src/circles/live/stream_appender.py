"""Appending to the Redis Stream off the request's path: one thread of its own, in the order given.

A write used to XADD its events from the request's own thread, after the commit and before the answer: one
more round trip to Redis (and redis-py's work around it) on every change's critical path, though the answer
does not depend on it. Now the writer hands its entries to this appender and answers at once; the appender's
thread takes everything waiting and appends it in one pipelined round trip, so under load many writes share
one trip. One thread keeps this process's entries in the order they were handed over (racing request threads
did not), and `close` appends what is still waiting before it returns. While Redis is away, at most
`max_waiting` entries wait (the oldest are let go first). A failed append is counted by the RedisWatch, which
logs once when Redis goes away and once when it is back, not once per append.

Nothing here is the truth: the change has committed with its events before it is handed over. An entry that
Redis refuses, or that a killed process never appended, reaches the other instances from the database log
(their hubs' gap fill and log poll), as a Redis blip's always did.

An erasure also reaches the stream (`forget`): once everything handed over before it is appended, the
erased circle's event entries, or the entries that describe an erased participant (`participant.joined`,
`.updated`, as the database log's rewrite), are deleted with XDEL; while Redis is away it is tried again.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import deque
from dataclasses import dataclass

import redis

from circles.live.redis_watch import RedisWatch

logger = logging.getLogger(__name__)

Entry = dict[str, str]

BATCH = 500  # entries appended in one pipeline at most
MAX_WAITING = 50_000  # entries kept while Redis is away (about 20 MB); older ones are let go
FORGET_PAGE = 1000  # entries read at a time while looking for an erasure's
FORGET_RETRY_SECONDS = 1.0


@dataclass(frozen=True)
class Forget:
    """What an erasure deletes from the stream: a circle's event entries, or only those describing one of its
    participants."""

    circle_id: str
    participant_id: str | None = None

    def names(self, fields: dict[bytes, bytes]) -> bool:
        if fields.get(b"kind") != b"event" or fields.get(b"circle_id", b"").decode() != self.circle_id:
            return False  # an erasure's own entry stays: it is how the other instances hear of it
        if self.participant_id is None:
            return True
        try:
            described = json.loads(fields.get(b"body", b"{}")).get("data", {}).get("participant", {})
        except (ValueError, AttributeError):
            return False
        return isinstance(described, dict) and described.get("id") == self.participant_id


def delete_forgotten(client: redis.Redis, stream: str, forgets: list[Forget]) -> int:
    """XDEL every entry of `stream` that any of `forgets` names, reading it a page at a time; how many went."""
    start, deleted = "-", 0
    while True:
        page: list[tuple[bytes, dict[bytes, bytes]]] = client.xrange(  # type: ignore[assignment]
            stream, min=start, max="+", count=FORGET_PAGE
        )
        doomed = [entry_id for entry_id, fields in page if any(f.names(fields) for f in forgets)]
        if doomed:
            deleted += int(client.xdel(stream, *doomed))  # type: ignore[arg-type]
        if len(page) < FORGET_PAGE:
            return deleted
        start = "(" + page[-1][0].decode()  # the client answers bytes (no decode_responses)


class StreamAppender:
    def __init__(
        self, client: redis.Redis, stream: str, max_length: int, watch: RedisWatch, max_waiting: int = MAX_WAITING
    ) -> None:
        self._client = client
        self._watch = watch
        self._stream = stream
        self._max_length = max_length
        self._waiting: deque[Entry] = deque(maxlen=max_waiting)
        self._forgets: list[Forget] = []  # done once nothing handed over before them waits
        self._wake = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._append_forever, name="circles-stream-appender", daemon=True)
        self._thread.start()

    def append(self, entries: list[Entry]) -> None:
        """Queue the entries for the stream, after everything queued before them; returns at once."""
        if not entries:
            return
        with self._wake:
            if self._closing:
                logger.warning("the stream appender is closed: %d entries left to the database log", len(entries))
                return
            let_go = len(self._waiting) + len(entries) - (self._waiting.maxlen or 0)
            if let_go > 0:
                logger.warning("%d entries waiting for Redis let go: the database log has them", let_go)
            self._waiting.extend(entries)  # past maxlen, the oldest leave
            self._wake.notify()

    def forget(self, erased: Forget) -> None:
        """After an erasure's commit: delete the stream's entries that hold what was erased, once the entries
        queued before are appended; returns at once."""
        with self._wake:
            self._forgets.append(erased)
            self._wake.notify()

    @property
    def waiting(self) -> int:
        """How many entries wait to be appended."""
        return len(self._waiting)

    def close(self, timeout: float = 5.0) -> None:
        """Append what is waiting, then stop the thread (waiting at most `timeout` seconds for it)."""
        with self._wake:
            self._closing = True
            self._wake.notify()
        self._thread.join(timeout)
        if self._thread.is_alive():
            logger.warning("the stream appender did not finish within %.1f s", timeout)

    def _append_forever(self) -> None:
        while True:
            forgets: list[Forget] = []
            with self._wake:
                while not self._waiting and not self._forgets and not self._closing:
                    self._wake.wait()
                if not self._waiting:
                    if not self._forgets and self._closing:
                        return  # closing, and nothing left
                    forgets, self._forgets = self._forgets, []
                batch = [self._waiting.popleft() for _ in range(min(BATCH, len(self._waiting)))]
            if batch:
                self._append(batch)
            if forgets:
                self._forget_all(forgets)

    def _forget_all(self, forgets: list[Forget]) -> None:
        failure = "erased entries not deleted from the stream (tried again)"
        with self._watch.attempt(failure, len(forgets)) as attempt:
            self._delete_entries(forgets)
        if attempt.failed:
            with self._wake:
                self._forgets = forgets + self._forgets
                if not self._closing:  # closing: given up, as the watch has logged
                    self._wake.wait(FORGET_RETRY_SECONDS)
                else:
                    self._forgets = []

    def _delete_entries(self, forgets: list[Forget]) -> None:
        delete_forgotten(self._client, self._stream, forgets)

    def _append(self, batch: list[Entry]) -> None:
        # A failure is counted, not logged each time (see circles.live.redis_watch). What failed has committed
        # all the same: the other instances read it from the database log.
        failure = "stream entries not appended (other instances read them from the log)"
        with self._watch.attempt(failure, len(batch)), self._client.pipeline(transaction=False) as pipe:
            for entry in batch:
                pipe.xadd(self._stream, entry, maxlen=self._max_length, approximate=True)  # type: ignore[arg-type]
            pipe.execute()
