"""Whether Redis answers, told to the log once each way: when it goes away, and when it is back.

Every Redis call of the broker and the presence board (the stream appends, the stream and private readers,
the private notices, presence marks, reads and refreshes) runs inside `RedisWatch.attempt`. While Redis is
away each of them fails, several times a second on every instance; each used to log its own warning, most
with a traceback. Now the first failure logs one warning that Redis is unreachable and what that means, the
failures after it are only counted, and the first call that *began* after the outage was noticed and
succeeded logs one warning that Redis is back, with how long it was away and the counts. (A call that began
before and answered late proves nothing about now, so it does not end the outage.)

An error from a Redis that answered (a refused command: `ResponseError` and the like) is not an outage and
is logged each time, with its traceback: it is a fault in what was asked, not a blip.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_AWAY = (RedisConnectionError, RedisTimeoutError, OSError)  # OSError covers the builtin TimeoutError


@dataclass
class Attempt:
    failed: bool = False  # set when the call inside it raised a Redis error (already counted or logged)


class RedisWatch:
    """One per process, shared by the broker's and the board's calls, from the loop and from threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0  # bumped when an outage is noticed
        self._away_since: float | None = None  # monotonic; None while Redis answers
        self._failed: Counter[str] = Counter()

    @property
    def away(self) -> bool:
        return self._away_since is not None

    @contextlib.contextmanager
    def attempt(self, failure: str, count: int = 1) -> Iterator[Attempt]:
        """Run one Redis call (or pipeline) in the block. A Redis error is not raised: it is counted as
        `count` × `failure` (a phrase such as "stream entries not appended") and `Attempt.failed` is set."""
        outcome = Attempt()
        began_in = self._generation
        try:
            yield outcome
        except _AWAY as error:
            outcome.failed = True
            self._went_away(failure, count, error)
        except RedisError:
            outcome.failed = True
            logger.warning("Redis refused a command: %d %s", count, failure, exc_info=True)
        else:
            self._answered(began_in)

    def _went_away(self, failure: str, count: int, error: BaseException) -> None:
        with self._lock:
            self._failed[failure] += count
            if self._away_since is not None:
                return
            self._away_since = time.monotonic()
            self._generation += 1
        logger.warning(
            "Redis is unreachable (%s: %s). Commands go on and commit; other instances' events reach this "
            "one's sockets from the database log, up to CIRCLES_LOG_POLL_SECONDS late; presence counts this "
            "instance's sockets only. One more line when Redis is back.",
            type(error).__name__,
            error,
        )

    def _answered(self, began_in: int) -> None:
        if self._away_since is None:
            return  # the usual case, without the lock
        with self._lock:
            if self._away_since is None or began_in != self._generation:
                return  # back already, or this call began before the outage was noticed
            away_for = time.monotonic() - self._away_since
            failed, self._failed = self._failed, Counter()
            self._away_since = None
        counts = ", ".join(f"{n} {failure}" for failure, n in sorted(failed.items())) or "nothing"
        logger.warning("Redis is back after %.1f s away; meanwhile: %s.", away_for, counts)
