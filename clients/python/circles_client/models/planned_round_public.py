from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.phase import Phase

if TYPE_CHECKING:
    from ..models.planned_round_public_round_options import (
        PlannedRoundPublicRoundOptions,
    )


T = TypeVar("T", bound="PlannedRoundPublic")


@_attrs_define
class PlannedRoundPublic:
    """
    Attributes:
        id (UUID):
        phase (Phase): Where a planned round sits in the gathering.
        position (int): 0 for the first round of the gathering.
        prompt (None | str):
        round_id (None | UUID): The round it started; null until then.
        round_options (PlannedRoundPublicRoundOptions): The round's options as planned, as POST /rounds takes them;
            those left out are the circle's.
        started_at (datetime.datetime | None):
    """

    id: UUID
    phase: Phase
    position: int
    prompt: None | str
    round_id: None | UUID
    round_options: PlannedRoundPublicRoundOptions
    started_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        phase = self.phase.value

        position = self.position

        prompt: None | str
        prompt = self.prompt

        round_id: None | str
        if isinstance(self.round_id, UUID):
            round_id = str(self.round_id)
        else:
            round_id = self.round_id

        round_options = self.round_options.to_dict()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "phase": phase,
                "position": position,
                "prompt": prompt,
                "round_id": round_id,
                "round_options": round_options,
                "started_at": started_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.planned_round_public_round_options import (
            PlannedRoundPublicRoundOptions,
        )

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        phase = Phase(d.pop("phase"))

        position = d.pop("position")

        def _parse_prompt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        prompt = _parse_prompt(d.pop("prompt"))

        def _parse_round_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                round_id_type_0 = UUID(data)

                return round_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        round_id = _parse_round_id(d.pop("round_id"))

        round_options = PlannedRoundPublicRoundOptions.from_dict(d.pop("round_options"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        planned_round_public = cls(
            id=id,
            phase=phase,
            position=position,
            prompt=prompt,
            round_id=round_id,
            round_options=round_options,
            started_at=started_at,
        )

        planned_round_public.additional_properties = d
        return planned_round_public

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
