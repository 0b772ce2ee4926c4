from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="PieceGive")


@_attrs_define
class PieceGive:
    """
    Attributes:
        participant_id (UUID): A seated member or keeper: who gets the piece now.
        turn_id (None | UUID): The open turn the piece is taken from (its holder's turn ends skipped); null when the
            piece is free. A turn that is no longer open is 409 turn_not_open.
    """

    participant_id: UUID
    turn_id: None | UUID

    def to_dict(self) -> dict[str, Any]:
        participant_id = str(self.participant_id)

        turn_id: None | str
        if isinstance(self.turn_id, UUID):
            turn_id = str(self.turn_id)
        else:
            turn_id = self.turn_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "participant_id": participant_id,
                "turn_id": turn_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        participant_id = UUID(d.pop("participant_id"))

        def _parse_turn_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                turn_id_type_0 = UUID(data)

                return turn_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        turn_id = _parse_turn_id(d.pop("turn_id"))

        piece_give = cls(
            participant_id=participant_id,
            turn_id=turn_id,
        )

        return piece_give
