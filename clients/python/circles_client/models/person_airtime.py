from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.person_airtime_outcomes import PersonAirtimeOutcomes


T = TypeVar("T", bound="PersonAirtime")


@_attrs_define
class PersonAirtime:
    """
    Attributes:
        held_seconds (float):
        outcomes (PersonAirtimeOutcomes): How many of their ended turns ended each way.
        participant_id (UUID):
        share (float | None): This person's part of all the airtime (0 to 1); null if none.
        turns (int): How many turns they held.
    """

    held_seconds: float
    outcomes: PersonAirtimeOutcomes
    participant_id: UUID
    share: float | None
    turns: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        held_seconds = self.held_seconds

        outcomes = self.outcomes.to_dict()

        participant_id = str(self.participant_id)

        share: float | None
        share = self.share

        turns = self.turns

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "held_seconds": held_seconds,
                "outcomes": outcomes,
                "participant_id": participant_id,
                "share": share,
                "turns": turns,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.person_airtime_outcomes import PersonAirtimeOutcomes

        d = dict(src_dict)
        held_seconds = d.pop("held_seconds")

        outcomes = PersonAirtimeOutcomes.from_dict(d.pop("outcomes"))

        participant_id = UUID(d.pop("participant_id"))

        def _parse_share(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        share = _parse_share(d.pop("share"))

        turns = d.pop("turns")

        person_airtime = cls(
            held_seconds=held_seconds,
            outcomes=outcomes,
            participant_id=participant_id,
            share=share,
            turns=turns,
        )

        person_airtime.additional_properties = d
        return person_airtime

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
