"""Presence in the circles this instance has sockets in: who is online, told to those sockets as it changes.

It is not in the log. Each admitted socket seats its participant here; the first socket of a participant
marks them online on the board (circles.live.presence: this instance alone, or every instance through
Redis), the last one's close marks them offline. Keepers and members are announced (`presence` frames,
gathered for `settle_seconds`, so one who drops and is back within it is not announced: one change as
itself, several as one list of everyone online); witnesses,
the audience, are counted (`audience` frames, coalesced by circles.live.audience).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from starlette.concurrency import run_in_threadpool

from circles.live.audience import AudienceCoalescer, AudienceFigures
from circles.live.channel import Channel
from circles.live.connection import Connection, Frame
from circles.live.event_effects import Reseating
from circles.live.presence import LocalPresenceBoard, PresenceBoard
from circles.live.protocol import AudienceFrame, PresenceFrame, PresenceListFrame
from circles.talking_piece.model import Role

PresenceListener = Callable[[uuid.UUID], Coroutine[Any, Any, None]]
CountWitnesses = Callable[[uuid.UUID], int]

# Keepers' and members' comings and goings are gathered for this long, then announced together: one write
# per socket for all of them, and someone who drops and is back within it (a reconnect) is not announced.
PRESENCE_SETTLE_SECONDS = 0.25


def _no_witnesses(circle_id: uuid.UUID) -> int:
    return 0  # presence without a database (tests of the hub alone)


def _tell_no_one(circle_id: uuid.UUID) -> None:
    return None  # one instance: no other instance to tell


class _Seats:
    """One circle's presence on this instance, and its channel, whose sockets are told."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self.sockets_per_participant: Counter[uuid.UUID] = Counter()  # who has a socket here
        self.witnesses: set[uuid.UUID] = set()  # those of them who are witnesses: counted, not announced
        self.announced: set[uuid.UUID] = set()  # who the channel's sockets were last told is online
        self.announcing = False  # an announcement is gathering changes (see CirclePresence._announce_soon)
        self.listeners_due = False  # a socket of this instance came or went since the listeners last ran
        # Sockets that caught up since the last announcement, and who their catch-up said was online (None
        # until it is read): they get the changes to that, not the channel's (see `announce`).
        self.newcomers: dict[Connection, set[uuid.UUID] | None] = {}

    def holders_here(self) -> set[uuid.UUID]:
        """The keepers and members with a socket on this instance."""
        return set(self.sockets_per_participant) - self.witnesses

    def announce(self, online: set[uuid.UUID]) -> bool:
        """Tell each socket which keepers and members came online or went offline since it was last told:
        the channel's changes to most, and to a socket that caught up since the last announcement, the
        changes to what its catch-up said. One change is told as itself (a `presence` frame naming one
        participant); several as one `presence` frame listing everyone online now, built once for all the
        sockets (many arrivals at once cost each socket one frame, not one per arrival). True when the
        channel's own view changed."""
        frames: dict[tuple[uuid.UUID, bool], Frame] = {}
        listed: list[Frame] = []  # the list frame, once built

        def frames_of(changes: list[tuple[uuid.UUID, bool]]) -> Frame | None:
            if len(changes) > 1:
                if not listed:
                    listed.append(Frame.of(PresenceListFrame(participants_online=sorted(online)).model_dump_json()))
                return listed[0]
            if not changes:
                return None
            if (change := changes[0]) not in frames:
                text = PresenceFrame(participant_id=change[0], online=change[1]).model_dump_json()
                frames[change] = Frame.of(text)
            return frames[change]

        changes = _changes(self.announced, online)
        self.announced = online
        common = frames_of(changes)
        newcomers = self.newcomers
        self.newcomers = {connection: told for connection, told in newcomers.items() if told is None}
        now = time.monotonic()
        for connection in list(self.channel.connections):
            if connection not in newcomers:
                frame = common
            elif (told := newcomers[connection]) is not None:
                frame = frames_of(_changes(told, online))
            else:
                continue  # its catch-up, still to come, will say who is online then
            if frame is not None:
                self.channel.offer(connection, frame, now)
        return bool(changes)


