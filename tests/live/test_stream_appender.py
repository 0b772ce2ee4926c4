"""The Redis Stream appender: what writers hand it reaches the stream, in order, off their own threads; what
waits at close is appended first; an unreachable Redis neither blocks a writer nor grows without bound."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator

import pytest
import redis

from circles.live.stream_appender import StreamAppender

pytestmark = pytest.mark.redis


@pytest.fixture
def stream(redis_url: str) -> Iterator[tuple[redis.Redis, str]]:
    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    name = f"circles-test-{uuid.uuid4().hex[:8]}:events"
    try:
        yield client, name
    finally:
        client.delete(name)
        client.close()


def _bodies(client: redis.Redis, name: str) -> list[str]:
    return [fields[b"body"].decode() for _id, fields in client.xrange(name)]


def test_entries_from_many_threads_all_arrive_each_threads_in_its_order(stream: tuple[redis.Redis, str]) -> None:
    client, name = stream
    appender = StreamAppender(client, name, max_length=100_000)
    writers = 8
    per_writer = 250

    def write(writer: int) -> None:
        for n in range(per_writer):
            appender.append([{"kind": "event", "circle_id": "", "body": f"{writer}:{n}"}])

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    appender.close()

    bodies = _bodies(client, name)
    assert len(bodies) == writers * per_writer
    for writer in range(writers):
        own = [int(b.split(":")[1]) for b in bodies if b.startswith(f"{writer}:")]
        assert own == list(range(per_writer))


def test_close_appends_what_is_still_waiting(stream: tuple[redis.Redis, str]) -> None:
    client, name = stream
    appender = StreamAppender(client, name, max_length=100_000)
    appender.append([{"kind": "event", "circle_id": "", "body": str(n)} for n in range(2_000)])
    appender.close()
    assert _bodies(client, name) == [str(n) for n in range(2_000)]
    assert appender.waiting == 0


def test_an_unreachable_redis_is_logged_and_what_waits_stays_bounded(caplog: pytest.LogCaptureFixture) -> None:
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_timeout=0.2, socket_connect_timeout=0.2)
    appender = StreamAppender(unreachable, "nowhere", max_length=10, max_waiting=100)
    with caplog.at_level(logging.WARNING, logger="circles.live.stream_appender"):
        for n in range(1_000):  # returns at once each time, whatever Redis does
            appender.append([{"kind": "event", "circle_id": "", "body": str(n)}])
        assert appender.waiting <= 100
        appender.close(timeout=10)
    messages = [record.getMessage() for record in caplog.records]
    assert any("could not append" in m for m in messages), messages
    assert any("let go" in m for m in messages), messages
    unreachable.close()
