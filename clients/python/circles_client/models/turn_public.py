from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.how_given import HowGiven
from ..models.outcome import Outcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="TurnPublic")


@_attrs_define
class TurnPublic:
    """
    Attributes:
        accepted_at (datetime.datetime | None): Offer rounds: when the holder took the offered piece.
        deadline (datetime.datetime | None): When time is up (server time); null with no limit.
        ended_at (datetime.datetime | None):
        how (HowGiven): How a turn came to its holder.
        id (UUID):
        outcome (None | Outcome):
        overtime_at (datetime.datetime | None): When a soft limit's turn.overtime was sent.
        participant_id (UUID):
        round_id (UUID):
        silent_until (datetime.datetime | None): With pause_seconds: the moment of silence ends here; the offer or the
            clock runs from then.
        started_at (datetime.datetime):
        away_until (datetime.datetime | None | Unset): Absence rounds: the holder's last connection dropped; not back by
            then, the turn ends absent.
    """

    accepted_at: datetime.datetime | None
    deadline: datetime.datetime | None
    ended_at: datetime.datetime | None
    how: HowGiven
    id: UUID
    outcome: None | Outcome
    overtime_at: datetime.datetime | None
    participant_id: UUID
    round_id: UUID
    silent_until: datetime.datetime | None
    started_at: datetime.datetime
    away_until: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accepted_at: None | str
        if isinstance(self.accepted_at, datetime.datetime):
            accepted_at = self.accepted_at.isoformat()
        else:
            accepted_at = self.accepted_at

        deadline: None | str
        if isinstance(self.deadline, datetime.datetime):
            deadline = self.deadline.isoformat()
        else:
            deadline = self.deadline

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        how = self.how.value

        id = str(self.id)

        outcome: None | str
        if isinstance(self.outcome, Outcome):
            outcome = self.outcome.value
        else:
            outcome = self.outcome

        overtime_at: None | str
        if isinstance(self.overtime_at, datetime.datetime):
            overtime_at = self.overtime_at.isoformat()
        else:
            overtime_at = self.overtime_at

        participant_id = str(self.participant_id)

        round_id = str(self.round_id)

        silent_until: None | str
        if isinstance(self.silent_until, datetime.datetime):
            silent_until = self.silent_until.isoformat()
        else:
            silent_until = self.silent_until

        started_at = self.started_at.isoformat()

        away_until: None | str | Unset
        if isinstance(self.away_until, Unset):
            away_until = UNSET
        elif isinstance(self.away_until, datetime.datetime):
            away_until = self.away_until.isoformat()
        else:
            away_until = self.away_until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accepted_at": accepted_at,
                "deadline": deadline,
                "ended_at": ended_at,
                "how": how,
                "id": id,
                "outcome": outcome,
                "overtime_at": overtime_at,
                "participant_id": participant_id,
                "round_id": round_id,
                "silent_until": silent_until,
                "started_at": started_at,
            }
        )
        if away_until is not UNSET:
            field_dict["away_until"] = away_until

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_accepted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                accepted_at_type_0 = datetime.datetime.fromisoformat(data)

                return accepted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        accepted_at = _parse_accepted_at(d.pop("accepted_at"))

        def _parse_deadline(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deadline_type_0 = datetime.datetime.fromisoformat(data)

                return deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deadline = _parse_deadline(d.pop("deadline"))

        def _parse_ended_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ended_at_type_0 = datetime.datetime.fromisoformat(data)

                return ended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ended_at = _parse_ended_at(d.pop("ended_at"))

        how = HowGiven(d.pop("how"))

        id = UUID(d.pop("id"))

        def _parse_outcome(data: object) -> None | Outcome:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                outcome_type_0 = Outcome(data)

                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Outcome, data)

        outcome = _parse_outcome(d.pop("outcome"))

        def _parse_overtime_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                overtime_at_type_0 = datetime.datetime.fromisoformat(data)

                return overtime_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        overtime_at = _parse_overtime_at(d.pop("overtime_at"))

        participant_id = UUID(d.pop("participant_id"))

        round_id = UUID(d.pop("round_id"))

        def _parse_silent_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                silent_until_type_0 = datetime.datetime.fromisoformat(data)

                return silent_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        silent_until = _parse_silent_until(d.pop("silent_until"))

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        def _parse_away_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                away_until_type_0 = datetime.datetime.fromisoformat(data)

                return away_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        away_until = _parse_away_until(d.pop("away_until", UNSET))

        turn_public = cls(
            accepted_at=accepted_at,
            deadline=deadline,
            ended_at=ended_at,
            how=how,
            id=id,
            outcome=outcome,
            overtime_at=overtime_at,
            participant_id=participant_id,
            round_id=round_id,
            silent_until=silent_until,
            started_at=started_at,
            away_until=away_until,
        )

        turn_public.additional_properties = d
        return turn_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
