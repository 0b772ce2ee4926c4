from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.time_limit import TimeLimit
from ..types import UNSET, Unset

T = TypeVar("T", bound="CircleUpdate")


@_attrs_define
class CircleUpdate:
    """
    Attributes:
        agreements (list[str] | Unset):
        intention (str | Unset):
        name (str | Unset):
        support_resources (list[Any] | Unset): Crisis lines and links every screen can show.
        time_limit (TimeLimit | Unset):
        turn_seconds (int | None | Unset): null removes the limit.
        zoom_meeting_uuid (None | str | Unset): null unbinds the Zoom meeting.
    """

    agreements: list[str] | Unset = UNSET
    intention: str | Unset = UNSET
    name: str | Unset = UNSET
    support_resources: list[Any] | Unset = UNSET
    time_limit: TimeLimit | Unset = UNSET
    turn_seconds: int | None | Unset = UNSET
    zoom_meeting_uuid: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        agreements: list[str] | Unset = UNSET
        if not isinstance(self.agreements, Unset):
            agreements = self.agreements

        intention = self.intention

        name = self.name

        support_resources: list[Any] | Unset = UNSET
        if not isinstance(self.support_resources, Unset):
            support_resources = []
            for support_resources_item_data in self.support_resources:
                support_resources_item: Any
                support_resources_item = support_resources_item_data
                support_resources.append(support_resources_item)

        time_limit: str | Unset = UNSET
        if not isinstance(self.time_limit, Unset):
            time_limit = self.time_limit.value

        turn_seconds: int | None | Unset
        if isinstance(self.turn_seconds, Unset):
            turn_seconds = UNSET
        else:
            turn_seconds = self.turn_seconds

        zoom_meeting_uuid: None | str | Unset
        if isinstance(self.zoom_meeting_uuid, Unset):
            zoom_meeting_uuid = UNSET
        else:
            zoom_meeting_uuid = self.zoom_meeting_uuid

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if agreements is not UNSET:
            field_dict["agreements"] = agreements
        if intention is not UNSET:
            field_dict["intention"] = intention
        if name is not UNSET:
            field_dict["name"] = name
        if support_resources is not UNSET:
            field_dict["support_resources"] = support_resources
        if time_limit is not UNSET:
            field_dict["time_limit"] = time_limit
        if turn_seconds is not UNSET:
            field_dict["turn_seconds"] = turn_seconds
        if zoom_meeting_uuid is not UNSET:
            field_dict["zoom_meeting_uuid"] = zoom_meeting_uuid

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        agreements = cast(list[str], d.pop("agreements", UNSET))

        intention = d.pop("intention", UNSET)

        name = d.pop("name", UNSET)

        _support_resources = d.pop("support_resources", UNSET)
        support_resources: list[Any] | Unset = UNSET
        if _support_resources is not UNSET:
            support_resources = []
            for support_resources_item_data in _support_resources:

                def _parse_support_resources_item(data: object) -> Any:
                    return cast(Any, data)

                support_resources_item = _parse_support_resources_item(
                    support_resources_item_data
                )

                support_resources.append(support_resources_item)

        _time_limit = d.pop("time_limit", UNSET)
        time_limit: TimeLimit | Unset
        if isinstance(_time_limit, Unset):
            time_limit = UNSET
        else:
            time_limit = TimeLimit(_time_limit)

        def _parse_turn_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        turn_seconds = _parse_turn_seconds(d.pop("turn_seconds", UNSET))

        def _parse_zoom_meeting_uuid(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        zoom_meeting_uuid = _parse_zoom_meeting_uuid(d.pop("zoom_meeting_uuid", UNSET))

        circle_update = cls(
            agreements=agreements,
            intention=intention,
            name=name,
            support_resources=support_resources,
            time_limit=time_limit,
            turn_seconds=turn_seconds,
            zoom_meeting_uuid=zoom_meeting_uuid,
        )

        return circle_update
