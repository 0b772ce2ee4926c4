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


class RoundIsPaused(TalkingPieceError):
    code = "round_paused"
    message = "The round is paused; resume it first."


class RoundNotPaused(TalkingPieceError):
    code = "round_not_paused"
    message = "The round is not paused."


class RoundHasEnded(TalkingPieceError):
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


class PassBackIsSequential(TalkingPieceError):
    code = "pass_back_is_sequential"
    refusal = Refusal.INVALID
    message = "pass_back belongs to sequential rounds; an open round has no 'around'."


class NotAnOpenRound(TalkingPieceError):
    code = "not_an_open_round"
    message = "Hands are raised only in an open round."


class OwnHandOnly(TalkingPieceError):
    code = "own_hand_only"
    refusal = Refusal.FORBIDDEN
    message = "A participant raises only their own hand; the app raises none."


class NotYourHand(TalkingPieceError):
    code = "not_your_hand"
    refusal = Refusal.FORBIDDEN
    message = "Only its owner, a keeper or the app may lower a hand."


class WitnessesDoNotHold(TalkingPieceError):
    code = "witness_never_holds"
    refusal = Refusal.FORBIDDEN
    message = "A witness listens and never holds the piece."


class HandAlreadyRaised(TalkingPieceError):
    code = "hand_already_raised"
    message = "That hand is already raised."


class HandNotRaised(TalkingPieceError):
    code = "hand_not_raised"
    message = "That hand is not raised."


class HoldsThePiece(TalkingPieceError):
    code = "holds_the_piece"
    message = "The holder does not raise a hand while holding the piece."


class CannotHold(TalkingPieceError):
    code = "cannot_hold"
    refusal = Refusal.INVALID
    message = "The piece goes only to a seated member or keeper."


class AlreadyHolds(TalkingPieceError):
    code = "already_holds"
    message = "They already hold the piece."


class NotASequentialRound(TalkingPieceError):
    code = "not_a_sequential_round"
    message = "Speaking out of turn is for sequential rounds; in an open round, raise a hand."


class KeepersSpeakForThemselves(TalkingPieceError):
    code = "keepers_speak_for_themselves"
    refusal = Refusal.FORBIDDEN
    message = "Only a keeper, for themselves, speaks out of turn; the app gives the piece instead."


class AgreementsNotAccepted(TalkingPieceError):
    code = "agreements_not_accepted"
    message = "They have not accepted the circle's agreements yet, so they cannot hold the piece."


class NotAnOffer(TalkingPieceError):
    code = "not_an_offer"
    message = "That turn is not an offer waiting to be taken."


class StillSilent(TalkingPieceError):
    code = "still_silent"
    message = "The moment of silence is not over; the piece can be taken at the turn's started_at."


class Offline(TalkingPieceError):
    code = "offline"
    message = "In an absence round the piece goes only to someone with a live connection; they have none now."
