from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.round_status import RoundStatus

if TYPE_CHECKING:
    from ..models.person_airtime import PersonAirtime
    from ..models.turn_airtime import TurnAirtime


T = TypeVar("T", bound="RoundAirtime")


@_attrs_define
class RoundAirtime:
    """
    Attributes:
        balance (float | None): How evenly airtime was shared: 1 − the Gini coefficient normalized for the number of
            people (1: all equal; 0: one person held all of it). 1 for a single person; null when no one held the piece for
            any time.
        ended_at (datetime.datetime | None):
        people (list[PersonAirtime]): Everyone who held the piece, most airtime first.
        round_id (UUID):
        started_at (datetime.datetime):
        status (RoundStatus):
        total_seconds (float): All the airtime in the round.
        turns (list[TurnAirtime]): Every turn, in the order they were held.
    """

    balance: float | None
    ended_at: datetime.datetime | None
    people: list[PersonAirtime]
    round_id: UUID
    started_at: datetime.datetime
    status: RoundStatus
    total_seconds: float
    turns: list[TurnAirtime]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        balance: float | None
        balance = self.balance

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        people = []
        for people_item_data in self.people:
            people_item = people_item_data.to_dict()
            people.append(people_item)

        round_id = str(self.round_id)

        started_at = self.started_at.isoformat()

        status = self.status.value

        total_seconds = self.total_seconds

        turns = []
        for turns_item_data in self.turns:
            turns_item = turns_item_data.to_dict()
            turns.append(turns_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "balance": balance,
                "ended_at": ended_at,
                "people": people,
                "round_id": round_id,
                "started_at": started_at,
                "status": status,
                "total_seconds": total_seconds,
                "turns": turns,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.person_airtime import PersonAirtime
        from ..models.turn_airtime import TurnAirtime

        d = dict(src_dict)

        def _parse_balance(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        balance = _parse_balance(d.pop("balance"))

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

        people = []
        _people = d.pop("people")
        for people_item_data in _people:
            people_item = PersonAirtime.from_dict(people_item_data)

            people.append(people_item)

        round_id = UUID(d.pop("round_id"))

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        status = RoundStatus(d.pop("status"))

        total_seconds = d.pop("total_seconds")

        turns = []
        _turns = d.pop("turns")
        for turns_item_data in _turns:
            turns_item = TurnAirtime.from_dict(turns_item_data)

            turns.append(turns_item)

        round_airtime = cls(
            balance=balance,
            ended_at=ended_at,
            people=people,
            round_id=round_id,
            started_at=started_at,
            status=status,
            total_seconds=total_seconds,
            turns=turns,
        )

        round_airtime.additional_properties = d
        return round_airtime

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
