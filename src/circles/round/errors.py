"""What a round command can be refused with, before the talking piece is asked (its own refusals are in
circles.talking_piece.errors)."""

from __future__ import annotations

from circles.errors import Conflict, NotFound


class RoundNotFound(NotFound):
    code = "round_not_found"
    message = "No such round in this circle."


class TurnNotFound(NotFound):
    code = "turn_not_found"
    message = "No such turn in this circle."


class RoundAlreadyActive(Conflict):
    code = "round_already_active"
    message = "The circle already has a round that has not ended."


class BreakoutUnderWay(Conflict):
    code = "breakout_under_way"
    message = "The circle is in a breakout; a round can start when everyone is back."
