from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.gathering_public import GatheringPublic
    from ..models.round_with_turns import RoundWithTurns


T = TypeVar("T", bound="GatheringAdvanced")


@_attrs_define
class GatheringAdvanced:
    """
    Attributes:
        gathering (GatheringPublic):
        round_ (RoundWithTurns):
    """

    gathering: GatheringPublic
    round_: RoundWithTurns
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        gathering = self.gathering.to_dict()

        round_ = self.round_.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "gathering": gathering,
                "round": round_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.gathering_public import GatheringPublic
        from ..models.round_with_turns import RoundWithTurns

        d = dict(src_dict)
        gathering = GatheringPublic.from_dict(d.pop("gathering"))

        round_ = RoundWithTurns.from_dict(d.pop("round"))

        gathering_advanced = cls(
            gathering=gathering,
            round_=round_,
        )

        gathering_advanced.additional_properties = d
        return gathering_advanced

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