class CirclePresence:
    """Who is online in each circle with sockets here, kept on `board` and announced to those sockets.

    `listeners` run (`listener(circle_id)`) whenever this instance sees who is online in a circle change (its
    own sockets coming and going, or another instance's); each reads who is online itself, when it acts.
    `on_change(circle_id)` is told when a socket of this instance changed it (the broker tells the others)."""

    def __init__(
        self,
        board: PresenceBoard | None = None,
        *,
        count_witnesses: CountWitnesses = _no_witnesses,
        audience_interval: float = 1.0,
        settle_seconds: float = PRESENCE_SETTLE_SECONDS,
        listeners: Sequence[PresenceListener] = (),
        on_change: Callable[[uuid.UUID], None] = _tell_no_one,
    ) -> None:
        self.board: PresenceBoard = board or LocalPresenceBoard()
        self.settle_seconds = settle_seconds
        self.audience = AudienceCoalescer(
            audience_interval, self._count_seated_witnesses, self.witnesses_online, self._send_audience
        )
        self._count_witnesses = count_witnesses
        self._listeners = tuple(listeners)
        self._on_change = on_change
        self._circles: dict[uuid.UUID, _Seats] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    # -- the hub's channels come and go ---------------------------------------------------------------
    async def open(self, channel: Channel) -> None:
        """Follow presence in the channel's circle, starting from who the board says is online now."""
        seats = self._circles[channel.circle_id] = _Seats(channel)
        seats.announced = await self.board.online(channel.circle_id, set())

    def close(self, circle_id: uuid.UUID) -> None:
        """The circle has no socket here any more."""
        self._circles.pop(circle_id, None)
        self.audience.forget(circle_id)

    # -- sockets ----------------------------------------------------------------------------------------
    def expect_catch_up(self, connection: Connection) -> None:
        """A new socket: told nothing of presence until its catch-up says who is online."""
        if (seats := self._circles.get(connection.circle_id)) is not None:
            seats.newcomers[connection] = None

    async def seat(self, connection: Connection, *, witness: bool) -> None:
        """An admitted socket: its participant (if it has one) counts as online from now on (`witness`:
        counted in the audience, not announced)."""
        seats = self._circles.get(connection.circle_id)
        participant_id = connection.participant_id
        if seats is None or participant_id is None:
            return
        seats.sockets_per_participant[participant_id] += 1
        if seats.sockets_per_participant[participant_id] == 1:
            if witness:
                seats.witnesses.add(participant_id)
            await self._presence_changed(seats, participant_id, online=True, witness=witness)

    def unseat(self, connection: Connection) -> None:
        """A socket closed: its participant goes offline with their last socket on this instance."""
        seats = self._circles.get(connection.circle_id)
        if seats is None:
            return
        seats.newcomers.pop(connection, None)
        participant_id = connection.participant_id
        if participant_id is None or participant_id not in seats.sockets_per_participant:
            return
        seats.sockets_per_participant[participant_id] -= 1
        if seats.sockets_per_participant[participant_id] <= 0:
            del seats.sockets_per_participant[participant_id]
            witness = participant_id in seats.witnesses
            seats.witnesses.discard(participant_id)
            self._spawn(self._presence_changed(seats, participant_id, online=False, witness=witness))

    def sockets_of(self, circle_id: uuid.UUID, participant_id: uuid.UUID) -> int:
        """How many live sockets the participant holds on this instance."""
        seats = self._circles.get(circle_id)
        return seats.sockets_per_participant[participant_id] if seats is not None else 0

    async def online_for_catch_up(self, connection: Connection) -> set[uuid.UUID]:
        """Who is online, for a new socket's catch-up: the keepers and members with a live socket now. The
        socket is remembered as told exactly this, so the next presence announcement sends it the changes to
        what it was told, not to what the sockets before it were told (their news may still be settling)."""
        online = await self.online(connection.circle_id)
        seats = self._circles.get(connection.circle_id)
        if seats is not None and connection in seats.channel.connections:
            if seats.announcing or online != seats.announced:
                seats.newcomers[connection] = online
                self._announce_soon(seats)
            else:
                seats.newcomers.pop(connection, None)  # told what everyone was told: it follows the common news
        return online

    # -- questions ----------------------------------------------------------------------------------------
    async def online(self, circle_id: uuid.UUID) -> set[uuid.UUID]:
        """The circle's keepers and members with a live socket on any instance (a copy, safe to hand to a
        thread). Witnesses are not in it: see `witnesses_online` and `everyone_online`."""
        seats = self._circles.get(circle_id)
        return await self.board.online(circle_id, seats.holders_here() if seats is not None else set())

    async def witnesses_online(self, circle_id: uuid.UUID) -> int:
        """How many of the circle's witnesses have a live socket on any instance (counted, not read)."""
        seats = self._circles.get(circle_id)
        return await self.board.witnesses_online(circle_id, set(seats.witnesses) if seats is not None else set())

    async def everyone_online(self, circle_id: uuid.UUID) -> set[uuid.UUID]:
        """Everyone with a live socket, witnesses included, by id: reads every record, so it is for listings
        (the participants endpoints), not for each arrival."""
        seats = self._circles.get(circle_id)
        local = set(seats.sockets_per_participant) if seats is not None else set()
        return await self.board.everyone_online(circle_id, local)

    # -- changes from elsewhere ---------------------------------------------------------------------------
    def reseated(self, circle_id: uuid.UUID, reseating: Reseating) -> None:
        """Someone was seated, left or changed role: the audience is counted again, and a participant with
        sockets here who became a witness (or stopped being one) moves between presence and the audience."""
        self.audience.seating_changed(circle_id)
        seats = self._circles.get(circle_id)
        participant = reseating.participant
        if seats is None or participant is None or participant.id not in seats.sockets_per_participant:
            return
        witness = participant.role is Role.WITNESS
        if witness == (participant.id in seats.witnesses):
            return
        if witness:
            seats.witnesses.add(participant.id)
        else:
            seats.witnesses.discard(participant.id)
        self._spawn(self._role_changed(seats, participant.id, witness=witness))

    def look_again(self, circle_id: uuid.UUID) -> None:
        """Another instance saw someone come or go: look again, and tell this instance's sockets."""
        if (seats := self._circles.get(circle_id)) is not None:
            self._announce_soon(seats)

    async def refresh(self) -> None:
        """Keep this instance's records alive on the board, and tell sockets about anyone who came or went
        elsewhere (an instance that died takes its participants offline when their records expire)."""
        circles = list(self._circles.values())
        await self.board.refresh(
            {s.channel.circle_id: s.holders_here() for s in circles},
            {s.channel.circle_id: set(s.witnesses) for s in circles},
        )
        for seats in list(self._circles.values()):
            await self._announce_changes(seats)

    # -- announcing ---------------------------------------------------------------------------------------
    async def _presence_changed(self, seats: _Seats, participant_id: uuid.UUID, *, online: bool, witness: bool) -> None:
        circle_id = seats.channel.circle_id
        await self.board.mark(circle_id, participant_id, online, witness=witness)
        self._on_change(circle_id)
        if witness:
            self._audience_changed(circle_id)
        else:
            self._announce_soon(seats, changed_here=True)

    async def _role_changed(self, seats: _Seats, participant_id: uuid.UUID, *, witness: bool) -> None:
        circle_id = seats.channel.circle_id
        await self.board.mark(circle_id, participant_id, False, witness=not witness)
        await self.board.mark(circle_id, participant_id, True, witness=witness)
        self._on_change(circle_id)
        self._announce_soon(seats, changed_here=True)

    def _audience_changed(self, circle_id: uuid.UUID) -> None:
        if circle_id in self._circles:
            self.audience.changed(circle_id)

    async def _count_seated_witnesses(self, circle_id: uuid.UUID) -> int:
        return await run_in_threadpool(self._count_witnesses, circle_id)

    def _send_audience(self, circle_id: uuid.UUID, figures: AudienceFigures) -> None:
        if (seats := self._circles.get(circle_id)) is not None:
            text = AudienceFrame(witnesses=figures.witnesses, online=figures.online).model_dump_json()
            seats.channel.broadcast(Frame.of(text))

    def _announce_soon(self, seats: _Seats, *, changed_here: bool = False) -> None:
        """`_announce_changes` without waiting for it; no task at all when one is already gathering (a
        reconnect storm is hundreds of arrivals a second in one circle)."""
        seats.listeners_due = seats.listeners_due or changed_here
        if not seats.announcing:
            seats.announcing = True
            self._spawn(self._announcement(seats))

    async def _announce_changes(self, seats: _Seats, *, changed_here: bool = False) -> None:
        """Tell the channel's sockets which keepers and members came online or went offline since they were
        last told, and the presence listeners (always when a socket of this instance came or went: they act
        at most once); and count the audience again (the coalescer sends it only if it changed). Changes
        that come within `settle_seconds` of each other are announced together."""
        seats.listeners_due = seats.listeners_due or changed_here
        if seats.announcing:
            return  # the announcement already on its way will include this change
        seats.announcing = True
        await self._announcement(seats)

    async def _announcement(self, seats: _Seats) -> None:
        """An announcement that `seats.announcing` was set for."""
        circle_id = seats.channel.circle_id
        try:
            await asyncio.sleep(self.settle_seconds)
            self._audience_changed(circle_id)
            online = await self.board.online(circle_id, seats.holders_here())
        finally:
            seats.announcing = False
        changed = seats.announce(online)
        if changed or seats.listeners_due:
            seats.listeners_due = False
            for listener in self._listeners:
                self._spawn(listener(circle_id))

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _changes(told: set[uuid.UUID], online: set[uuid.UUID]) -> list[tuple[uuid.UUID, bool]]:
    return [(p, True) for p in online - told] + [(p, False) for p in told - online]
