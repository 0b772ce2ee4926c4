"""What the talking piece refuses, and why. Plain exceptions: the web layer decides how they look."""

from __future__ import annotations

import enum


class Refusal(enum.StrEnum):
    """The kind of refusal, which the web layer maps to a status code."""

    CONFLICT = "conflict"  # the state forbids it now (409)
    FORBIDDEN = "forbidden"  # this actor may not do it (403)
    INVALID = "invalid"  # the command itself is malformed (422)


class TalkingPieceError(Exception):
    code: str = "talking_piece_error"
    refusal: Refusal = Refusal.CONFLICT
    message: str = "The talking piece refused the command."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class TurnNotOpen(TalkingPieceError):
    code = "turn_not_open"
    message = "That turn is no longer open."


class NotYourTurn(TalkingPieceError):
    code = "not_your_turn"
    refusal = Refusal.FORBIDDEN
    message = "Only the holder, a keeper or the app may end this turn."


class KeeperOnly(TalkingPieceError):
    code = "keeper_only"
    refusal = Refusal.FORBIDDEN
    message = "Only a keeper or the app may do this."


class RoundPaused(TalkingPieceError):
    code = "round_paused"
    message = "The round is paused; resume it first."


class RoundNotPaused(TalkingPieceError):
    code = "round_not_paused"
    message = "The round is not paused."


class RoundEnded(TalkingPieceError):
    code = "round_ended"
    message = "The round has ended."


class NoOneToHold(TalkingPieceError):
    code = "no_one_to_hold"
    message = "No member or keeper is seated to hold the piece."


class StartsWithCannotHold(TalkingPieceError):
    code = "starts_with_cannot_hold"
    refusal = Refusal.INVALID
    message = "starts_with must be a seated member or keeper."


class OutcomeNotAllowed(TalkingPieceError):
    code = "outcome_not_allowed"
    refusal = Refusal.INVALID
    message = "A turn is finished as 'spoke' or 'passed'."
