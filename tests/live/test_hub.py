"""The hub on its own: order restored per circle, gaps read from the log, one serialization per event,
and a client that stops reading is dropped without holding anyone else up."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from starlette.websockets import WebSocketState

from circles.event.models import EventPublic
from circles.event.outbox import Outbox
from circles.event.private_notices import PrivateNotice
from circles.live.backstops import cut_stalled_forever
from circles.live.channel import LogSource
from circles.live.circle_presence import CirclePresence
from circles.live.connection import Close, Connection, Frame
from circles.live.hub import Hub
from circles.live.outlet import AsgiOutlet, Outgoing
from circles.live.protocol import CloseCode

CIRCLE = uuid.uuid4()
AT = datetime(2026, 1, 1, tzinfo=UTC)


class FakeSocket:
    """Records what the connection writes; `blocked` makes sends hang like a client that stopped reading."""

    def __init__(self, blocked: bool = False) -> None:
        self.sent: list[str] = []
        self.closed_with: int | None = None
        self.application_state = WebSocketState.CONNECTED
        self._blocked = blocked

    async def send_text(self, text: str) -> None:
        if self._blocked:
            await asyncio.Event().wait()
        self.sent.append(text)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        self.closed_with = code
        self.application_state = WebSocketState.DISCONNECTED


def event(seq: int, name: str = "turn.started", **data: Any) -> EventPublic:
    return EventPublic(seq=seq, name=name, at=AT, data=data)


def make_hub(log: list[EventPublic], last_seq: int = 0, presence: CirclePresence | None = None) -> Hub:
    def read_events(circle_id: uuid.UUID, after: int, limit: int) -> list[EventPublic]:
        return [e for e in log if e.seq > after][:limit]

    return Hub(LogSource(lambda circle_id: last_seq, read_events, gap_fill_seconds=0.05), presence)


def run(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(asyncio.wait_for(test(), timeout=10))


async def attached(
    hub: Hub, socket: FakeSocket, queue_size: int = 64, participant: uuid.UUID | None = None
) -> Connection:
    connection = Connection(AsgiOutlet(socket, queue_size), CIRCLE, participant, queue_size)  # type: ignore[arg-type]
    await hub.attach(connection)
    await hub.online_for_catch_up(connection)  # as the socket's catch-up does
    return connection


def held(connection: Connection) -> list[Outgoing]:
    """What the hub offered a connection that has not started following (its catch-up is not sent)."""
    assert connection._held is not None
    return [item for _offered_at, item in connection._held]


def seqs(socket: FakeSocket) -> list[int]:
    return [frame["seq"] for frame in map(json.loads, socket.sent) if frame["type"] == "event"]


async def settle(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0.005)


def logged(connection: Connection) -> list[int | Close]:
    """What is held for the connection, presence left out: event seqs and closes."""
    items: list[int | Close] = []
    for item in held(connection):
        if isinstance(item, Close):
            items.append(item)
        elif item.seq is not None:
            items.append(item.seq)
    return items


def publish(hub: Hub, *events: EventPublic) -> None:
    hub.accept(Outbox(events={CIRCLE: list(events)}))


def test_events_that_arrive_out_of_order_are_delivered_in_seq_order() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        socket = FakeSocket()
        connection = await attached(hub, socket)
        connection.follow(0)
        publish(hub, event(2))
        publish(hub, event(3))
        publish(hub, event(1))
        await settle(lambda: len(socket.sent) == 3)
        assert seqs(socket) == [1, 2, 3]

    run(scenario)


def test_a_seq_that_never_arrives_is_read_from_the_log() -> None:
    async def scenario() -> None:
        log = [event(1), event(2), event(3)]
        hub = make_hub(log)
        hub.start()
        socket = FakeSocket()
        connection = await attached(hub, socket)
        connection.follow(0)
        publish(hub, event(1))
        publish(hub, event(3))  # 2 was committed but its publication is lost
        await settle(lambda: len(socket.sent) == 3)
        assert seqs(socket) == [1, 2, 3]

    run(scenario)


def test_duplicates_and_what_the_client_already_has_are_not_sent_again() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[], last_seq=4)
        hub.start()
        socket = FakeSocket()
        connection = await attached(hub, socket)
        publish(hub, event(3), event(5), event(6))  # 3 is older than the channel; 5 the client got in its replay
        connection.follow(5)
        publish(hub, event(6), event(7))
        await settle(lambda: seqs(socket) == [6, 7])
        await asyncio.sleep(0.1)
        assert seqs(socket) == [6, 7]

    run(scenario)


def test_each_event_is_serialized_once_for_all_its_sockets() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        connections = [await attached(hub, FakeSocket()) for _ in range(5)]
        publish(hub, event(1, turn={"id": "t"}))
        frames = [held(c)[0] for c in connections]
        assert all(isinstance(f, Frame) for f in frames)
        assert all(f is frames[0] for f in frames)  # one object, not five equal strings, framed once
        assert json.loads(frames[0].text) == {
            "type": "event",
            "seq": 1,
            "name": "turn.started",
            "at": "2026-01-01T00:00:00Z",
            "data": {"turn": {"id": "t"}},
        }

    run(scenario)


def test_one_commits_events_reach_each_socket_as_one_write_and_a_partial_batch_is_trimmed() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        socket = FakeSocket()
        connection = await attached(hub, socket)
        publish(hub, event(1), event(2), event(3))  # one outbox: turn.ended, turn.started, ...
        (batch,) = held(connection)
        assert isinstance(batch, Frame) and (batch.first_seq, batch.seq) == (1, 3)
        assert batch.wire == b"".join(part.wire for part in batch.parts)
        connection.follow(2)  # its catch-up brought it to 2: of the batch, only 3 is new to it
        await settle(lambda: len(socket.sent) == 1)
        assert seqs(socket) == [3]

    run(scenario)


def test_a_client_that_stops_reading_is_dropped_and_the_others_keep_up() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        stuck, reader = FakeSocket(blocked=True), FakeSocket()
        stuck_connection = await attached(hub, stuck, queue_size=8)
        reader_connection = await attached(hub, reader, queue_size=8)
        stuck_connection.follow(0)
        reader_connection.follow(0)
        for seq in range(1, 41):
            publish(hub, event(seq))
            await asyncio.sleep(0)  # let the reader's writer run, as the event loop would
        await settle(lambda: len(reader.sent) == 40)
        assert seqs(reader) == list(range(1, 41))
        await settle(lambda: stuck.closed_with is not None)
        assert stuck.closed_with == CloseCode.TRY_AGAIN_LATER
        assert stuck_connection.closed

    run(scenario)


def presence_frames(connection: Connection) -> list[dict[str, Any]]:
    frames = []
    for item in held(connection):
        for message in item.messages() if isinstance(item, Frame) else ():
            assert message.seq is None
            frames.append(json.loads(message.text))
    return frames


def test_presence_follows_the_first_and_last_socket_of_a_participant() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[], presence=CirclePresence(settle_seconds=0.05))
        hub.start()
        watcher = await attached(hub, FakeSocket())
        person = uuid.uuid4()
        first = await attached(hub, FakeSocket(), participant=person)
        second = await attached(hub, FakeSocket(), participant=person)
        assert await hub.online(CIRCLE) == {person}
        await settle(lambda: len(presence_frames(watcher)) == 1)
        hub.detach(first)
        assert await hub.online(CIRCLE) == {person}
        hub.detach(second)
        assert await hub.online(CIRCLE) == set()
        await settle(lambda: len(presence_frames(watcher)) == 2)  # going offline is announced by a task
        assert presence_frames(watcher) == [
            {"type": "presence", "participant_id": str(person), "online": True},
            {"type": "presence", "participant_id": str(person), "online": False},
        ]

    run(scenario)


def test_changes_that_settle_together_go_out_as_one_list_frame_and_a_quick_return_is_not_announced() -> None:
    """Many arrivals within the settling time cost each socket one `presence` frame, listing everyone online
    as of the announcement (the latest state), not one frame per arrival."""

    async def scenario() -> None:
        hub = make_hub(log=[], presence=CirclePresence(settle_seconds=0.2))
        hub.start()
        watcher = await attached(hub, FakeSocket())
        people = [uuid.uuid4() for _ in range(3)]
        for person in people:
            await attached(hub, FakeSocket(), participant=person)
        blink = await attached(hub, FakeSocket(), participant=uuid.uuid4())
        hub.detach(blink)  # dropped and gone again before anyone was told
        await settle(lambda: len(held(watcher)) == 1)
        (listed,) = held(watcher)
        assert isinstance(listed, Frame) and not listed.parts  # one frame, not one per arrival
        assert json.loads(listed.text) == {
            "type": "presence",
            "participants_online": sorted(str(person) for person in people),
        }
        await asyncio.sleep(0.3)
        assert len(held(watcher)) == 1

    run(scenario)


def test_witnesses_are_counted_in_audience_frames_not_announced_and_not_in_online() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[], presence=CirclePresence(count_witnesses=lambda circle_id: 3, audience_interval=0.05))
        hub.start()
        watcher = await attached(hub, FakeSocket())
        witnesses = [uuid.uuid4() for _ in range(3)]
        connections = []
        for witness in witnesses:
            connection = Connection(AsgiOutlet(FakeSocket(), 64), CIRCLE, witness, 64)  # type: ignore[arg-type]
            await hub.attach(connection, witness=True)
            connections.append(connection)
        assert await hub.online(CIRCLE) == set()
        assert await hub.witnesses_online(CIRCLE) == 3
        assert await hub.everyone_online(CIRCLE) == set(witnesses)
        assert hub.sockets_of(CIRCLE, witnesses[0]) == 1  # the per-participant socket limit still counts them

        def drained() -> list[dict[str, Any]]:
            items = held(watcher)
            assert all(isinstance(item, Frame) for item in items)
            return [json.loads(item.text) for item in items if isinstance(item, Frame)]

        await settle(lambda: {"type": "audience", "witnesses": 3, "online": 3} in drained())
        for connection in connections:
            hub.detach(connection)
        await settle(lambda: drained()[-1] == {"type": "audience", "witnesses": 3, "online": 0})
        assert all(frame["type"] == "audience" for frame in drained())

    run(scenario)


def test_circle_closed_and_participant_left_close_the_right_sockets() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        leaver = uuid.uuid4()
        leaving = await attached(hub, FakeSocket(), participant=leaver)
        staying = await attached(hub, FakeSocket(), participant=uuid.uuid4())
        publish(hub, event(1, "participant.left", participant_id=str(leaver)))
        assert logged(leaving) == [1, Close(CloseCode.REMOVED)]
        assert logged(staying) == [1]
        publish(hub, event(2, "circle.closed"))
        assert logged(staying) == [1, 2, Close(CloseCode.CIRCLE_GONE)]

    run(scenario)


def test_a_socket_being_admitted_holds_events_but_no_private_notice_and_is_not_yet_online() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        member = uuid.uuid4()
        arriving = Connection(AsgiOutlet(FakeSocket(), 64), CIRCLE, None, 64, admitted=False)  # type: ignore[arg-type]
        await hub.attach(arriving)
        publish(hub, event(1))
        hub.deliver_private([PrivateNotice(CIRCLE, frozenset(), '{"type":"support.asked"}')])
        assert logged(arriving) == [1]
        assert len(held(arriving)) == 1  # the notice, meant for keepers and the app, was not held for it
        assert await hub.online(CIRCLE) == set()
        await hub.admit(arriving, member, witness=False)
        assert await hub.online(CIRCLE) == {member}
        hub.detach(arriving)
        assert hub.sockets_of(CIRCLE, member) == 0

    run(scenario)


def test_a_private_notice_that_came_while_a_keeper_was_admitted_follows_their_catch_up_once() -> None:
    """A request for support committed as a keeper's socket is admitted is in what the admission read (its
    catch-up brings it) or not, and its notice reaches the hub before the admission or after: either way the
    keeper gets it once, after the catch-up; a member never."""

    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        keeper = uuid.uuid4()
        early, late, acknowledged = (f'{{"type":"support","signal_id":"{n}"}}' for n in ("s1", "s2", "s1-ack"))
        sockets = {name: FakeSocket() for name in ("read_both", "read_neither", "member")}
        arriving = {
            name: Connection(AsgiOutlet(socket, 64), CIRCLE, None, 64, admitted=False)  # type: ignore[arg-type]
            for name, socket in sockets.items()
        }
        for connection in arriving.values():
            await hub.attach(connection)
        hub.deliver_private([PrivateNotice(CIRCLE, frozenset({keeper}), early)])  # while they are being admitted
        await hub.admit(arriving["read_both"], keeper, witness=False, replayed=[early, late])
        await hub.admit(arriving["read_neither"], keeper, witness=False)
        await hub.admit(arriving["member"], uuid.uuid4(), witness=False)
        hub.deliver_private([PrivateNotice(CIRCLE, frozenset({keeper}), text) for text in (late, acknowledged)])
        welcome = Frame.of('{"type":"welcome"}')
        assert arriving["read_both"].catch_up(Frame.joined([welcome, Frame.of(early), Frame.of(late)]), 0)
        assert arriving["read_neither"].catch_up(welcome, 0)
        assert arriving["member"].catch_up(welcome, 0)
        await settle(lambda: len(sockets["read_both"].sent) >= 4 and len(sockets["read_neither"].sent) >= 4)
        await settle(lambda: len(sockets["member"].sent) >= 1)

        def texts(name: str) -> list[str]:
            return [text for text in sockets[name].sent if "presence" not in text]

        assert texts("read_both") == ['{"type":"welcome"}', early, late, acknowledged]
        assert texts("read_neither") == ['{"type":"welcome"}', early, late, acknowledged]
        assert texts("member") == ['{"type":"welcome"}']

    run(scenario)


def test_someone_removed_while_their_socket_was_admitted_gets_the_close_after_their_catch_up() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        leaver = uuid.uuid4()
        socket = FakeSocket()
        arriving = Connection(AsgiOutlet(socket, 64), CIRCLE, None, 64, admitted=False)  # type: ignore[arg-type]
        await hub.attach(arriving)
        publish(hub, event(1, "participant.left", participant_id=str(leaver)))
        assert logged(arriving) == [1]  # not known to be theirs yet: not closed
        await hub.admit(arriving, leaver, witness=False)
        assert logged(arriving) == [1, Close(CloseCode.REMOVED)]
        assert await hub.online(CIRCLE) == set()
        assert arriving.catch_up(Frame.of('{"type":"welcome"}'), 0)
        await settle(lambda: socket.closed_with is not None)
        assert [json.loads(text)["type"] for text in socket.sent] == ["welcome", "event"]
        assert socket.closed_with == CloseCode.REMOVED

    run(scenario)


def test_a_close_queued_behind_a_stuck_frame_is_not_lost_when_the_client_is_cut() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        stuck = FakeSocket(blocked=True)
        outlet = AsgiOutlet(stuck, 256)  # type: ignore[arg-type]
        connection = Connection(outlet, CIRCLE, None, 256, max_wait_seconds=0.2)
        await hub.attach(connection)
        connection.follow(0)
        sweeper = asyncio.create_task(cut_stalled_forever(hub, 0.05))
        try:
            publish(hub, event(1))  # being sent, and stuck
            hub.accept(Outbox(erased_circles=[CIRCLE]))  # its close waits behind that frame
            await settle(lambda: stuck.closed_with is not None)
            assert stuck.closed_with == CloseCode.TRY_AGAIN_LATER
        finally:
            sweeper.cancel()

    run(scenario)


def test_a_frame_that_waits_too_long_drops_its_client_though_its_queue_has_room() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        stuck, reader = FakeSocket(blocked=True), FakeSocket()
        outlet = AsgiOutlet(stuck, 256)  # type: ignore[arg-type]
        stuck_connection = Connection(outlet, CIRCLE, None, 256, max_wait_seconds=0.2)
        await hub.attach(stuck_connection)
        reader_connection = await attached(hub, reader)
        stuck_connection.follow(0)
        reader_connection.follow(0)
        sweeper = asyncio.create_task(cut_stalled_forever(hub, 0.05))
        try:
            publish(hub, event(1))  # one frame, then nothing: only the sweep can notice it waiting
            await settle(lambda: stuck.closed_with is not None)
            assert stuck.closed_with == CloseCode.TRY_AGAIN_LATER
            assert stuck_connection.closed
            publish(hub, event(2))
            await settle(lambda: len(reader.sent) == 2)
            assert seqs(reader) == [1, 2]
        finally:
            sweeper.cancel()

    run(scenario)


def test_a_large_circles_fan_out_waits_for_the_writers_answer_yet_every_socket_gets_everything_in_order(
    monkeypatch: Any,
) -> None:
    """Size does not hold the writer's answer: in a circle larger than FANOUT_AT_ONCE, `accept` (which runs on
    the loop just before the committing request is resumed) leaves the fan-out to the channel's task, which
    lets the callbacks already queued run first. Every socket still gets every event once and in seq order,
    a private notice and a close after the events handed over before them, and one detached meanwhile gets
    nothing more."""
    monkeypatch.setattr("circles.live.channel.FANOUT_AT_ONCE", 3)
    monkeypatch.setattr("circles.live.channel.FANOUT_SLICE", 4)  # and in slices, with the loop turning between

    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        leaver = uuid.uuid4()
        keeper_socket = FakeSocket()
        sockets = [FakeSocket() for _ in range(10)]
        connections = [await attached(hub, socket, participant=uuid.uuid4()) for socket in sockets]
        leaving = await attached(hub, keeper_socket, participant=leaver)
        app_socket = FakeSocket()
        app = await attached(hub, app_socket)  # the app's socket: the private notice is for it
        everyone = [*connections, leaving, app]
        for connection in everyone:
            connection.follow(0)
        gone = connections.pop()
        seen_by_the_answer: list[int] = []
        publish(hub, event(1), event(2))
        # As the request whose commit it was: resumed by a callback queued right after `accept`.
        asyncio.get_running_loop().call_soon(
            lambda: seen_by_the_answer.append(sum(1 for c in everyone if c.last_seq == 2))
        )
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        await asyncio.sleep(0)  # the first slice has gone out, no more
        assert 0 < sum(1 for c in everyone if c.last_seq == 2) <= 4
        hub.detach(gone)  # while the fan-out is under way, before its slice
        publish(hub, event(3, "participant.left", participant_id=str(leaver)))
        hub.deliver_private([PrivateNotice(CIRCLE, frozenset(), '{"type":"support.asked"}')])
        publish(hub, event(4))
        followers = [*sockets[:-1], app_socket]
        await settle(lambda: all(seqs(socket) == [1, 2, 3, 4] for socket in followers))
        await settle(lambda: keeper_socket.closed_with is not None)
        assert seen_by_the_answer == [0]  # answered before any socket was offered the change
        assert seqs(keeper_socket) == [1, 2, 3]  # the close came after its event, and nothing after it
        assert keeper_socket.closed_with == CloseCode.REMOVED
        assert seqs(sockets[-1]) in ([], [1, 2])  # nothing after it was detached (in the first slice, or not)
        kinds = [json.loads(text).get("seq", "notice") for text in app_socket.sent]
        assert kinds == [1, 2, 3, "notice", 4]

    run(scenario)


def test_a_small_circle_is_still_sent_at_once() -> None:
    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        connections = [await attached(hub, FakeSocket()) for _ in range(4)]
        publish(hub, event(1))
        assert all(logged(c) == [1] for c in connections)

    run(scenario)


def test_the_fan_out_lag_of_a_large_circle_is_timed_when_its_last_socket_was_offered_the_change(
    monkeypatch: Any,
) -> None:
    """`circles_fanout_lag_seconds` runs from the commit to the last socket here: in a circle larger than
    FANOUT_AT_ONCE that is in the channel's task, after the answer, so it is observed then, not at `accept`."""
    monkeypatch.setattr("circles.live.channel.FANOUT_AT_ONCE", 2)
    observed: list[float] = []
    monkeypatch.setattr("circles.live.hub.FANOUT_LAG", type("Lag", (), {"observe": staticmethod(observed.append)}))

    async def scenario() -> None:
        hub = make_hub(log=[])
        hub.start()
        connections = [await attached(hub, FakeSocket()) for _ in range(5)]
        for connection in connections:
            connection.follow(0)
        hub.publish_threadsafe(Outbox(events={CIRCLE: [event(1)]}))
        at_the_answer: list[int] = []  # as the committing request, resumed right after `accept`
        asyncio.get_running_loop().call_soon(lambda: at_the_answer.append(len(observed)))
        await settle(lambda: len(observed) == 1)
        assert at_the_answer == [0]
        assert all(c.last_seq == 1 for c in connections)  # observed once the last socket was offered it
        assert observed[0] >= 0

        small = make_hub(log=[])  # at once: observed as `accept` returns
        small.start()
        (await attached(small, FakeSocket())).follow(0)
        small.publish_threadsafe(Outbox(events={CIRCLE: [event(1)]}))
        await settle(lambda: len(observed) == 2)

    run(scenario)
