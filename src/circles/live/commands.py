"""The commands a live socket may send: one line per REST operation, calling the same service function.

Each entry names the ids the command needs (what the REST path carries: `turn_id`, `round_id`, ...), the
model its other arguments must fit (the REST body), and what to call. The socket's own circle is the
circle the command acts on, and the socket's credential is the one it acts with: the service authorizes
it exactly as it authorizes the REST request, and answers with the same errors.

Adding a REST command to the socket is adding one entry to COMMANDS.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField
from sqlmodel import Session

from circles.access.principal import Principal, enter_circle
from circles.airtime import service as airtime_service
from circles.airtime.models import WindowEnd
from circles.breakout import service as breakout_service
from circles.circle import service as circle_service
from circles.circle.snapshot import read_state, witnesses_among
from circles.circle.views import circle_view
from circles.event import log as event_log
from circles.event.models import EventPage
from circles.gathering import service as gathering_service
from circles.pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_SEQ
from circles.participant import service as participant_service
from circles.participant.views import participant_page, participant_view, participant_with_token
from circles.records.breakout.models import BreakoutCreate, BreakoutTurnFinish, GroupUpdate
from circles.records.circle.models import CircleUpdate
from circles.records.gathering.models import GatheringAdvanced, GatheringCreate, GatheringNext
from circles.records.participant.models import (
    AgreementAccept,
    Participant,
    ParticipantCreate,
    ParticipantPage,
    ParticipantPublic,
    ParticipantUpdate,
    ParticipantWithToken,
)
from circles.records.round.models import OutOfTurn, PieceGive, RoundCreate, TurnFinish
from circles.records.support.models import SupportSignalPage, SupportStatus
from circles.round import service as round_service
from circles.support import service as support_service
from circles.support.views import support_page, support_view
from circles.text import Line
from circles.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class CommandCall:
    """One command, as its function is given it: its unit of work (a write's, or a read's that writes
    nothing), which names the caller, the time and who is online, and the command's own arguments."""

    work: UnitOfWork
    principal: Principal
    circle_id: uuid.UUID
    ids: dict[str, uuid.UUID]
    body: Any  # an instance of the command's body model, or None

    @property
    def session(self) -> Session:
        return self.work.session

    @property
    def online(self) -> frozenset[uuid.UUID]:
        """The circle's participants with a live socket when the command came, witnesses included."""
        return self.work.online_in(self.circle_id) or frozenset()

    @property
    def now(self) -> datetime:
        return self.work.now

    def id(self, name: str) -> uuid.UUID:
        return self.ids[name]


@dataclass(frozen=True, slots=True)
class Command:
    run: Callable[[CommandCall], BaseModel | None]
    ids: tuple[str, ...] = ()
    body: type[BaseModel] | None = None
    writes: bool = True  # False: runs in a read-only session, as a REST GET does
    # The REST operation it mirrors: method and path after /v1/circles/{circle_id} (a test checks that every
    # operation on a circle has its command).
    rest: str = field(default="", compare=False)


class WindowArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: WindowEnd | None = None
    until: WindowEnd | None = None


class EventArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    after: int = PydanticField(default=0, ge=0, le=MAX_SEQ)
    limit: int = PydanticField(default=MAX_LIMIT, ge=1, le=MAX_LIMIT)


