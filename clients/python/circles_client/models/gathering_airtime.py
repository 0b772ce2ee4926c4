from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.person_airtime import PersonAirtime
    from ..models.round_airtime_summary import RoundAirtimeSummary


T = TypeVar("T", bound="GatheringAirtime")


@_attrs_define
class GatheringAirtime:
    """Airtime over several rounds: a gathering's (the rounds its plan started), or a time window's (the
    circle's rounds that started in [since, until)).

        Attributes:
            as_of (datetime.datetime): The server's clock when this was read (open turns count up to it).
            balance (float | None): How evenly airtime was shared: 1 − the Gini coefficient normalized for the number of
                people (1: all equal; 0: one person held all of it). 1 for a single person; null when no one held the piece for
                any time.
            people (list[PersonAirtime]): Everyone who held the piece in these rounds, most first.
            rounds (list[RoundAirtimeSummary]): The rounds, oldest first.
            total_seconds (float):
            gathering_id (None | Unset | UUID): The gathering; null for a time window.
            since (datetime.datetime | None | Unset): Rounds that started at or after this; null: no bound.
            until (datetime.datetime | None | Unset): Rounds that started before this; null: no bound.
    """

    as_of: datetime.datetime
    balance: float | None
    people: list[PersonAirtime]
    rounds: list[RoundAirtimeSummary]
    total_seconds: float
    gathering_id: None | Unset | UUID = UNSET
    since: datetime.datetime | None | Unset = UNSET
    until: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        balance: float | None
        balance = self.balance

        people = []
        for people_item_data in self.people:
            people_item = people_item_data.to_dict()
            people.append(people_item)

        rounds = []
        for rounds_item_data in self.rounds:
            rounds_item = rounds_item_data.to_dict()
            rounds.append(rounds_item)

        total_seconds = self.total_seconds

        gathering_id: None | str | Unset
        if isinstance(self.gathering_id, Unset):
            gathering_id = UNSET
        elif isinstance(self.gathering_id, UUID):
            gathering_id = str(self.gathering_id)
        else:
            gathering_id = self.gathering_id

        since: None | str | Unset
        if isinstance(self.since, Unset):
            since = UNSET
        elif isinstance(self.since, datetime.datetime):
            since = self.since.isoformat()
        else:
            since = self.since

        until: None | str | Unset
        if isinstance(self.until, Unset):
            until = UNSET
        elif isinstance(self.until, datetime.datetime):
            until = self.until.isoformat()
        else:
            until = self.until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "balance": balance,
                "people": people,
                "rounds": rounds,
                "total_seconds": total_seconds,
            }
        )
        if gathering_id is not UNSET:
            field_dict["gathering_id"] = gathering_id
        if since is not UNSET:
            field_dict["since"] = since
        if until is not UNSET:
            field_dict["until"] = until

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.person_airtime import PersonAirtime
        from ..models.round_airtime_summary import RoundAirtimeSummary

        d = dict(src_dict)
        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        def _parse_balance(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        balance = _parse_balance(d.pop("balance"))

        people = []
        _people = d.pop("people")
        for people_item_data in _people:
            people_item = PersonAirtime.from_dict(people_item_data)

            people.append(people_item)

        rounds = []
        _rounds = d.pop("rounds")
        for rounds_item_data in _rounds:
            rounds_item = RoundAirtimeSummary.from_dict(rounds_item_data)

            rounds.append(rounds_item)

        total_seconds = d.pop("total_seconds")

        def _parse_gathering_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                gathering_id_type_0 = UUID(data)

                return gathering_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        gathering_id = _parse_gathering_id(d.pop("gathering_id", UNSET))

        def _parse_since(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                since_type_0 = datetime.datetime.fromisoformat(data)

                return since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        since = _parse_since(d.pop("since", UNSET))

        def _parse_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                until_type_0 = datetime.datetime.fromisoformat(data)

                return until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        until = _parse_until(d.pop("until", UNSET))

        gathering_airtime = cls(
            as_of=as_of,
            balance=balance,
            people=people,
            rounds=rounds,
            total_seconds=total_seconds,
            gathering_id=gathering_id,
            since=since,
            until=until,
        )

        gathering_airtime.additional_properties = d
        return gathering_airtime

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
