from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.phase import Phase
from ..models.round_kind import RoundKind
from ..models.time_limit import TimeLimit
from ..types import UNSET, Unset

T = TypeVar("T", bound="PlannedRoundCreate")


@_attrs_define
class PlannedRoundCreate:
    """A round as POST /rounds takes it (its options left out: the circle's), and where it sits.

    Attributes:
        absence (bool | Unset): Pass over whoever has no live connection when the piece reaches them (outcome absent;
            they keep their seat), and give a holder whose last connection drops a grace period to come back
            (CIRCLES_AWAY_GRACE_SECONDS) before the piece moves on. For circles whose members are connected. Default: False.
        kind (RoundKind | Unset):
        offer_seconds (int | None | Unset): Offer the piece first: the next person takes it when ready (POST
            .../turns/{id}/accept) and the clock starts then; not taken within this many seconds, it passes on (outcome
            not_taken). null: no offer.
        pass_back (bool | Unset): Offer the piece once more to those who passed (sequential rounds only). Default:
            False.
        pause_seconds (int | None | Unset): A moment of silence between speakers, in seconds; null: none.
        phase (Phase | Unset): Where a planned round sits in the gathering.
        prompt (None | str | Unset): The question for this round.
        starts_with (None | Unset | UUID): Who holds the piece first; default: the first keeper, else the lowest seat.
            In an open round the default is no one: the piece waits for the first hand.
        time_limit (None | TimeLimit | Unset): Left out or null: the circle's.
        turn_seconds (int | None | Unset): Left out: the circle's turn_seconds. null: no limit.
    """

    absence: bool | Unset = False
    kind: RoundKind | Unset = UNSET
    offer_seconds: int | None | Unset = UNSET
    pass_back: bool | Unset = False
    pause_seconds: int | None | Unset = UNSET
    phase: Phase | Unset = UNSET
    prompt: None | str | Unset = UNSET
    starts_with: None | Unset | UUID = UNSET
    time_limit: None | TimeLimit | Unset = UNSET
    turn_seconds: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        absence = self.absence

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        offer_seconds: int | None | Unset
        if isinstance(self.offer_seconds, Unset):
            offer_seconds = UNSET
        else:
            offer_seconds = self.offer_seconds

        pass_back = self.pass_back

        pause_seconds: int | None | Unset
        if isinstance(self.pause_seconds, Unset):
            pause_seconds = UNSET
        else:
            pause_seconds = self.pause_seconds

        phase: str | Unset = UNSET
        if not isinstance(self.phase, Unset):
            phase = self.phase.value

        prompt: None | str | Unset
        if isinstance(self.prompt, Unset):
            prompt = UNSET
        else:
            prompt = self.prompt

        starts_with: None | str | Unset
        if isinstance(self.starts_with, Unset):
            starts_with = UNSET
        elif isinstance(self.starts_with, UUID):
            starts_with = str(self.starts_with)
        else:
            starts_with = self.starts_with

        time_limit: None | str | Unset
        if isinstance(self.time_limit, Unset):
            time_limit = UNSET
        elif isinstance(self.time_limit, TimeLimit):
            time_limit = self.time_limit.value
        else:
            time_limit = self.time_limit

        turn_seconds: int | None | Unset
        if isinstance(self.turn_seconds, Unset):
            turn_seconds = UNSET
        else:
            turn_seconds = self.turn_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if absence is not UNSET:
            field_dict["absence"] = absence
        if kind is not UNSET:
            field_dict["kind"] = kind
        if offer_seconds is not UNSET:
            field_dict["offer_seconds"] = offer_seconds
        if pass_back is not UNSET:
            field_dict["pass_back"] = pass_back
        if pause_seconds is not UNSET:
            field_dict["pause_seconds"] = pause_seconds
        if phase is not UNSET:
            field_dict["phase"] = phase
        if prompt is not UNSET:
            field_dict["prompt"] = prompt
        if starts_with is not UNSET:
            field_dict["starts_with"] = starts_with
        if time_limit is not UNSET:
            field_dict["time_limit"] = time_limit
        if turn_seconds is not UNSET:
            field_dict["turn_seconds"] = turn_seconds

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        absence = d.pop("absence", UNSET)

        _kind = d.pop("kind", UNSET)
        kind: RoundKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = RoundKind(_kind)

        def _parse_offer_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        offer_seconds = _parse_offer_seconds(d.pop("offer_seconds", UNSET))

        pass_back = d.pop("pass_back", UNSET)

        def _parse_pause_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pause_seconds = _parse_pause_seconds(d.pop("pause_seconds", UNSET))

        _phase = d.pop("phase", UNSET)
        phase: Phase | Unset
        if isinstance(_phase, Unset):
            phase = UNSET
        else:
            phase = Phase(_phase)

        def _parse_prompt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prompt = _parse_prompt(d.pop("prompt", UNSET))

        def _parse_starts_with(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_with_type_0 = UUID(data)

                return starts_with_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        starts_with = _parse_starts_with(d.pop("starts_with", UNSET))

        def _parse_time_limit(data: object) -> None | TimeLimit | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                time_limit_type_0 = TimeLimit(data)

                return time_limit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TimeLimit | Unset, data)

        time_limit = _parse_time_limit(d.pop("time_limit", UNSET))

        def _parse_turn_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        turn_seconds = _parse_turn_seconds(d.pop("turn_seconds", UNSET))

        planned_round_create = cls(
            absence=absence,
            kind=kind,
            offer_seconds=offer_seconds,
            pass_back=pass_back,
            pause_seconds=pause_seconds,
            phase=phase,
            prompt=prompt,
            starts_with=starts_with,
            time_limit=time_limit,
            turn_seconds=turn_seconds,
        )

        return planned_round_create
