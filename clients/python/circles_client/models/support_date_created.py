from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.support_date_kind import SupportDateKind
from ..models.support_date_status import SupportDateStatus
from ..models.time_limit import TimeLimit

if TYPE_CHECKING:
    from ..models.support_date_created_tokens import SupportDateCreatedTokens
    from ..models.support_date_person import SupportDatePerson
    from ..models.support_date_schedule import SupportDateSchedule


T = TypeVar("T", bound="SupportDateCreated")


@_attrs_define
class SupportDateCreated:
    """
    Attributes:
        circle_id (UUID): The date's own circle (kind `support_date`): its live socket, events, rounds and page.
        created_at (datetime.datetime):
        ended_at (datetime.datetime | None):
        id (UUID):
        kind (SupportDateKind):
        next_occurrences (list[datetime.datetime]): The next meetings (UTC), soonest first, at most 5; empty without a
            schedule or once ended.
        next_starts_with (None | UUID): Who speaks first at the next meeting (participant_id); null once ended.
        people (list[SupportDatePerson]): The two, in the order they were given.
        schedule (None | SupportDateSchedule):
        seconds_each (int):
        status (SupportDateStatus):
        time_limit (TimeLimit):
        tokens (SupportDateCreatedTokens): Each person's token for the date, by external_id. Shown once; only hashes are
            kept.
    """

    circle_id: UUID
    created_at: datetime.datetime
    ended_at: datetime.datetime | None
    id: UUID
    kind: SupportDateKind
    next_occurrences: list[datetime.datetime]
    next_starts_with: None | UUID
    people: list[SupportDatePerson]
    schedule: None | SupportDateSchedule
    seconds_each: int
    status: SupportDateStatus
    time_limit: TimeLimit
    tokens: SupportDateCreatedTokens
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.support_date_schedule import SupportDateSchedule

        circle_id = str(self.circle_id)

        created_at = self.created_at.isoformat()

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        id = str(self.id)

        kind = self.kind.value

        next_occurrences = []
        for next_occurrences_item_data in self.next_occurrences:
            next_occurrences_item = next_occurrences_item_data.isoformat()
            next_occurrences.append(next_occurrences_item)

        next_starts_with: None | str
        if isinstance(self.next_starts_with, UUID):
            next_starts_with = str(self.next_starts_with)
        else:
            next_starts_with = self.next_starts_with

        people = []
        for people_item_data in self.people:
            people_item = people_item_data.to_dict()
            people.append(people_item)

        schedule: dict[str, Any] | None
        if isinstance(self.schedule, SupportDateSchedule):
            schedule = self.schedule.to_dict()
        else:
            schedule = self.schedule

        seconds_each = self.seconds_each

        status = self.status.value

        time_limit = self.time_limit.value

        tokens = self.tokens.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "circle_id": circle_id,
                "created_at": created_at,
                "ended_at": ended_at,
                "id": id,
                "kind": kind,
                "next_occurrences": next_occurrences,
                "next_starts_with": next_starts_with,
                "people": people,
                "schedule": schedule,
                "seconds_each": seconds_each,
                "status": status,
                "time_limit": time_limit,
                "tokens": tokens,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.support_date_created_tokens import SupportDateCreatedTokens
        from ..models.support_date_person import SupportDatePerson
        from ..models.support_date_schedule import SupportDateSchedule

        d = dict(src_dict)
        circle_id = UUID(d.pop("circle_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

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

        id = UUID(d.pop("id"))

        kind = SupportDateKind(d.pop("kind"))

        next_occurrences = []
        _next_occurrences = d.pop("next_occurrences")
        for next_occurrences_item_data in _next_occurrences:
            next_occurrences_item = datetime.datetime.fromisoformat(
                next_occurrences_item_data
            )

            next_occurrences.append(next_occurrences_item)

        def _parse_next_starts_with(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_starts_with_type_0 = UUID(data)

                return next_starts_with_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        next_starts_with = _parse_next_starts_with(d.pop("next_starts_with"))

        people = []
        _people = d.pop("people")
        for people_item_data in _people:
            people_item = SupportDatePerson.from_dict(people_item_data)

            people.append(people_item)

        def _parse_schedule(data: object) -> None | SupportDateSchedule:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                schedule_type_0 = SupportDateSchedule.from_dict(data)

                return schedule_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SupportDateSchedule, data)

        schedule = _parse_schedule(d.pop("schedule"))

        seconds_each = d.pop("seconds_each")

        status = SupportDateStatus(d.pop("status"))

        time_limit = TimeLimit(d.pop("time_limit"))

        tokens = SupportDateCreatedTokens.from_dict(d.pop("tokens"))

        support_date_created = cls(
            circle_id=circle_id,
            created_at=created_at,
            ended_at=ended_at,
            id=id,
            kind=kind,
            next_occurrences=next_occurrences,
            next_starts_with=next_starts_with,
            people=people,
            schedule=schedule,
            seconds_each=seconds_each,
            status=status,
            time_limit=time_limit,
            tokens=tokens,
        )

        support_date_created.additional_properties = d
        return support_date_created

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
