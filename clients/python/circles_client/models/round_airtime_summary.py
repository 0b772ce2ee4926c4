from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.round_status import RoundStatus

T = TypeVar("T", bound="RoundAirtimeSummary")


@_attrs_define
class RoundAirtimeSummary:
    """
    Attributes:
        balance (float | None): How evenly airtime was shared: 1 − the Gini coefficient normalized for the number of
            people (1: all equal; 0: one person held all of it). 1 for a single person; null when no one held the piece for
            any time.
        ended_at (datetime.datetime | None):
        round_id (UUID):
        started_at (datetime.datetime):
        status (RoundStatus):
        total_seconds (float):
    """

    balance: float | None
    ended_at: datetime.datetime | None
    round_id: UUID
    started_at: datetime.datetime
    status: RoundStatus
    total_seconds: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        balance: float | None
        balance = self.balance

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        round_id = str(self.round_id)

        started_at = self.started_at.isoformat()

        status = self.status.value

        total_seconds = self.total_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "balance": balance,
                "ended_at": ended_at,
                "round_id": round_id,
                "started_at": started_at,
                "status": status,
                "total_seconds": total_seconds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
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

        round_id = UUID(d.pop("round_id"))

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        status = RoundStatus(d.pop("status"))

        total_seconds = d.pop("total_seconds")

        round_airtime_summary = cls(
            balance=balance,
            ended_at=ended_at,
            round_id=round_id,
            started_at=started_at,
            status=status,
            total_seconds=total_seconds,
        )

        round_airtime_summary.additional_properties = d
        return round_airtime_summary

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
