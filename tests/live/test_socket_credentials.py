"""The hub's backstops over every live socket: revoked credentials close their sockets and no others, the
check is one call for all credentials, and only sockets that cannot time themselves are swept."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import pytest

from circles.event.outbox import Outbox
from circles.live.backstops import cut_stalled_forever
from circles.live.connection import Connection
from circles.live.outlet import AsgiOutlet, Outgoing
from circles.live.protocol import CloseCode
from tests.live.test_hub import CIRCLE, FakeSocket, event, make_hub, publish, run, settle


class TimedOutlet:
    """An outlet with a timer of its own (as the wire's is), that counts how often it is asked how long a
    frame has waited, and reports one as waiting far too long."""

    def __init__(self) -> None:
        self.asked = 0
        self.closed_with: CloseCode | None = None
        self.on_stalled: Callable[[], None] | None = None

    def offer(self, item: Outgoing, now: float) -> bool:
        return True

    def waited(self, now: float) -> float:
        self.asked += 1
        return 60.0

    def watch_stall(self, seconds: float, on_stalled: Callable[[], None]) -> bool:
        self.on_stalled = on_stalled
        return True

    def close_soon(self, code: CloseCode, reason: str) -> None:
        self.closed_with = code

    async def stop(self) -> None:
        return None


def connection_with(credential_hash: str, circle_id: uuid.UUID = CIRCLE) -> tuple[Connection, FakeSocket]:
    socket = FakeSocket()
    outlet = AsgiOutlet(socket, 64)  # type: ignore[arg-type]
    return Connection(outlet, circle_id, None, 64, credential_hash), socket


def test_a_revoked_credential_closes_the_sockets_opened_with_it_in_every_circle_and_no_others() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        elsewhere = uuid.uuid4()
        (first, first_socket), (second, second_socket) = (
            connection_with("revoked"),
            connection_with("revoked", elsewhere),
        )
        kept, kept_socket = connection_with("kept")
        for connection in (first, second, kept):
            await hub.attach(connection)
        assert len(hub.credentials) == 2
        hub.accept(Outbox(revoked_credentials=["revoked", "never seen"]))
        await settle(lambda: first_socket.closed_with is not None and second_socket.closed_with is not None)
        assert first_socket.closed_with == second_socket.closed_with == CloseCode.UNAUTHENTICATED
        assert kept_socket.closed_with is None and not kept.closed
        for connection in (first, second):
            hub.detach(connection)
        assert len(hub.credentials) == 1
        hub.detach(kept)
        assert len(hub.credentials) == 0

    run(scenario)


def test_the_backstop_asks_once_for_all_credentials_and_closes_the_sockets_of_those_no_longer_valid() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        sockets = {}
        for n in range(3):
            for copy in range(2):  # two sockets with one credential: it is asked about once
                connection, socket = connection_with(f"credential {n}")
                await hub.attach(connection)
                sockets[(n, copy)] = socket
        asked: list[list[str]] = []

        def still_valid(hashes: list[str]) -> set[str]:
            asked.append(hashes)
            return {"credential 0", "credential 2"}

        await hub.credentials.check(still_valid)
        assert len(asked) == 1 and sorted(asked[0]) == ["credential 0", "credential 1", "credential 2"]
        await settle(lambda: all(sockets[(1, copy)].closed_with is not None for copy in range(2)))
        assert {key: socket.closed_with for key, socket in sockets.items() if socket.closed_with} == {
            (1, 0): CloseCode.UNAUTHENTICATED,
            (1, 1): CloseCode.UNAUTHENTICATED,
        }

    run(scenario)


@pytest.mark.logs_traceback("circles.live.credentials")
def test_a_failed_check_closes_nothing_and_no_sockets_means_no_check() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        calls: list[list[str]] = []

        def unreachable(hashes: list[str]) -> set[str]:
            calls.append(hashes)
            raise ConnectionError("the database is away")

        await hub.credentials.check(unreachable)
        assert calls == []
        connection, socket = connection_with("credential")
        await hub.attach(connection)
        await hub.credentials.check(unreachable)
        await asyncio.sleep(0.05)
        assert len(calls) == 1 and socket.closed_with is None and not connection.closed

    run(scenario)


def test_the_sweep_leaves_sockets_that_time_themselves_to_their_own_timer() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        outlet = TimedOutlet()
        timed = Connection(outlet, uuid.uuid4(), None, 64, "timed", max_wait_seconds=0.2)  # type: ignore[arg-type]
        await hub.attach(timed)
        timed.follow(0)
        stuck = FakeSocket(blocked=True)
        swept = Connection(AsgiOutlet(stuck, 64), CIRCLE, None, 64, "swept", max_wait_seconds=0.2)  # type: ignore[arg-type]
        await hub.attach(swept)
        swept.follow(0)
        publish(hub, event(1))  # being sent to `swept`, and stuck (`timed`, in another circle, gets nothing)
        sweeper = asyncio.create_task(cut_stalled_forever(hub, 0.02))
        try:
            await settle(lambda: stuck.closed_with is not None)
            assert stuck.closed_with == CloseCode.TRY_AGAIN_LATER
            await asyncio.sleep(0.1)  # several more sweeps
            # Never looked at, though it would say a frame has waited a minute: its own timer tells.
            assert outlet.asked == 0 and not timed.closed
            assert outlet.on_stalled is not None
            outlet.on_stalled()  # its timer fires: the hub drops it
            assert timed.closed and outlet.closed_with == CloseCode.TRY_AGAIN_LATER
        finally:
            sweeper.cancel()

    run(scenario)
