"""What a request for support, or its acknowledgement, can be refused with."""

from __future__ import annotations

from circles.errors import Forbidden, NotFound


class ParticipantOnly(Forbidden):
    code = "participant_only"
    message = "Only a participant may ask for support, for themselves."


class SupportNotFound(NotFound):
    code = "support_not_found"
    message = "No such request for support in this circle."
