from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="GatheringNext")


@_attrs_define
class GatheringNext:
    """
    Attributes:
        position (int | None | Unset): The position the caller believes is next; if another is, nothing starts (409).
            Two keepers pressing 'next' at once can never start two rounds.
    """

    position: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        position: int | None | Unset
        if isinstance(self.position, Unset):
            position = UNSET
        else:
            position = self.position

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if position is not UNSET:
            field_dict["position"] = position

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_position(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        position = _parse_position(d.pop("position", UNSET))

        gathering_next = cls(
            position=position,
        )

        return gathering_next
