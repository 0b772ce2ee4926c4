"""The wire protocol's stall watch: a client that stopped reading is found when its time is up (a timer armed
when the transport pauses writing), with no frame offered and no sweep to notice it; resuming or losing the
connection disarms it. (The whole path, over real TCP with `circles serve`, is in test_stalled_client.)"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.config import Config
from uvicorn.server import ServerState

from circles.live.wire import WireProtocol

WAIT = 0.05  # the stall bound in these tests
LONG_ENOUGH = 0.3  # several times WAIT: a timer that was going to fire has fired


class QuietTransport(asyncio.WriteTransport):
    """What the protocol asks of a transport, with nothing behind it."""

    def __init__(self) -> None:
        super().__init__()
        self.closed = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def get_write_buffer_size(self) -> int:
        return 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        pass

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True


async def _nothing(scope: Any, receive: Any, send: Any) -> None:
    pass


def connected_protocol() -> WireProtocol:
    config = Config(app=_nothing, ws="websockets-sansio", log_config=None)
    config.load()
    protocol = WireProtocol(config=config, server_state=ServerState(), app_state={}, _loop=asyncio.get_running_loop())
    protocol.connection_made(QuietTransport())
    return protocol


def watched(protocol: WireProtocol) -> list[str]:
    calls: list[str] = []
    protocol.watch_stall(WAIT, lambda: calls.append("stalled"))
    return calls


def test_writing_paused_for_the_bound_calls_the_watcher_once() -> None:
    async def scenario() -> None:
        protocol = connected_protocol()
        calls = watched(protocol)
        protocol.pause_writing()
        await asyncio.sleep(LONG_ENOUGH)
        assert calls == ["stalled"]

    asyncio.run(scenario())


def test_writing_that_resumes_in_time_is_not_a_stall() -> None:
    async def scenario() -> None:
        protocol = connected_protocol()
        calls = watched(protocol)
        protocol.pause_writing()
        protocol.resume_writing()
        await asyncio.sleep(LONG_ENOUGH)
        assert calls == []
        protocol.pause_writing()  # a later pause is watched afresh
        await asyncio.sleep(LONG_ENOUGH)
        assert calls == ["stalled"]

    asyncio.run(scenario())


def test_a_lost_connection_is_not_reported_as_stalled() -> None:
    async def scenario() -> None:
        protocol = connected_protocol()
        calls = watched(protocol)
        protocol.pause_writing()
        protocol.connection_lost(None)
        await asyncio.sleep(LONG_ENOUGH)
        assert calls == []

    asyncio.run(scenario())


def test_a_watch_set_while_paused_counts_the_time_already_paused() -> None:
    async def scenario() -> None:
        protocol = connected_protocol()
        protocol.pause_writing()
        await asyncio.sleep(LONG_ENOUGH)  # paused longer than the bound before anyone watched
        calls = watched(protocol)
        await asyncio.sleep(0)  # due at once: the next pass of the loop
        await asyncio.sleep(0)
        assert calls == ["stalled"]

    asyncio.run(scenario())


def test_the_lean_inbox_and_writable_flag_behave_as_the_queue_and_event_they_replace() -> None:
    """Each socket's received messages and its `writable` flag are held in a few slots, not an asyncio.Queue
    and Event: messages come out in order, a reader waits for the next one, a writer waits until writable."""
    from circles.live.wire import _Inbox, _Writable

    async def scenario() -> None:
        inbox = _Inbox()
        inbox.put_nowait(1)
        inbox.put_nowait(2)
        assert (await inbox.get(), inbox.qsize(), await inbox.get(), inbox.empty()) == (1, 1, 2, True)
        waiting = asyncio.ensure_future(inbox.get())
        await asyncio.sleep(0)
        assert not waiting.done()
        inbox.put_nowait(3)
        assert await asyncio.wait_for(waiting, 1) == 3

        writable = _Writable()
        assert writable.is_set() and await writable.wait()
        writable.clear()
        blocked = asyncio.ensure_future(writable.wait())
        await asyncio.sleep(0)
        assert not blocked.done()
        writable.set()
        assert await asyncio.wait_for(blocked, 1)

    asyncio.run(scenario())
