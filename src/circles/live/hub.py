"""The hub: fans each committed event out to the sockets of its circle, in seq order, exactly once.

Writers hand the hub their outbox after commit, from any thread. Its listeners (deadline timers, absence
rounds) take each event once, as a typed `LoggedEvent`. Per circle, a channel (circles.live.channel) restores
seq order, fills gaps from the log and offers each event's frame to every socket. The hub keeps the sockets'
lifecycle: attached before their catch-up, admitted once their credential is read, dropped when they fall too
far behind, detached when they close. Who is online is its `presence` (circles.live.circle_presence); the
loops that back all of this up run in circles.live.backstops.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import uuid
from collections.abc import Callable, Collection, Sequence

from circles.event.outbox import Outbox
from circles.event.payloads import LoggedEvent
from circles.event.private_notices import PrivateNotice
from circles.live.channel import Channel, LogSource
from circles.live.circle_presence import CirclePresence
from circles.live.connection import Close, Connection, Frame
from circles.live.credentials import SocketCredentials
from circles.live.protocol import CloseCode
from circles.metrics.instruments import FANOUT_LAG, SLOW_CLIENTS_CUT, SOCKETS_ADMITTED

logger = logging.getLogger(__name__)
# One line per event the listeners take, at CIRCLES_LOG_LEVEL=debug (each once: see circles.live.redis_broker).
LISTENER_LOGGER = "circles.live.listeners"
listener_log = logging.getLogger(LISTENER_LOGGER)

EventListener = Callable[[LoggedEvent], None]


class Hub:
    def __init__(
        self,
        log: LogSource,
        presence: CirclePresence | None = None,
        listeners: Sequence[EventListener] = (),
    ) -> None:
        self.log = log
        self.presence = presence or CirclePresence()
        self.credentials = SocketCredentials()
        self._listeners = tuple(listeners)
        self._channels: dict[uuid.UUID, Channel] = {}
        self._swept: set[Connection] = set()  # those whose outlet cannot tell by itself that a frame waited too long
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    # -- from writers ---------------------------------------------------------------------------------
    def publish_threadsafe(self, outbox: Outbox) -> None:
        """Hand a committed transaction's outbox to the hub, from any thread."""
        if self._loop is None or self._loop.is_closed() or not outbox:
            return
        self._loop.call_soon_threadsafe(self._accept_committed, outbox, time.perf_counter())

    def _accept_committed(self, outbox: Outbox, committed_at: float) -> None:
        """`accept` this instance's own commit, and time its fan-out: from the commit (`committed_at`, on
        perf_counter's clock) until the last of its circles' sockets here was handed its frame."""
        self.accept(outbox)
        channels = [self._channels[circle_id] for circle_id in outbox.events if circle_id in self._channels]
        waiting = len(channels)

        def one_sent() -> None:  # a large circle's fan-out runs in its channel's task, after the answer
            nonlocal waiting
            waiting -= 1
            if waiting == 0:
                FANOUT_LAG.observe(time.perf_counter() - committed_at)

        for channel in channels:
            channel.when_sent(one_sent)

    def accept(self, outbox: Outbox) -> None:
        """Take a committed outbox (this instance's, or another's through the broker): each event to the
        listeners once, and to its circle's channel; then the outbox's instructions (circles erased,
        credentials revoked)."""
        for circle_id, events in outbox.events.items():
            for event in events:
                logged = LoggedEvent(circle_id, event)
                listener_log.debug("listeners take circle %s seq %d (%s)", circle_id, event.seq, event.name)
                for listener in self._listeners:
                    listener(logged)
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
            if channel is not None:
                channel.each(functools.partial(self._deliver_notice, notice, Frame.of(notice.text)))

    def _deliver_notice(self, notice: PrivateNotice, frame: Frame, connection: Connection, now: float) -> None:
        if not connection.admitted:
            if len(connection.notices_before_admission) < connection.queue_size:
                connection.notices_before_admission.append(notice)
        elif self._is_news(connection, notice) and not connection.offer(frame, now):
            self.drop_slow(connection)

    @staticmethod
    def _is_news(connection: Connection, notice: PrivateNotice) -> bool:
        return notice.is_for(connection.participant_id) and notice.text not in connection.replayed

    # -- from sockets ---------------------------------------------------------------------------------
    async def attach(self, connection: Connection, *, witness: bool = False) -> None:
        """Start collecting the circle's events for this connection (before its catch-up is read). An admitted
        connection counts as online at once (`witness`: its participant is a witness, counted in the audience,
        not announced); one still being admitted only from `admit`. From now on, a connection whose frame waits
        too long is dropped: by its outlet's own timer, or else by the backstop that cuts stalled sockets."""
        channel = self._channels.get(connection.circle_id)
        if channel is None:
            channel = Channel(connection.circle_id, self.log, self.drop_slow, self.presence.reseated)
            self._channels[connection.circle_id] = channel
            try:
                await self.presence.open(channel)
                await channel.initialize()
            except BaseException:
                del self._channels[connection.circle_id]
                self.presence.close(connection.circle_id)
                raise
        else:
            await channel.ready.wait()
        channel.connections.add(connection)
        self.presence.expect_catch_up(connection)
        self.credentials.add(connection)
        if not connection.watch_stall(lambda: self.drop_slow(connection)):
            self._swept.add(connection)
        if connection.admitted:
            await self.presence.seat(connection, witness=witness)

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
        SOCKETS_ADMITTED.inc()
        connection.replayed = frozenset(replayed)
        waiting, connection.notices_before_admission = connection.notices_before_admission, []
        for notice in waiting:
            if self._is_news(connection, notice) and not connection.offer(Frame.of(notice.text)):
                self.drop_slow(connection)
                return
        await self.presence.seat(connection, witness=witness)

    def detach(self, connection: Connection) -> None:
        channel = self._channels.get(connection.circle_id)
        if channel is None or connection not in channel.connections:
            return
        channel.connections.discard(connection)
        self.credentials.remove(connection)
        self._swept.discard(connection)
        self.presence.unseat(connection)
        if not channel.connections:
            channel.discard()
            del self._channels[connection.circle_id]
            self.presence.close(connection.circle_id)

    def drop_slow(self, connection: Connection) -> None:
        if not connection.closed:
            SLOW_CLIENTS_CUT.inc()
        waited = connection.waited(time.monotonic())
        logger.info(
            "circle %s: a client fell behind and was dropped (its oldest unsent frame waited %.1f s)",
            connection.circle_id,
            waited,
        )
        connection.close_soon(CloseCode.TRY_AGAIN_LATER, "too far behind; reconnect with after")
        self.detach(connection)

    def close_all(self, code: CloseCode) -> None:
        for channel in list(self._channels.values()):
            for connection in list(channel.connections):
                connection.close_soon(code)

    # -- for the backstops (circles.live.backstops) ---------------------------------------------------
    def followed(self) -> list[Channel]:
        """The channels that know which seq comes next (their newest seq has been read from the log)."""
        return [channel for channel in self._channels.values() if channel.next_seq is not None]

    def stalled(self, now: float) -> list[Connection]:
        """The connections whose outlet has no timer of its own and whose oldest frame has waited too long."""
        return [connection for connection in self._swept if connection.waited_too_long(now)]

    # -- presence, for the socket and the participants endpoints (answered by `presence`) ---------------
    def sockets_of(self, circle_id: uuid.UUID, participant_id: uuid.UUID) -> int:
        return self.presence.sockets_of(circle_id, participant_id)

    async def online_for_catch_up(self, connection: Connection) -> set[uuid.UUID]:
        return await self.presence.online_for_catch_up(connection)

    async def online(self, circle_id: uuid.UUID) -> set[uuid.UUID]:
        return await self.presence.online(circle_id)

    async def witnesses_online(self, circle_id: uuid.UUID) -> int:
        return await self.presence.witnesses_online(circle_id)

    async def everyone_online(self, circle_id: uuid.UUID) -> set[uuid.UUID]:
        return await self.presence.everyone_online(circle_id)
