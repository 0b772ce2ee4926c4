"""The hub: fans each committed event out to the sockets of its circle, in seq order, exactly once.

Writers hand the hub their outbox after commit, from any thread. Per circle, a channel restores seq
order (two transactions can commit in one order and reach the hub in the other), waits briefly for a
missing seq and then reads it from the log, serializes and frames each event once and offers the same bytes
to every socket. Presence (who has a socket open) is kept here too; it is not in the log. Keepers and
members are announced one by one (`presence`); witnesses, the audience, are counted (`audience`, coalesced
by circles.live.audience).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Collection, Coroutine
from typing import Any

from starlette.concurrency import run_in_threadpool

from circles.event.log import Outbox
from circles.event.models import EventPublic
from circles.live.audience import AudienceCoalescer, AudienceFigures
from circles.live.channel import Channel
from circles.live.connection import Close, Connection, Frame
from circles.live.credentials import SocketCredentials
from circles.live.presence import LocalPresenceBoard, PresenceBoard
from circles.live.private import PrivateNotice
from circles.live.protocol import AudienceFrame, CloseCode

logger = logging.getLogger(__name__)
# One line per event the listeners take, at CIRCLES_LOG_LEVEL=debug (each once: see circles.live.redis_broker).
LISTENER_LOGGER = "circles.live.listeners"
listener_log = logging.getLogger(LISTENER_LOGGER)

EventListener = Callable[[uuid.UUID, EventPublic], None]
PresenceListener = Callable[[uuid.UUID], Coroutine[Any, Any, None]]
ReadLastSeq = Callable[[uuid.UUID], int | None]
ReadEvents = Callable[[uuid.UUID, int, int], list[EventPublic]]
ReadLastSeqs = Callable[[list[uuid.UUID]], dict[uuid.UUID, int]]
CountWitnesses = Callable[[uuid.UUID], int]


# Keepers' and members' comings and goings are gathered for this long, then announced together: one write
# per socket for all of them, and someone who drops and is back within it (a reconnect) is not announced.
PRESENCE_SETTLE_SECONDS = 0.25


def _no_witnesses(circle_id: uuid.UUID) -> int:
    return 0  # a hub without a database (tests of the hub alone)


class Hub:
    def __init__(
        self,
        read_last_seq: ReadLastSeq,
        read_events: ReadEvents,
        gap_fill_seconds: float,
        board: PresenceBoard | None = None,
        count_witnesses: CountWitnesses = _no_witnesses,
        audience_interval: float = 1.0,
        presence_settle_seconds: float = PRESENCE_SETTLE_SECONDS,
    ) -> None:
        self.read_last_seq = read_last_seq
        self.read_events = read_events
        self.gap_fill_seconds = gap_fill_seconds
        self.board: PresenceBoard = board or LocalPresenceBoard()
        self.count_witnesses = count_witnesses
        self.presence_settle_seconds = presence_settle_seconds
        self.audience = AudienceCoalescer(
            audience_interval, self._count_seated_witnesses, self.witnesses_online, self._send_audience
        )
        self.on_presence_change: Callable[[uuid.UUID], None] = lambda circle_id: None
        self._presence_listeners: list[PresenceListener] = []
        self._channels: dict[uuid.UUID, Channel] = {}
        self.credentials = SocketCredentials()
        self._swept: set[Connection] = set()  # those whose outlet cannot tell by itself that a frame waited too long
        self._listeners: list[EventListener] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    def add_presence_listener(self, listener: PresenceListener) -> None:
        """`listener(circle_id)` runs whenever this instance sees who is online in a circle change (its own
        sockets coming and going, or another instance's). It reads who is online itself, when it acts."""
        self._presence_listeners.append(listener)

    def add_listener(self, listener: EventListener) -> None:
        self._listeners.append(listener)

    # -- from writers ---------------------------------------------------------------------------------
    def publish_threadsafe(self, outbox: Outbox) -> None:
        """Hand a committed transaction's outbox to the hub, from any thread."""
        if self._loop is None or self._loop.is_closed() or not outbox:
            return
        self._loop.call_soon_threadsafe(self.accept, outbox)

    def accept(self, outbox: Outbox) -> None:
        for circle_id, events in outbox.events.items():
            for event in events:
                listener_log.debug("listeners take circle %s seq %d (%s)", circle_id, event.seq, event.name)
                for listener in self._listeners:
                    listener(circle_id, event)
            if (channel := self._channels.get(circle_id)) is not None:
                channel.receive(*events)
        for circle_id in outbox.erased_circles:
            if (channel := self._channels.get(circle_id)) is not None:
                channel.close_all(CloseCode.CIRCLE_GONE)
        self.credentials.revoke(outbox.revoked_credentials)

    def publish_private_threadsafe(self, notices: list[PrivateNotice]) -> None:
        """Hand committed private notices to the hub, from any thread."""
        if self._loop is None or self._loop.is_closed() or not notices:
            return
        self._loop.call_soon_threadsafe(self.deliver_private, notices)

    def deliver_private(self, notices: list[PrivateNotice]) -> None:
        """Offer each notice to the sockets it is for (its recipients' and the app's), and no others. A socket
        still being admitted keeps it until it is known whose it is (see `admit`)."""
        for notice in notices:
            channel = self._channels.get(notice.circle_id)
            if channel is None:
                continue
            frame = Frame.of(notice.text)
            for connection in list(channel.connections):
                if not connection.admitted:
                    if len(connection.notices_before_admission) < connection.queue_size:
                        connection.notices_before_admission.append(notice)
                elif self._is_news(connection, notice) and not connection.offer(frame):
                    self.drop_slow(connection)

    @staticmethod
    def _is_news(connection: Connection, notice: PrivateNotice) -> bool:
        return notice.is_for(connection.participant_id) and notice.text not in connection.replayed

    # -- from sockets ---------------------------------------------------------------------------------
    async def attach(self, connection: Connection, *, witness: bool = False) -> None:
        """Start collecting the circle's events for this connection (before its catch-up is read). An admitted
        connection counts as online at once (`witness`: its participant is a witness, counted in the audience,
        not announced); one still being admitted only from `admit`. From now on, a connection whose frame waits
        too long is dropped: by its outlet's own timer, or else by `cut_stalled_forever`."""
        channel = self._channels.get(connection.circle_id)
        if channel is None:
            channel = self._channels[connection.circle_id] = Channel(self, connection.circle_id)
            try:
                await channel.initialize()
            except BaseException:
                del self._channels[connection.circle_id]
                raise
        else:
            await channel.ready.wait()
        channel.connections.add(connection)
        channel.newcomers[connection] = None  # told nothing of presence until its catch-up
        self.credentials.add(connection)
        if not connection.watch_stall(lambda: self.drop_slow(connection)):
            self._swept.add(connection)
        if connection.admitted:
            await self._seat(channel, connection, witness)

    async def admit(
        self,
        connection: Connection,
        participant_id: uuid.UUID | None,
        *,
        witness: bool,
        replayed: Collection[str] = (),
    ) -> None:
        """An attached connection's credential was read: whose it is (None: the app's). From now on it counts
        as online and gets the private notices meant for it: those that came while it was being admitted
        first, after its catch-up, then the rest, except any saying what its catch-up will (`replayed`, the
        private frames it brings). Someone removed while their socket was being admitted is not: they get
        their catch-up, then the close, as if they had been admitted first."""
        channel = self._channels.get(connection.circle_id)
        if channel is None or connection not in channel.connections:
            return  # dropped meanwhile
        if participant_id is not None and participant_id in channel.departed:
            connection.offer(Close(CloseCode.REMOVED))
            return
        connection.participant_id, connection.admitted = participant_id, True
        connection.replayed = frozenset(replayed)
        waiting, connection.notices_before_admission = connection.notices_before_admission, []
        for notice in waiting:
            if self._is_news(connection, notice) and not connection.offer(Frame.of(notice.text)):
                self.drop_slow(connection)
                return
        await self._seat(channel, connection, witness)

    async def _seat(self, channel: Channel, connection: Connection, witness: bool) -> None:
        participant_id = connection.participant_id
        if participant_id is not None:
            channel.sockets_per_participant[participant_id] += 1
            if channel.sockets_per_participant[participant_id] == 1:
                if witness:
                    channel.witnesses.add(participant_id)
                await self._presence_changed(channel, participant_id, online=True, witness=witness)

    def detach(self, connection: Connection) -> None:
        channel = self._channels.get(connection.circle_id)
        if channel is None or connection not in channel.connections:
            return
        channel.connections.discard(connection)
        channel.newcomers.pop(connection, None)
        self.credentials.remove(connection)
        self._swept.discard(connection)
        participant_id = connection.participant_id
        if participant_id is not None:
            channel.sockets_per_participant[participant_id] -= 1
            if channel.sockets_per_participant[participant_id] <= 0:
                del channel.sockets_per_participant[participant_id]
                witness = participant_id in channel.witnesses
                channel.witnesses.discard(participant_id)
                self._spawn(self._presence_changed(channel, participant_id, online=False, witness=witness))
        if not channel.connections:
            channel.discard()
            del self._channels[connection.circle_id]
            self.audience.forget(connection.circle_id)

    def drop_slow(self, connection: Connection) -> None:
        waited = connection.waited(time.monotonic())
        logger.info(
            "circle %s: a client fell behind and was dropped (its oldest unsent frame waited %.1f s)",
            connection.circle_id,
            waited,
        )
        connection.close_soon(CloseCode.TRY_AGAIN_LATER, "too far behind; reconnect with after")
        self.detach(connection)

    def sockets_of(self, circle_id: uuid.UUID, participant_id: uuid.UUID) -> int:
        """How many live sockets the participant holds on this instance."""
        channel = self._channels.get(circle_id)
        return channel.sockets_per_participant[participant_id] if channel is not None else 0

    async def online_for_catch_up(self, connection: Connection) -> set[uuid.UUID]:
        """Who is online, for a new socket's catch-up: the keepers and members with a live socket now. The
        socket is remembered as told exactly this, so the next presence announcement sends it the changes to
        what it was told, not to what the sockets before it were told (their news may still be settling)."""
        online = await self.online(connection.circle_id)
        if (channel := self._channels.get(connection.circle_id)) is not None and connection in channel.connections:
            if channel.announcing or online != channel.announced:
                channel.newcomers[connection] = online
                self._announce_soon(channel)
            else:
                del channel.newcomers[connection]  # told what everyone was told: it follows the common news
        return online

    async def online(self, circle_id: uuid.UUID) -> set[uuid.UUID]:
        """The circle's keepers and members with a live socket on any instance (a copy, safe to hand to a
        thread). Witnesses are not in it: see `witnesses_online` and `everyone_online`."""
        channel = self._channels.get(circle_id)
        return await self.board.online(circle_id, channel.holders_here() if channel is not None else set())

    async def witnesses_online(self, circle_id: uuid.UUID) -> int:
        """How many of the circle's witnesses have a live socket on any instance (counted, not read)."""
        channel = self._channels.get(circle_id)
        return await self.board.witnesses_online(circle_id, set(channel.witnesses) if channel is not None else set())

    async def everyone_online(self, circle_id: uuid.UUID) -> set[uuid.UUID]:
        """Everyone with a live socket, witnesses included, by id: reads every record, so it is for listings
        (the participants endpoints), not for each arrival."""
        channel = self._channels.get(circle_id)
        local = set(channel.sockets_per_participant) if channel is not None else set()
        return await self.board.everyone_online(circle_id, local)

    def seating_changed(self, channel: Channel, participant: dict[str, Any]) -> None:
        """Someone was seated, left or changed role (`participant`: the event's participant, {} if it names
        none): the audience is counted again, and a participant with sockets here who became a witness (or
        stopped being one) moves between presence and the audience."""
        self.audience.seating_changed(channel.circle_id)
        role = participant.get("role")
        try:
            participant_id = uuid.UUID(str(participant.get("id")))
        except ValueError:
            return
        if role is None or participant_id not in channel.sockets_per_participant:
            return
        witness = role == "witness"
        if witness == (participant_id in channel.witnesses):
            return
        if witness:
            channel.witnesses.add(participant_id)
        else:
            channel.witnesses.discard(participant_id)
        self._spawn(self._role_changed(channel, participant_id, witness=witness))

    def presence_may_have_changed(self, circle_id: uuid.UUID) -> None:
        """Another instance saw someone come or go: look again, and tell this instance's sockets."""
        if (channel := self._channels.get(circle_id)) is not None:
            self._announce_soon(channel)

    # -- backstops ------------------------------------------------------------------------------------
    async def poll_log_forever(self, interval: float, read_last_seqs: ReadLastSeqs) -> None:
        """Every `interval`, compare each followed circle with its log and read whatever did not arrive
        (a lost publication, a broker outage); a circle that is gone closes its sockets."""
        while True:
            await asyncio.sleep(interval)
            followed = [c for c in self._channels.values() if c.next_seq is not None]
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

    async def cut_stalled_forever(self, interval: float) -> None:
        """Every `interval`, drop the sockets whose frame has waited too long (see Connection), even when no
        new frame is offered to them to notice it: only those whose outlet has no timer of its own (the ASGI
        path). Under `circles serve` each socket's transport times itself, and this has nothing to look at (a
        pass over all of them stalled the loop 10 to 15 ms, every `interval`, in a server holding 10,000)."""
        while True:
            await asyncio.sleep(interval)
            now = time.monotonic()
            for connection in [c for c in self._swept if c.waited_too_long(now)]:
                self.drop_slow(connection)

    async def refresh_presence_forever(self, interval: float) -> None:
        """Keep this instance's presence records alive, and tell sockets about anyone who came or went
        elsewhere (an instance that died takes its participants offline when their records expire)."""
        while True:
            await asyncio.sleep(interval)
            try:
                channels = list(self._channels.values())
                await self.board.refresh(
                    {c.circle_id: c.holders_here() for c in channels}, {c.circle_id: set(c.witnesses) for c in channels}
                )
                for channel in list(self._channels.values()):
                    await self._announce_changes(channel)
            except Exception:
                logger.exception("refreshing presence failed; will try again")

    def close_all(self, code: CloseCode) -> None:
        for channel in list(self._channels.values()):
            for connection in list(channel.connections):
                connection.close_soon(code)

    async def _presence_changed(
        self, channel: Channel, participant_id: uuid.UUID, *, online: bool, witness: bool
    ) -> None:
        await self.board.mark(channel.circle_id, participant_id, online, witness=witness)
        self.on_presence_change(channel.circle_id)
        if witness:
            self._audience_changed(channel.circle_id)
        else:
            self._announce_soon(channel, changed_here=True)

    async def _role_changed(self, channel: Channel, participant_id: uuid.UUID, *, witness: bool) -> None:
        await self.board.mark(channel.circle_id, participant_id, False, witness=not witness)
        await self.board.mark(channel.circle_id, participant_id, True, witness=witness)
        self.on_presence_change(channel.circle_id)
        self._announce_soon(channel, changed_here=True)

    def _audience_changed(self, circle_id: uuid.UUID) -> None:
        if circle_id in self._channels:
            self.audience.changed(circle_id)

    async def _count_seated_witnesses(self, circle_id: uuid.UUID) -> int:
        return await run_in_threadpool(self.count_witnesses, circle_id)

    def _send_audience(self, circle_id: uuid.UUID, figures: AudienceFigures) -> None:
        if (channel := self._channels.get(circle_id)) is not None:
            text = AudienceFrame(witnesses=figures.witnesses, online=figures.online).model_dump_json()
            channel.broadcast(Frame.of(text))

    def _announce_soon(self, channel: Channel, *, changed_here: bool = False) -> None:
        """`_announce_changes` without waiting for it; no task at all when one is already gathering (a
        reconnect storm is hundreds of arrivals a second in one circle)."""
        channel.listeners_due = channel.listeners_due or changed_here
        if not channel.announcing:
            channel.announcing = True
            self._spawn(self._announcement(channel))

    async def _announce_changes(self, channel: Channel, *, changed_here: bool = False) -> None:
        """Tell the channel's sockets which keepers and members came online or went offline since they were
        last told, and the presence listeners (always when a socket of this instance came or went: they act
        at most once); and count the audience again (the coalescer sends it only if it changed). Changes
        that come within `presence_settle_seconds` of each other are announced together."""
        channel.listeners_due = channel.listeners_due or changed_here
        if channel.announcing:
            return  # the announcement already on its way will include this change
        channel.announcing = True
        await self._announcement(channel)

    async def _announcement(self, channel: Channel) -> None:
        """An announcement that `channel.announcing` was set for."""
        try:
            await asyncio.sleep(self.presence_settle_seconds)
            self._audience_changed(channel.circle_id)
            online = await self.board.online(channel.circle_id, channel.holders_here())
        finally:
            channel.announcing = False
        changed = channel.announce(online)
        if changed or channel.listeners_due:
            channel.listeners_due = False
            for listener in self._presence_listeners:
                self._spawn(listener(channel.circle_id))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
