from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.breakout_create_size import BreakoutCreateSize
from ..models.grouping import Grouping
from ..types import UNSET, Unset

T = TypeVar("T", bound="BreakoutCreate")


@_attrs_define
class BreakoutCreate:
    """
    Attributes:
        seconds_each (int): How long each person speaks, in seconds (a hard limit).
        duration_seconds (int | None | Unset): As ends_at, counted from now; give one or neither.
        ends_at (datetime.datetime | None | Unset): When everyone comes back to the circle, whether the groups are done
            or not (with a time zone).
        grouping (Grouping | Unset):
        groups (list[list[UUID]] | None | Unset): With grouping explicit: the groups, each 2 or 3 participant ids, in
            the order each speaks. Every present member in one; keepers not listed float.
        keepers_float (bool | Unset): Keepers stay out of the groups and may look in on any of them. Default: False.
        prompt (None | str | Unset): The question the groups take up.
        size (BreakoutCreateSize | Unset): People in a group: 2 (pairs) or 3. Nobody is ever alone. Default:
            BreakoutCreateSize.VALUE_2.
    """

    seconds_each: int
    duration_seconds: int | None | Unset = UNSET
    ends_at: datetime.datetime | None | Unset = UNSET
    grouping: Grouping | Unset = UNSET
    groups: list[list[UUID]] | None | Unset = UNSET
    keepers_float: bool | Unset = False
    prompt: None | str | Unset = UNSET
    size: BreakoutCreateSize | Unset = BreakoutCreateSize.VALUE_2

    def to_dict(self) -> dict[str, Any]:
        seconds_each = self.seconds_each

        duration_seconds: int | None | Unset
        if isinstance(self.duration_seconds, Unset):
            duration_seconds = UNSET
        else:
            duration_seconds = self.duration_seconds

        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        elif isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        grouping: str | Unset = UNSET
        if not isinstance(self.grouping, Unset):
            grouping = self.grouping.value

        groups: list[list[str]] | None | Unset
        if isinstance(self.groups, Unset):
            groups = UNSET
        elif isinstance(self.groups, list):
            groups = []
            for groups_type_0_item_data in self.groups:
                groups_type_0_item = []
                for groups_type_0_item_item_data in groups_type_0_item_data:
                    groups_type_0_item_item = str(groups_type_0_item_item_data)
                    groups_type_0_item.append(groups_type_0_item_item)

                groups.append(groups_type_0_item)

        else:
            groups = self.groups

        keepers_float = self.keepers_float

        prompt: None | str | Unset
        if isinstance(self.prompt, Unset):
            prompt = UNSET
        else:
            prompt = self.prompt

        size: int | Unset = UNSET
        if not isinstance(self.size, Unset):
            size = self.size.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "seconds_each": seconds_each,
            }
        )
        if duration_seconds is not UNSET:
            field_dict["duration_seconds"] = duration_seconds
        if ends_at is not UNSET:
            field_dict["ends_at"] = ends_at
        if grouping is not UNSET:
            field_dict["grouping"] = grouping
        if groups is not UNSET:
            field_dict["groups"] = groups
        if keepers_float is not UNSET:
            field_dict["keepers_float"] = keepers_float
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if size is not UNSET:
            field_dict["size"] = size

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        seconds_each = d.pop("seconds_each")

        def _parse_duration_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        duration_seconds = _parse_duration_seconds(d.pop("duration_seconds", UNSET))

        def _parse_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)

                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ends_at = _parse_ends_at(d.pop("ends_at", UNSET))

        _grouping = d.pop("grouping", UNSET)
        grouping: Grouping | Unset
        if isinstance(_grouping, Unset):
            grouping = UNSET
        else:
            grouping = Grouping(_grouping)

        def _parse_groups(data: object) -> list[list[UUID]] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                groups_type_0 = []
                _groups_type_0 = data
                for groups_type_0_item_data in _groups_type_0:
                    groups_type_0_item = []
                    _groups_type_0_item = groups_type_0_item_data
                    for groups_type_0_item_item_data in _groups_type_0_item:
                        groups_type_0_item_item = UUID(groups_type_0_item_item_data)

                        groups_type_0_item.append(groups_type_0_item_item)

                    groups_type_0.append(groups_type_0_item)

                return groups_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[list[UUID]] | None | Unset, data)

        groups = _parse_groups(d.pop("groups", UNSET))

        keepers_float = d.pop("keepers_float", UNSET)

        def _parse_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prompt = _parse_prompt(d.pop("prompt", UNSET))

        _size = d.pop("size", UNSET)
        size: BreakoutCreateSize | Unset
        if isinstance(_size, Unset):
            size = UNSET
        else:
            size = BreakoutCreateSize(_size)

        breakout_create = cls(
            seconds_each=seconds_each,
            duration_seconds=duration_seconds,
            ends_at=ends_at,
            grouping=grouping,
            groups=groups,
            keepers_float=keepers_float,
            prompt=prompt,
            size=size,
        )

        return breakout_create
