"""Absence (a round option): who is offline is passed over; a holder who drops has a grace period.

The talking piece never asks who is online: the caller tells it, as `Seat.online` in the seating it hands
over. Only rounds started with `absence` look at it, so circles whose members never open a live
connection are not affected.

- The piece reaching someone offline (in the round's own order, the first hand in line, or the piece
  given back after a keeper's word out of turn): their turn is recorded as started and ended at once,
  `absent`. It counts as their turn; they keep their seat, and the piece moves on.
- A keeper or the app giving the piece to someone offline is refused (`offline`): they chose the person,
  so they are told rather than the piece being passed over behind their back.
- A keeper speaking out of turn is never passed over: they asked for the piece themselves.
- The holder's last connection drops: the turn is marked `away_until` (now plus the grace period) and
  the piece waits. Back in time, the mark is cleared and they keep the piece; not back by then, the turn
  ends `absent` and the piece moves on. The grace does not run while the round is paused.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from circles.talking_piece import events
from circles.talking_piece.model import HowGiven, Round, RoundStatus, Seat, Turn


def passes_over(the_round: Round, seat: Seat, how: HowGiven) -> bool:
    """Whether a turn starting for `seat` now is passed over as `absent`."""
    return the_round.absence and not seat.online and how is not HowGiven.OUT_OF_TURN


def holder_presence(
    the_round: Round, holder: Seat | None, now: datetime, grace: timedelta, recorded: list[events.DomainEvent]
) -> None:
    """After a change in who is online: mark the holder away, or back, as the case may be."""
    turn = the_round.open_turn
    if not the_round.absence or the_round.status is RoundStatus.ENDED or turn is None or holder is None:
        return
    if not holder.online and turn.away_until is None:
        turn.away_until = now + grace
        recorded.append(events.TurnAway(round_id=the_round.id, turn=dataclasses.replace(turn)))
    elif holder.online and turn.away_until is not None:
        turn.away_until = None
        recorded.append(events.TurnBack(round_id=the_round.id, turn=dataclasses.replace(turn)))


def grace_is_over(turn: Turn, now: datetime) -> bool:
    return turn.away_until is not None and now >= turn.away_until
