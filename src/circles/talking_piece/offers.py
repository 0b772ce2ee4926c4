"""Offer and accept, and the moment of silence between speakers (round options).

- With `pause_seconds`, a turn that follows another in the round's own order opens with a moment of
  silence: `silent_until` is that long after it started. Its clock (or its offer) runs from then, and an
  offer cannot be taken before. The holder may still pass during the silence.
- With `offer_seconds`, the piece is first offered: the turn's `deadline` is when the offer lapses. The
  holder (or a keeper, or the app) accepts when ready; the clock starts then (`accepted_at`, and a new
  `deadline` from `turn_seconds`). An offer not taken by its deadline ends `not_taken` and the piece
  passes on, whatever the time limit.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from circles.talking_piece import errors, events
from circles.talking_piece.model import Actor, HowGiven, Outcome, Round, Turn


def silence_until(the_round: Round, how: HowGiven, now: datetime) -> datetime | None:
    """The end of the moment of silence for a turn starting now, if it follows another in the round's order."""
    follows_another = any(t.outcome not in (Outcome.NOT_AGREED, Outcome.ABSENT) for t in the_round.turns)
    if the_round.pause_seconds and how is HowGiven.IN_TURN and follows_another:
        return now + timedelta(seconds=the_round.pause_seconds)
    return None


def first_deadline(the_round: Round, begins: datetime) -> datetime | None:
    """The offer's lapse in an offer round; else when time is up (or None with no limit)."""
    seconds = the_round.offer_seconds or the_round.turn_seconds
    return begins + timedelta(seconds=seconds) if seconds else None


def accept(the_round: Round, turn: Turn, actor: Actor, now: datetime, recorded: list[events.DomainEvent]) -> None:
    """The holder (or a keeper, or the app) takes the offered piece: the clock starts now."""
    if not (actor.may_keep or actor.participant_id == turn.participant_id):
        raise errors.NotYourTurn()
    if not turn.is_offered(the_round):
        raise errors.NotAnOffer()
    if turn.silent_until is not None and now < turn.silent_until:
        raise errors.StillSilent()
    turn.accepted_at = now
    seconds = the_round.turn_seconds
    turn.deadline = now + timedelta(seconds=seconds) if seconds else None
    recorded.append(events.TurnAccepted(round_id=the_round.id, turn=dataclasses.replace(turn)))
