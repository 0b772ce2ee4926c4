from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.breakout_turn_finish_outcome import BreakoutTurnFinishOutcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="BreakoutTurnFinish")


@_attrs_define
class BreakoutTurnFinish:
    """
    Attributes:
        outcome (BreakoutTurnFinishOutcome | Unset): spoke (done) or passed. Default: BreakoutTurnFinishOutcome.SPOKE.
    """

    outcome: BreakoutTurnFinishOutcome | Unset = BreakoutTurnFinishOutcome.SPOKE

    def to_dict(self) -> dict[str, Any]:
        outcome: str | Unset = UNSET
        if not isinstance(self.outcome, Unset):
            outcome = self.outcome.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if outcome is not UNSET:
            field_dict["outcome"] = outcome

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _outcome = d.pop("outcome", UNSET)
        outcome: BreakoutTurnFinishOutcome | Unset
        if isinstance(_outcome, Unset):
            outcome = UNSET
        else:
            outcome = BreakoutTurnFinishOutcome(_outcome)

        breakout_turn_finish = cls(
            outcome=outcome,
        )

        return breakout_turn_finish
