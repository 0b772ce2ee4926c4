from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.breakout_outcome import BreakoutOutcome

T = TypeVar("T", bound="BreakoutTurnPublic")


@_attrs_define
class BreakoutTurnPublic:
    """
    Attributes:
        deadline (datetime.datetime | None): When their time is up (server time).
        ended_at (datetime.datetime | None):
        id (UUID):
        outcome (BreakoutOutcome | None): spoke, passed, timed_out (their time ran out), ended (the breakout ended
            first), left (they left the circle or became a witness), moved (nobody else was left in the group before they
            spoke there: they speak in another group, or with none open are back in the circle; a turn cut short so does not
            count), or listener (they joined this group, having spoken in theirs, only to listen; never started, ended when
            they joined).
        participant_id (UUID):
        position (int): 0 speaks first in the group, then 1, ...
        started_at (datetime.datetime | None): When the piece came to them; null before (or never).
    """

    deadline: datetime.datetime | None
    ended_at: datetime.datetime | None
    id: UUID
    outcome: BreakoutOutcome | None
    participant_id: UUID
    position: int
    started_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        deadline: None | str
        if isinstance(self.deadline, datetime.datetime):
            deadline = self.deadline.isoformat()
        else:
            deadline = self.deadline

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        id = str(self.id)

        outcome: None | str
        if isinstance(self.outcome, BreakoutOutcome):
            outcome = self.outcome.value
        else:
            outcome = self.outcome

        participant_id = str(self.participant_id)

        position = self.position

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "deadline": deadline,
                "ended_at": ended_at,
                "id": id,
                "outcome": outcome,
                "participant_id": participant_id,
                "position": position,
                "started_at": started_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_deadline(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deadline_type_0 = datetime.datetime.fromisoformat(data)

                return deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deadline = _parse_deadline(d.pop("deadline"))

        def _parse_ended_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ended_at_type_0 = datetime.datetime.fromisoformat(data)

                return ended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ended_at = _parse_ended_at(d.pop("ended_at"))

        id = UUID(d.pop("id"))

        def _parse_outcome(data: object) -> BreakoutOutcome | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                outcome_type_0 = BreakoutOutcome(data)

                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BreakoutOutcome | None, data)

        outcome = _parse_outcome(d.pop("outcome"))

        participant_id = UUID(d.pop("participant_id"))

        position = d.pop("position")

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

        breakout_turn_public = cls(
            deadline=deadline,
            ended_at=ended_at,
            id=id,
            outcome=outcome,
            participant_id=participant_id,
            position=position,
            started_at=started_at,
        )

        breakout_turn_public.additional_properties = d
        return breakout_turn_public

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
