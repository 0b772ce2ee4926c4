from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.planned_round_public import PlannedRoundPublic


T = TypeVar("T", bound="GatheringPublic")


@_attrs_define
class GatheringPublic:
    """
    Attributes:
        circle_id (UUID):
        created_at (datetime.datetime):
        id (UUID):
        next_position (int | None): The planned round that starts next; null when all have.
        rounds (list[PlannedRoundPublic]):
    """

    circle_id: UUID
    created_at: datetime.datetime
    id: UUID
    next_position: int | None
    rounds: list[PlannedRoundPublic]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        circle_id = str(self.circle_id)

        created_at = self.created_at.isoformat()

        id = str(self.id)

        next_position: int | None
        next_position = self.next_position

        rounds = []
        for rounds_item_data in self.rounds:
            rounds_item = rounds_item_data.to_dict()
            rounds.append(rounds_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "circle_id": circle_id,
                "created_at": created_at,
                "id": id,
                "next_position": next_position,
                "rounds": rounds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.planned_round_public import PlannedRoundPublic

        d = dict(src_dict)
        circle_id = UUID(d.pop("circle_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        def _parse_next_position(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_position = _parse_next_position(d.pop("next_position"))

        rounds = []
        _rounds = d.pop("rounds")
        for rounds_item_data in _rounds:
            rounds_item = PlannedRoundPublic.from_dict(rounds_item_data)

            rounds.append(rounds_item)

        gathering_public = cls(
            circle_id=circle_id,
            created_at=created_at,
            id=id,
            next_position=next_position,
            rounds=rounds,
        )

        gathering_public.additional_properties = d
        return gathering_public

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
