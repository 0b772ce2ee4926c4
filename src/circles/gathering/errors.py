"""What a gathering command can be refused with."""

from __future__ import annotations

from circles.errors import Conflict, NotFound


class GatheringNotFound(NotFound):
    code = "gathering_not_found"
    message = "This circle has no such gathering (plan one with PUT /v1/circles/{circle_id}/gathering)."


class GatheringComplete(Conflict):
    code = "gathering_complete"
    message = "Every planned round of this gathering has started."


class NotNextPlannedRound(Conflict):
    code = "not_next_planned_round"
    message = "That planned round is not the next one (another start got there first)."
