from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Schedule")


@_attrs_define
class Schedule:
    """
    Attributes:
        rrule (str): An RFC 5545 recurrence rule, without the `RRULE:` prefix, e.g. `FREQ=WEEKLY;BYDAY=TU`. FREQ is
            DAILY, WEEKLY, MONTHLY or YEARLY; an UNTIL is in UTC (`…T000000Z`).
        start (str): The first meeting's date and time as the clocks show it in `time_zone`, without an offset (e.g.
            `2026-12-08T19:00:00`); later ones keep that time of day, across daylight saving changes.
        time_zone (str): An IANA time zone name, e.g. `Europe/Berlin`.
    """

    rrule: str
    start: str
    time_zone: str

    def to_dict(self) -> dict[str, Any]:
        rrule = self.rrule

        start = self.start

        time_zone = self.time_zone

        field_dict: dict[str, Any] = {}

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

        start = d.pop("start")

        time_zone = d.pop("time_zone")

        schedule = cls(
            rrule=rrule,
            start=start,
            time_zone=time_zone,
        )

        return schedule
