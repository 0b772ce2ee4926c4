"""What a breakout command can be refused with before the talking piece is asked (its own refusals, such as
`not_your_turn`, `keeper_only`, `cannot_group` and `breakout_ended`, are in circles.talking_piece)."""

from __future__ import annotations

from circles.errors import CirclesError, Conflict, NotFound


class BreakoutNotFound(NotFound):
    code = "breakout_not_found"
    message = "No such breakout in this circle."


class GroupNotFound(NotFound):
    code = "group_not_found"
    message = "No such breakout group in this circle."


class BreakoutTurnNotFound(NotFound):
    code = "breakout_turn_not_found"
    message = "No such turn in a breakout of this circle."


class BreakoutAlreadyActive(Conflict):
    code = "breakout_already_active"
    message = "The circle is already in a breakout; end it first."


class RoundInProgress(Conflict):
    code = "round_in_progress"
    message = "A round is under way in the circle; end it before breaking out."


class BadBreakoutClock(CirclesError):
    status = 422
    code = "bad_breakout_clock"
    message = "Give ends_at (in the future) or duration_seconds, not both; and groups only with grouping explicit."
