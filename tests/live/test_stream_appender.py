"""The Redis Stream appender: what writers hand it reaches the stream, in order, off their own threads; what
waits at close is appended first; an unreachable Redis neither blocks a writer nor grows without bound."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator

import pytest
import redis

from circles.live.redis_watch import RedisWatch
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
    appender = StreamAppender(client, name, max_length=100_000, watch=RedisWatch())
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
    appender = StreamAppender(client, name, max_length=100_000, watch=RedisWatch())
    appender.append([{"kind": "event", "circle_id": "", "body": str(n)} for n in range(2_000)])
    appender.close()
    assert _bodies(client, name) == [str(n) for n in range(2_000)]
    assert appender.waiting == 0


def test_an_unreachable_redis_is_logged_once_and_what_waits_stays_bounded(caplog: pytest.LogCaptureFixture) -> None:
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_timeout=0.2, socket_connect_timeout=0.2)
    watch = RedisWatch()
    appender = StreamAppender(unreachable, "nowhere", max_length=10, watch=watch, max_waiting=100)
    with caplog.at_level(logging.WARNING, logger="circles.live"):
        for n in range(1_000):  # returns at once each time, whatever Redis does
            appender.append([{"kind": "event", "circle_id": "", "body": str(n)}])
        assert appender.waiting <= 100
        appender.close(timeout=10)
    messages = [record.getMessage() for record in caplog.records]
    assert watch.away
    # One line for the outage however many appends failed, no traceback; the entries let go are said.
    assert [m for m in messages if "Redis" in m and "let go" not in m] == [
        next(m for m in messages if m.startswith("Redis is unreachable (ConnectionError: "))
    ], messages
    assert not any(record.exc_info for record in caplog.records), messages
    assert any("let go" in m for m in messages), messages
    unreachable.close()


def test_the_first_append_once_redis_answers_says_it_is_back_with_the_count(
    stream: tuple[redis.Redis, str], caplog: pytest.LogCaptureFixture
) -> None:
    client, name = stream
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_timeout=0.2, socket_connect_timeout=0.2)
    watch = RedisWatch()  # one watch for the process, as the broker shares it
    away = StreamAppender(unreachable, "nowhere", max_length=10, watch=watch)
    with caplog.at_level(logging.WARNING, logger="circles.live"):
        for n in range(3):
            away.append(
                [{"kind": "event", "circle_id": "", "body": str(n)}, {"kind": "event", "circle_id": "", "body": ""}]
            )
        away.close(timeout=10)
        assert watch.away
        back = StreamAppender(client, name, max_length=100, watch=watch)
        back.append([{"kind": "event", "circle_id": "", "body": "again"}])
        back.close()
    assert _bodies(client, name) == ["again"]
    assert not watch.away
    lines = [record.getMessage() for record in caplog.records if record.name == "circles.live.redis_watch"]
    assert len(lines) == 2 and lines[0].startswith("Redis is unreachable"), lines
    assert lines[1].startswith("Redis is back after ") and lines[1].endswith(
        "; meanwhile: 6 stream entries not appended (other instances read them from the log)."
    ), lines
    unreachable.close()
