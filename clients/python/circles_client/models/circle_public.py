from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.circle_kind import CircleKind
from ..models.circle_status import CircleStatus
from ..models.time_limit import TimeLimit
from ..types import UNSET, Unset

T = TypeVar("T", bound="CirclePublic")


@_attrs_define
class CirclePublic:
    """
    Attributes:
        agreements_version (int): Goes up by one each time the agreements change; participants accept a version, and
            must accept again after a change before they can hold the piece (when there are agreements).
        closed_at (datetime.datetime | None):
        created_at (datetime.datetime):
        id (UUID):
        name (str):
        status (CircleStatus):
        agreements (list[str] | Unset): Short agreements such as 'What is shared here stays here'.
        intention (str | Unset): Why we gather. Default: ''.
        kind (CircleKind | Unset):
        support_resources (list[Any] | Unset): Crisis lines and links (label, and text or url) every screen can show.
        time_limit (TimeLimit | Unset):
        turn_seconds (int | None | Unset): Default time per turn in seconds; null for no limit.
        zoom_meeting_uuid (None | str | Unset): The Zoom meeting this circle is bound to (its meeting UUID, `mid` in a
            Zoom app context): POST /v1/zoom/session seats that meeting's Zoom users here. Unique among the app's circles.
    """

    agreements_version: int
    closed_at: datetime.datetime | None
    created_at: datetime.datetime
    id: UUID
    name: str
    status: CircleStatus
    agreements: list[str] | Unset = UNSET
    intention: str | Unset = ""
    kind: CircleKind | Unset = UNSET
    support_resources: list[Any] | Unset = UNSET
    time_limit: TimeLimit | Unset = UNSET
    turn_seconds: int | None | Unset = UNSET
    zoom_meeting_uuid: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agreements_version = self.agreements_version

        closed_at: None | str
        if isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        created_at = self.created_at.isoformat()

        id = str(self.id)

        name = self.name

        status = self.status.value

        agreements: list[str] | Unset = UNSET
        if not isinstance(self.agreements, Unset):
            agreements = self.agreements

        intention = self.intention

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

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
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreements_version": agreements_version,
                "closed_at": closed_at,
                "created_at": created_at,
                "id": id,
                "name": name,
                "status": status,
            }
        )
        if agreements is not UNSET:
            field_dict["agreements"] = agreements
        if intention is not UNSET:
            field_dict["intention"] = intention
        if kind is not UNSET:
            field_dict["kind"] = kind
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
        agreements_version = d.pop("agreements_version")

        def _parse_closed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        closed_at = _parse_closed_at(d.pop("closed_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        name = d.pop("name")

        status = CircleStatus(d.pop("status"))

        agreements = cast(list[str], d.pop("agreements", UNSET))

        intention = d.pop("intention", UNSET)

        _kind = d.pop("kind", UNSET)
        kind: CircleKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = CircleKind(_kind)

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

        circle_public = cls(
            agreements_version=agreements_version,
            closed_at=closed_at,
            created_at=created_at,
            id=id,
            name=name,
            status=status,
            agreements=agreements,
            intention=intention,
            kind=kind,
            support_resources=support_resources,
            time_limit=time_limit,
            turn_seconds=turn_seconds,
            zoom_meeting_uuid=zoom_meeting_uuid,
        )

        circle_public.additional_properties = d
        return circle_public

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
