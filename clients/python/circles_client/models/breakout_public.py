from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.breakout_end_reason import BreakoutEndReason
from ..models.grouping import Grouping

if TYPE_CHECKING:
    from ..models.breakout_group_public import BreakoutGroupPublic


T = TypeVar("T", bound="BreakoutPublic")


@_attrs_define
class BreakoutPublic:
    """
    Attributes:
        circle_id (UUID):
        end_reason (BreakoutEndReason | None): completed (every group done), time_up (ends_at came), ended (by a keeper
            or the app), or circle_closed.
        ended_at (datetime.datetime | None): When everyone came back to the circle; null while under way.
        ends_at (datetime.datetime | None): When everyone comes back, at the latest; null: when all are done.
        grouping (Grouping):
        groups (list[BreakoutGroupPublic]):
        id (UUID):
        keepers_float (bool):
        prompt (None | str):
        seconds_each (int):
        size (int):
        started_at (datetime.datetime):
    """

    circle_id: UUID
    end_reason: BreakoutEndReason | None
    ended_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    grouping: Grouping
    groups: list[BreakoutGroupPublic]
    id: UUID
    keepers_float: bool
    prompt: None | str
    seconds_each: int
    size: int
    started_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        circle_id = str(self.circle_id)

        end_reason: None | str
        if isinstance(self.end_reason, BreakoutEndReason):
            end_reason = self.end_reason.value
        else:
            end_reason = self.end_reason

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        ends_at: None | str
        if isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        grouping = self.grouping.value

        groups = []
        for groups_item_data in self.groups:
            groups_item = groups_item_data.to_dict()
            groups.append(groups_item)

        id = str(self.id)

        keepers_float = self.keepers_float

        prompt: None | str
        prompt = self.prompt

        seconds_each = self.seconds_each

        size = self.size

        started_at = self.started_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "circle_id": circle_id,
                "end_reason": end_reason,
                "ended_at": ended_at,
                "ends_at": ends_at,
                "grouping": grouping,
                "groups": groups,
                "id": id,
                "keepers_float": keepers_float,
                "prompt": prompt,
                "seconds_each": seconds_each,
                "size": size,
                "started_at": started_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.breakout_group_public import BreakoutGroupPublic

        d = dict(src_dict)
        circle_id = UUID(d.pop("circle_id"))

        def _parse_end_reason(data: object) -> BreakoutEndReason | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_reason_type_0 = BreakoutEndReason(data)

                return end_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BreakoutEndReason | None, data)

        end_reason = _parse_end_reason(d.pop("end_reason"))

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

        def _parse_ends_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)

                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ends_at = _parse_ends_at(d.pop("ends_at"))

        grouping = Grouping(d.pop("grouping"))

        groups = []
        _groups = d.pop("groups")
        for groups_item_data in _groups:
            groups_item = BreakoutGroupPublic.from_dict(groups_item_data)

            groups.append(groups_item)

        id = UUID(d.pop("id"))

        keepers_float = d.pop("keepers_float")

        def _parse_prompt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        prompt = _parse_prompt(d.pop("prompt"))

        seconds_each = d.pop("seconds_each")

        size = d.pop("size")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        breakout_public = cls(
            circle_id=circle_id,
            end_reason=end_reason,
            ended_at=ended_at,
            ends_at=ends_at,
            grouping=grouping,
            groups=groups,
            id=id,
            keepers_float=keepers_float,
            prompt=prompt,
            seconds_each=seconds_each,
            size=size,
            started_at=started_at,
        )

        breakout_public.additional_properties = d
        return breakout_public

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
