from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Audience")


@_attrs_define
class Audience:
    """The circle's witnesses, counted: they listen and never hold the piece, so they are not listed one by
    one (GET /v1/circles/{circle_id}/participants lists them).

        Attributes:
            online (int): How many of them have a live connection (on any instance).
            witnesses (int): How many witnesses are seated.
    """

    online: int
    witnesses: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        online = self.online

        witnesses = self.witnesses

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "online": online,
                "witnesses": witnesses,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        online = d.pop("online")

        witnesses = d.pop("witnesses")

        audience = cls(
            online=online,
            witnesses=witnesses,
        )

        audience.additional_properties = d
        return audience

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
