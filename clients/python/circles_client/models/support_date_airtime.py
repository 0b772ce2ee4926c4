from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.support_date_kind import SupportDateKind

if TYPE_CHECKING:
    from ..models.person_airtime import PersonAirtime


T = TypeVar("T", bound="SupportDateAirtime")


@_attrs_define
class SupportDateAirtime:
    """Whether the time was in fact shared equally: each person's airtime over every meeting.

    Attributes:
        as_of (datetime.datetime):
        balance (float | None): As in the circle's airtime: 1 all equal, 0 one held all.
        difference_seconds (float): Most airtime minus least, between those who speak.
        kind (SupportDateKind):
        meetings (int): How many meetings (rounds) were held.
        people (list[PersonAirtime]): Each of the two who speaks, most airtime first (with 0 if they have not spoken
            yet).
        shared_equally (bool | None): reciprocal: whether the two had the same time, within 5 seconds or 5% of the
            longer, whichever is more; null for mentoring (one speaks) and before anyone spoke.
        support_date_id (UUID):
    """

    as_of: datetime.datetime
    balance: float | None
    difference_seconds: float
    kind: SupportDateKind
    meetings: int
    people: list[PersonAirtime]
    shared_equally: bool | None
    support_date_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        balance: float | None
        balance = self.balance

        difference_seconds = self.difference_seconds

        kind = self.kind.value

        meetings = self.meetings

        people = []
        for people_item_data in self.people:
            people_item = people_item_data.to_dict()
            people.append(people_item)

        shared_equally: bool | None
        shared_equally = self.shared_equally

        support_date_id = str(self.support_date_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "balance": balance,
                "difference_seconds": difference_seconds,
                "kind": kind,
                "meetings": meetings,
                "people": people,
                "shared_equally": shared_equally,
                "support_date_id": support_date_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.person_airtime import PersonAirtime

        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        def _parse_balance(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        balance = _parse_balance(d.pop("balance"))

        difference_seconds = d.pop("difference_seconds")

        kind = SupportDateKind(d.pop("kind"))

        meetings = d.pop("meetings")

        people = []
        _people = d.pop("people")
        for people_item_data in _people:
            people_item = PersonAirtime.from_dict(people_item_data)

            people.append(people_item)

        def _parse_shared_equally(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        shared_equally = _parse_shared_equally(d.pop("shared_equally"))

        support_date_id = UUID(d.pop("support_date_id"))

        support_date_airtime = cls(
            as_of=as_of,
            balance=balance,
            difference_seconds=difference_seconds,
            kind=kind,
            meetings=meetings,
            people=people,
            shared_equally=shared_equally,
            support_date_id=support_date_id,
        )

        support_date_airtime.additional_properties = d
        return support_date_airtime

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
