from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.turn_finish_outcome import TurnFinishOutcome

T = TypeVar("T", bound="TurnFinish")


@_attrs_define
class TurnFinish:
    """
    Attributes:
        outcome (TurnFinishOutcome): spoke or passed.
    """

    outcome: TurnFinishOutcome

    def to_dict(self) -> dict[str, Any]:
        outcome = self.outcome.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "outcome": outcome,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        outcome = TurnFinishOutcome(d.pop("outcome"))

        turn_finish = cls(
            outcome=outcome,
        )

        return turn_finish
