from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role
from ..types import UNSET, Unset

T = TypeVar("T", bound="ParticipantDetail")


@_attrs_define
class ParticipantDetail:
    """One participant as they themselves, a keeper or the app read them: with where they stand on the
    circle's agreements as they are now.

        Attributes:
            agreed_at (datetime.datetime | None): When they accepted it.
            agreed_to_current (bool): Whether they accepted the circle's current agreements_version (true when the circle
                has no agreements). Without it they are passed over (`not_agreed`) when the piece would come to them.
            agreed_version (int | None): The version of the circle's agreements they accepted, if any.
            agreements_version (int): The circle's current agreements_version: the one to accept.
            circle_id (UUID):
            display_name (str):
            id (UUID):
            joined_at (datetime.datetime):
            seat (int):
            external_id (None | str | Unset): The app's own id for the person (e.g. a Zoom participant UUID); unique in the
                circle.
            online (bool | Unset): Has a live connection now. Default: False.
            role (Role | Unset):
    """

    agreed_at: datetime.datetime | None
    agreed_to_current: bool
    agreed_version: int | None
    agreements_version: int
    circle_id: UUID
    display_name: str
    id: UUID
    joined_at: datetime.datetime
    seat: int
    external_id: None | str | Unset = UNSET
    online: bool | Unset = False
    role: Role | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agreed_at: None | str
        if isinstance(self.agreed_at, datetime.datetime):
            agreed_at = self.agreed_at.isoformat()
        else:
            agreed_at = self.agreed_at

        agreed_to_current = self.agreed_to_current

        agreed_version: int | None
        agreed_version = self.agreed_version

        agreements_version = self.agreements_version

        circle_id = str(self.circle_id)

        display_name = self.display_name

        id = str(self.id)

        joined_at = self.joined_at.isoformat()

        seat = self.seat

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        online = self.online

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreed_at": agreed_at,
                "agreed_to_current": agreed_to_current,
                "agreed_version": agreed_version,
                "agreements_version": agreements_version,
                "circle_id": circle_id,
                "display_name": display_name,
                "id": id,
                "joined_at": joined_at,
                "seat": seat,
            }
        )
        if external_id is not UNSET:
            field_dict["external_id"] = external_id
        if online is not UNSET:
            field_dict["online"] = online
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_agreed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                agreed_at_type_0 = datetime.datetime.fromisoformat(data)

                return agreed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        agreed_at = _parse_agreed_at(d.pop("agreed_at"))

        agreed_to_current = d.pop("agreed_to_current")

        def _parse_agreed_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        agreed_version = _parse_agreed_version(d.pop("agreed_version"))

        agreements_version = d.pop("agreements_version")

        circle_id = UUID(d.pop("circle_id"))

        display_name = d.pop("display_name")

        id = UUID(d.pop("id"))

        joined_at = datetime.datetime.fromisoformat(d.pop("joined_at"))

        seat = d.pop("seat")

        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("external_id", UNSET))

        online = d.pop("online", UNSET)

        _role = d.pop("role", UNSET)
        role: Role | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = Role(_role)

        participant_detail = cls(
            agreed_at=agreed_at,
            agreed_to_current=agreed_to_current,
            agreed_version=agreed_version,
            agreements_version=agreements_version,
            circle_id=circle_id,
            display_name=display_name,
            id=id,
            joined_at=joined_at,
            seat=seat,
            external_id=external_id,
            online=online,
            role=role,
        )

        participant_detail.additional_properties = d
        return participant_detail

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