class PageArguments(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cursor: str | None = PydanticField(default=None, max_length=200)
    limit: int = PydanticField(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _participant(call: CommandCall, participant: Participant) -> ParticipantPublic:
    return participant_view(participant, call.online)


def _seat(call: CommandCall) -> ParticipantWithToken:
    participant, token = participant_service.seat(call.session, call.principal, call.circle_id, call.body)
    return participant_with_token(participant, token, call.online)


def _renew_token(call: CommandCall) -> ParticipantWithToken:
    participant, token = participant_service.rotate_token(
        call.session, call.principal, call.circle_id, call.id("participant_id")
    )
    return participant_with_token(participant, token, call.online)


class ParticipantPageArguments(PageArguments):
    external_id: Line | None = PydanticField(default=None, min_length=1, max_length=200)


def _participants(call: CommandCall) -> ParticipantPage:
    found, next_cursor = participant_service.page(
        call.session, call.principal, call.circle_id, call.body.cursor, call.body.limit, call.body.external_id
    )
    return participant_page(found, next_cursor, call.online)


class SupportPageArguments(PageArguments):
    status: SupportStatus | None = None


def _support_signals(call: CommandCall) -> SupportSignalPage:
    found, next_cursor = support_service.page(
        call.session, call.principal, call.circle_id, call.body.status, call.body.cursor, call.body.limit
    )
    return support_page(found, next_cursor)


def _start_next_planned_round(call: CommandCall) -> GatheringAdvanced:
    gathering, started = gathering_service.start_next(call.session, call.principal, call.circle_id, call.body)
    return GatheringAdvanced(gathering=gathering, round=started)


def _events(call: CommandCall) -> EventPage:
    circle = enter_circle(call.session, call.principal, call.circle_id).circle
    return event_log.page_after(call.session, circle, call.body.after, call.body.limit)


def _state(call: CommandCall) -> BaseModel:
    circle = circle_service.get(call.session, call.principal, call.circle_id)
    witnesses_online = witnesses_among(call.session, circle.id, call.online)
    return read_state(call.session, circle, call.online, call.now, witnesses_online=witnesses_online)


_ROUND = ("round_id",)
_TURN = ("turn_id",)
_PARTICIPANT = ("participant_id",)
_s = round_service  # keeps the table's lines short

COMMANDS: dict[str, Command] = {
    # circle
    "get_circle": Command(
        lambda c: circle_view(circle_service.get(c.session, c.principal, c.circle_id)),
        writes=False,
        rest="GET ",
    ),
    "get_state": Command(_state, writes=False, rest="GET /state"),
    "update_circle": Command(
        lambda c: circle_view(circle_service.update(c.session, c.principal, c.circle_id, c.body)),
        body=CircleUpdate,
        rest="PATCH ",
    ),
    "erase_circle": Command(lambda c: circle_service.erase(c.session, c.principal, c.circle_id), rest="DELETE "),
    "list_events": Command(_events, body=EventArguments, writes=False, rest="GET /events"),
    "close_circle": Command(
        lambda c: circle_view(circle_service.close(c.session, c.principal, c.circle_id)), rest="POST /close"
    ),
    # participants
    "list_participants": Command(_participants, body=ParticipantPageArguments, writes=False, rest="GET /participants"),
    "seat_participant": Command(_seat, body=ParticipantCreate, rest="POST /participants"),
    "get_participant": Command(
        lambda c: participant_service.read(c.session, c.principal, c.circle_id, c.id("participant_id"), c.online),
        ids=_PARTICIPANT,
        writes=False,
        rest="GET /participants/{participant_id}",
    ),
    "update_participant": Command(
        lambda c: _participant(
            c, participant_service.update(c.session, c.principal, c.circle_id, c.id("participant_id"), c.body)
        ),
        ids=_PARTICIPANT,
        body=ParticipantUpdate,
        rest="PATCH /participants/{participant_id}",
    ),
    "remove_participant": Command(
        lambda c: participant_service.leave(c.session, c.principal, c.circle_id, c.id("participant_id")),
        ids=_PARTICIPANT,
        rest="DELETE /participants/{participant_id}",
    ),
    "erase_participant": Command(
        lambda c: participant_service.erase(c.session, c.principal, c.circle_id, c.id("participant_id")),
        ids=_PARTICIPANT,
        rest="POST /participants/{participant_id}/erase",
    ),
    "renew_token": Command(_renew_token, ids=_PARTICIPANT, rest="POST /participants/{participant_id}/token"),
    "accept_agreements": Command(
        lambda c: _participant(
            c,
            participant_service.accept_agreements(
                c.session, c.principal, c.circle_id, c.id("participant_id"), c.body.agreements_version
            ),
        ),
        ids=_PARTICIPANT,
        body=AgreementAccept,
        rest="POST /participants/{participant_id}/agreement",
    ),
    # rounds and turns
    "start_round": Command(
        lambda c: _s.start(c.session, c.principal, c.circle_id, c.body), body=RoundCreate, rest="POST /rounds"
    ),
    "get_round": Command(
        lambda c: _s.get(c.session, c.principal, c.circle_id, c.id("round_id")),
        ids=_ROUND,
        writes=False,
        rest="GET /rounds/{round_id}",
    ),
    "pause_round": Command(
        lambda c: _s.pause(c.session, c.principal, c.circle_id, c.id("round_id")),
        ids=_ROUND,
        rest="POST /rounds/{round_id}/pause",
    ),
    "resume_round": Command(
        lambda c: _s.resume(c.session, c.principal, c.circle_id, c.id("round_id")),
        ids=_ROUND,
        rest="POST /rounds/{round_id}/resume",
    ),
    "end_round": Command(
        lambda c: _s.end(c.session, c.principal, c.circle_id, c.id("round_id")),
        ids=_ROUND,
        rest="POST /rounds/{round_id}/end",
    ),
    "finish_turn": Command(
        lambda c: _s.finish_turn(c.session, c.principal, c.circle_id, c.id("turn_id"), c.body.outcome),
        ids=_TURN,
        body=TurnFinish,
        rest="POST /turns/{turn_id}/finish",
    ),
    "skip_turn": Command(
        lambda c: _s.skip_turn(c.session, c.principal, c.circle_id, c.id("turn_id")),
        ids=_TURN,
        rest="POST /turns/{turn_id}/skip",
    ),
    "accept_turn": Command(
        lambda c: _s.accept_turn(c.session, c.principal, c.circle_id, c.id("turn_id")),
        ids=_TURN,
        rest="POST /turns/{turn_id}/accept",
    ),
    # open rounds and the keeper's hand
    "raise_hand": Command(
        lambda c: _s.raise_hand(c.session, c.principal, c.circle_id, c.id("round_id")),
        ids=_ROUND,
        rest="POST /rounds/{round_id}/hands",
    ),
    "lower_hand": Command(
        lambda c: _s.lower_hand(c.session, c.principal, c.circle_id, c.id("round_id"), c.id("participant_id")),
        ids=(*_ROUND, *_PARTICIPANT),
        rest="DELETE /rounds/{round_id}/hands/{participant_id}",
    ),
    "call_on_hand": Command(
        lambda c: _s.call_on(c.session, c.principal, c.circle_id, c.id("round_id"), c.id("participant_id")),
        ids=(*_ROUND, *_PARTICIPANT),
        rest="POST /rounds/{round_id}/hands/{participant_id}/call",
    ),
    "give_piece": Command(
        lambda c: _s.give(c.session, c.principal, c.circle_id, c.id("round_id"), c.body.participant_id, c.body.turn_id),
        ids=_ROUND,
        body=PieceGive,
        rest="POST /rounds/{round_id}/give",
    ),
    "speak_out_of_turn": Command(
        lambda c: _s.speak_out_of_turn(c.session, c.principal, c.circle_id, c.id("round_id"), c.body.turn_id),
        ids=_ROUND,
        body=OutOfTurn,
        rest="POST /rounds/{round_id}/out-of-turn",
    ),
    # airtime
    "get_round_airtime": Command(
        lambda c: airtime_service.for_round(c.session, c.principal, c.circle_id, c.id("round_id"), c.now),
        ids=_ROUND,
        writes=False,
        rest="GET /rounds/{round_id}/airtime",
    ),
    "get_airtime": Command(
        lambda c: airtime_service.for_window(c.session, c.principal, c.circle_id, c.body.since, c.body.until, c.now),
        body=WindowArguments,
        writes=False,
        rest="GET /airtime",
    ),
    # support
    "ask_for_support": Command(
        lambda c: support_view(support_service.ask(c.session, c.principal, c.circle_id)),
        rest="POST /support",
    ),
    "list_support_signals": Command(_support_signals, body=SupportPageArguments, writes=False, rest="GET /support"),
    "acknowledge_support": Command(
        lambda c: support_view(support_service.acknowledge(c.session, c.principal, c.circle_id, c.id("support_id"))),
        ids=("support_id",),
        rest="POST /support/{support_id}/ack",
    ),
    # gathering
    "plan_gathering": Command(
        lambda c: gathering_service.plan(c.session, c.principal, c.circle_id, c.body),
        body=GatheringCreate,
        rest="PUT /gathering",
    ),
    "get_gathering": Command(
        lambda c: gathering_service.current(c.session, c.principal, c.circle_id), writes=False, rest="GET /gathering"
    ),
    "start_next_planned_round": Command(_start_next_planned_round, body=GatheringNext, rest="POST /gathering/next"),
    "get_gathering_airtime": Command(
        lambda c: airtime_service.for_planned_gathering(
            c.session, c.principal, c.circle_id, c.id("gathering_id"), c.now
        ),
        ids=("gathering_id",),
        writes=False,
        rest="GET /gatherings/{gathering_id}/airtime",
    ),
    # breakouts
    "start_breakout": Command(
        lambda c: breakout_service.start(c.session, c.principal, c.circle_id, c.body),
        body=BreakoutCreate,
        rest="POST /breakouts",
    ),
    "get_breakout": Command(
        lambda c: breakout_service.get(c.session, c.principal, c.circle_id, c.id("breakout_id")),
        ids=("breakout_id",),
        writes=False,
        rest="GET /breakouts/{breakout_id}",
    ),
    "end_breakout": Command(
        lambda c: breakout_service.end(c.session, c.principal, c.circle_id, c.id("breakout_id")),
        ids=("breakout_id",),
        rest="POST /breakouts/{breakout_id}/end",
    ),
    "finish_breakout_turn": Command(
        lambda c: breakout_service.finish_turn(c.session, c.principal, c.circle_id, c.id("turn_id"), c.body.outcome),
        ids=_TURN,
        body=BreakoutTurnFinish,
        rest="POST /breakout-turns/{turn_id}/finish",
    ),
    "update_breakout_group": Command(
        lambda c: breakout_service.set_external_ref(c.session, c.principal, c.circle_id, c.id("group_id"), c.body),
        ids=("group_id",),
        body=GroupUpdate,
        rest="PATCH /breakout-groups/{group_id}",
    ),
}
