"""What a seating command can be refused with."""

from __future__ import annotations

from circles.errors import Conflict, NotFound


class ParticipantNotFound(NotFound):
    code = "participant_not_found"
    message = "No such participant in this circle."


class AgreementsChanged(Conflict):
    code = "agreements_changed"
    message = "The circle's agreements have changed since that version; read them and accept the new version."


class SeatTaken(Conflict):
    code = "seat_taken"
    message = "Someone already sits in that seat."


class ExternalIdTaken(Conflict):
    code = "external_id_taken"
    message = "Someone in this circle already has that external_id."


class DateIsForTwo(Conflict):
    code = "support_date_is_for_two"
    message = "A support date's circle seats exactly its two people: no one else joins, and their roles stay."
