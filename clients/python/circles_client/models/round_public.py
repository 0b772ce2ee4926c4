from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.end_reason import EndReason
from ..models.round_kind import RoundKind
from ..models.round_status import RoundStatus
from ..models.time_limit import TimeLimit
from ..types import UNSET, Unset

T = TypeVar("T", bound="RoundPublic")


@_attrs_define
class RoundPublic:
    """
    Attributes:
        circle_id (UUID):
        end_reason (EndReason | None):
        ended_at (datetime.datetime | None):
        id (UUID):
        kind (RoundKind):
        offer_seconds (int | None): How long an offer of the piece stands; null: no offers.
        pass_back (bool):
        pause_seconds (int | None): The moment of silence between speakers; null: none.
        paused_at (datetime.datetime | None):
        prompt (None | str):
        returns_to (None | UUID): While a keeper speaks out of turn: who gets the piece back when they are done.
        started_at (datetime.datetime):
        starts_with (None | UUID): Who held the piece first; null in an open round begun waiting.
        status (RoundStatus):
        time_limit (TimeLimit):
        turn_seconds (int | None):
        absence (bool | Unset): Whoever is offline is passed over; a holder who drops has a grace period. Default:
            False.
    """

    circle_id: UUID
    end_reason: EndReason | None
    ended_at: datetime.datetime | None
    id: UUID
    kind: RoundKind
    offer_seconds: int | None
    pass_back: bool
    pause_seconds: int | None
    paused_at: datetime.datetime | None
    prompt: None | str
    returns_to: None | UUID
    started_at: datetime.datetime
    starts_with: None | UUID
    status: RoundStatus
    time_limit: TimeLimit
    turn_seconds: int | None
    absence: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        circle_id = str(self.circle_id)

        end_reason: None | str
        if isinstance(self.end_reason, EndReason):
            end_reason = self.end_reason.value
        else:
            end_reason = self.end_reason

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        id = str(self.id)

        kind = self.kind.value

        offer_seconds: int | None
        offer_seconds = self.offer_seconds

        pass_back = self.pass_back

        pause_seconds: int | None
        pause_seconds = self.pause_seconds

        paused_at: None | str
        if isinstance(self.paused_at, datetime.datetime):
            paused_at = self.paused_at.isoformat()
        else:
            paused_at = self.paused_at

        prompt: None | str
        prompt = self.prompt

        returns_to: None | str
        if isinstance(self.returns_to, UUID):
            returns_to = str(self.returns_to)
        else:
            returns_to = self.returns_to

        started_at = self.started_at.isoformat()

        starts_with: None | str
        if isinstance(self.starts_with, UUID):
            starts_with = str(self.starts_with)
        else:
            starts_with = self.starts_with

        status = self.status.value

        time_limit = self.time_limit.value

        turn_seconds: int | None
        turn_seconds = self.turn_seconds

        absence = self.absence

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "circle_id": circle_id,
                "end_reason": end_reason,
                "ended_at": ended_at,
                "id": id,
                "kind": kind,
                "offer_seconds": offer_seconds,
                "pass_back": pass_back,
                "pause_seconds": pause_seconds,
                "paused_at": paused_at,
                "prompt": prompt,
                "returns_to": returns_to,
                "started_at": started_at,
                "starts_with": starts_with,
                "status": status,
                "time_limit": time_limit,
                "turn_seconds": turn_seconds,
            }
        )
        if absence is not UNSET:
            field_dict["absence"] = absence

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        circle_id = UUID(d.pop("circle_id"))

        def _parse_end_reason(data: object) -> EndReason | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_reason_type_0 = EndReason(data)

                return end_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EndReason | None, data)

        end_reason = _parse_end_reason(d.pop("end_reason"))

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

        kind = RoundKind(d.pop("kind"))

        def _parse_offer_seconds(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        offer_seconds = _parse_offer_seconds(d.pop("offer_seconds"))

        pass_back = d.pop("pass_back")

        def _parse_pause_seconds(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        pause_seconds = _parse_pause_seconds(d.pop("pause_seconds"))

        def _parse_paused_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paused_at_type_0 = datetime.datetime.fromisoformat(data)

                return paused_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        paused_at = _parse_paused_at(d.pop("paused_at"))

        def _parse_prompt(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        prompt = _parse_prompt(d.pop("prompt"))

        def _parse_returns_to(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                returns_to_type_0 = UUID(data)

                return returns_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        returns_to = _parse_returns_to(d.pop("returns_to"))

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        def _parse_starts_with(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_with_type_0 = UUID(data)

                return starts_with_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        starts_with = _parse_starts_with(d.pop("starts_with"))

        status = RoundStatus(d.pop("status"))

        time_limit = TimeLimit(d.pop("time_limit"))

        def _parse_turn_seconds(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        turn_seconds = _parse_turn_seconds(d.pop("turn_seconds"))

        absence = d.pop("absence", UNSET)

        round_public = cls(
            circle_id=circle_id,
            end_reason=end_reason,
            ended_at=ended_at,
            id=id,
            kind=kind,
            offer_seconds=offer_seconds,
            pass_back=pass_back,
            pause_seconds=pause_seconds,
            paused_at=paused_at,
            prompt=prompt,
            returns_to=returns_to,
            started_at=started_at,
            starts_with=starts_with,
            status=status,
            time_limit=time_limit,
            turn_seconds=turn_seconds,
            absence=absence,
        )

        round_public.additional_properties = d
        return round_public

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
