"""What a support date can be refused with."""

from __future__ import annotations

from circles.errors import Conflict, Forbidden, NotFound


class SupportDateNotFound(NotFound):
    code = "support_date_not_found"
    message = "No such support date."


class SupportDateEnded(Conflict):
    code = "support_date_ended"
    message = "The support date has ended."


class SelfOrApp(Forbidden):
    code = "self_or_app"
    message = "Only the person themselves or the app may do this for them."


class NotOfThisDate(NotFound):
    code = "participant_not_found"
    message = "No such person in this support date."
