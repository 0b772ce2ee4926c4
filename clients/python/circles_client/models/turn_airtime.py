from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.outcome import Outcome

T = TypeVar("T", bound="TurnAirtime")


@_attrs_define
class TurnAirtime:
    """
    Attributes:
        ended_at (datetime.datetime | None): Null while the turn is open.
        held_seconds (float): Time held while the round was not paused (so far, if open).
        outcome (None | Outcome): How the turn ended; null while it is open.
        participant_id (UUID):
        started_at (datetime.datetime):
        turn_id (UUID):
    """

    ended_at: datetime.datetime | None
    held_seconds: float
    outcome: None | Outcome
    participant_id: UUID
    started_at: datetime.datetime
    turn_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        held_seconds = self.held_seconds

        outcome: None | str
        if isinstance(self.outcome, Outcome):
            outcome = self.outcome.value
        else:
            outcome = self.outcome

        participant_id = str(self.participant_id)

        started_at = self.started_at.isoformat()

        turn_id = str(self.turn_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ended_at": ended_at,
                "held_seconds": held_seconds,
                "outcome": outcome,
                "participant_id": participant_id,
                "started_at": started_at,
                "turn_id": turn_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

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

        held_seconds = d.pop("held_seconds")

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

        participant_id = UUID(d.pop("participant_id"))

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        turn_id = UUID(d.pop("turn_id"))

        turn_airtime = cls(
            ended_at=ended_at,
            held_seconds=held_seconds,
            outcome=outcome,
            participant_id=participant_id,
            started_at=started_at,
            turn_id=turn_id,
        )

        turn_airtime.additional_properties = d
        return turn_airtime

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
