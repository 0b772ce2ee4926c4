from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="OutOfTurn")


@_attrs_define
class OutOfTurn:
    """
    Attributes:
        turn_id (UUID): The open turn the keeper interrupts; it ends interrupted.
    """

    turn_id: UUID

    def to_dict(self) -> dict[str, Any]:
        turn_id = str(self.turn_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "turn_id": turn_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        turn_id = UUID(d.pop("turn_id"))

        out_of_turn = cls(
            turn_id=turn_id,
        )

        return out_of_turn
