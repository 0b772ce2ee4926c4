from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.support_date_kind import SupportDateKind
from ..models.time_limit import TimeLimit
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.person_create import PersonCreate
    from ..models.schedule import Schedule


T = TypeVar("T", bound="SupportDateCreate")


@_attrs_define
class SupportDateCreate:
    """
    Attributes:
        people (list[PersonCreate]): The two. With `reciprocal`, the first starts the first meeting.
        seconds_each (int): Each speaker's time at a meeting, in seconds.
        kind (SupportDateKind | Unset):
        schedule (None | Schedule | Unset): When they meet; null: whenever they like.
        speaker (None | str | Unset): mentoring: the external_id of the one who speaks; left out when reciprocal.
        time_limit (TimeLimit | Unset):
    """

    people: list[PersonCreate]
    seconds_each: int
    kind: SupportDateKind | Unset = UNSET
    schedule: None | Schedule | Unset = UNSET
    speaker: None | str | Unset = UNSET
    time_limit: TimeLimit | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.schedule import Schedule

        people = []
        for people_item_data in self.people:
            people_item = people_item_data.to_dict()
            people.append(people_item)

        seconds_each = self.seconds_each

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        schedule: dict[str, Any] | None | Unset
        if isinstance(self.schedule, Unset):
            schedule = UNSET
        elif isinstance(self.schedule, Schedule):
            schedule = self.schedule.to_dict()
        else:
            schedule = self.schedule

        speaker: None | str | Unset
        if isinstance(self.speaker, Unset):
            speaker = UNSET
        else:
            speaker = self.speaker

        time_limit: str | Unset = UNSET
        if not isinstance(self.time_limit, Unset):
            time_limit = self.time_limit.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "people": people,
                "seconds_each": seconds_each,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if schedule is not UNSET:
            field_dict["schedule"] = schedule
        if speaker is not UNSET:
            field_dict["speaker"] = speaker
        if time_limit is not UNSET:
            field_dict["time_limit"] = time_limit

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.person_create import PersonCreate
        from ..models.schedule import Schedule

        d = dict(src_dict)
        people = []
        _people = d.pop("people")
        for people_item_data in _people:
            people_item = PersonCreate.from_dict(people_item_data)

            people.append(people_item)

        seconds_each = d.pop("seconds_each")

        _kind = d.pop("kind", UNSET)
        kind: SupportDateKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = SupportDateKind(_kind)

        def _parse_schedule(data: object) -> None | Schedule | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                schedule_type_0 = Schedule.from_dict(data)

                return schedule_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Schedule | Unset, data)

        schedule = _parse_schedule(d.pop("schedule", UNSET))

        def _parse_speaker(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        speaker = _parse_speaker(d.pop("speaker", UNSET))

        _time_limit = d.pop("time_limit", UNSET)
        time_limit: TimeLimit | Unset
        if isinstance(_time_limit, Unset):
            time_limit = UNSET
        else:
            time_limit = TimeLimit(_time_limit)

        support_date_create = cls(
            people=people,
            seconds_each=seconds_each,
            kind=kind,
            schedule=schedule,
            speaker=speaker,
            time_limit=time_limit,
        )

        return support_date_create
