from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SupportDateSchedule")


@_attrs_define
class SupportDateSchedule:
    """
    Attributes:
        rrule (str):
        start (datetime.datetime): The first meeting, as the clocks show it in time_zone.
        time_zone (str):
    """

    rrule: str
    start: datetime.datetime
    time_zone: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rrule = self.rrule

        start = self.start.isoformat()

        time_zone = self.time_zone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rrule": rrule,
                "start": start,
                "time_zone": time_zone,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        rrule = d.pop("rrule")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        time_zone = d.pop("time_zone")

        support_date_schedule = cls(
            rrule=rrule,
            start=start,
            time_zone=time_zone,
        )

        support_date_schedule.additional_properties = d
        return support_date_schedule

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
