from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audience import Audience
    from ..models.breakout_public import BreakoutPublic
    from ..models.circle_public import CirclePublic
    from ..models.gathering_public import GatheringPublic
    from ..models.participant_public import ParticipantPublic
    from ..models.round_public import RoundPublic
    from ..models.turn_public import TurnPublic


T = TypeVar("T", bound="CircleState")


@_attrs_define
class CircleState:
    """
    Attributes:
        audience (Audience): The circle's witnesses, counted: they listen and never hold the piece, so they are not
            listed one by
            one (GET /v1/circles/{circle_id}/participants lists them).
        circle (CirclePublic):
        hands (list[UUID]): Raised hands in queue order (open rounds).
        participants (list[ParticipantPublic]): Everyone seated now who can hold the piece (keepers and members), in
            seat order.
        round_ (None | RoundPublic): The round in progress (active or paused), or null.
        seq (int): The seq of the newest event this state includes.
        server_time (datetime.datetime): The server's clock when the state was read.
        turn (None | TurnPublic): The open turn, or null.
        breakout (BreakoutPublic | None | Unset): The breakout under way (its groups, and whose turn it is in each), or
            null.
        gathering (GatheringPublic | None | Unset): The circle's planned gathering: its rounds, which have started,
            which is next.
    """

    audience: Audience
    circle: CirclePublic
    hands: list[UUID]
    participants: list[ParticipantPublic]
    round_: None | RoundPublic
    seq: int
    server_time: datetime.datetime
    turn: None | TurnPublic
    breakout: BreakoutPublic | None | Unset = UNSET
    gathering: GatheringPublic | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.breakout_public import BreakoutPublic
        from ..models.gathering_public import GatheringPublic
        from ..models.round_public import RoundPublic
        from ..models.turn_public import TurnPublic

        audience = self.audience.to_dict()

        circle = self.circle.to_dict()

        hands = []
        for hands_item_data in self.hands:
            hands_item = str(hands_item_data)
            hands.append(hands_item)

        participants = []
        for participants_item_data in self.participants:
            participants_item = participants_item_data.to_dict()
            participants.append(participants_item)

        round_: dict[str, Any] | None
        if isinstance(self.round_, RoundPublic):
            round_ = self.round_.to_dict()
        else:
            round_ = self.round_

        seq = self.seq

        server_time = self.server_time.isoformat()

        turn: dict[str, Any] | None
        if isinstance(self.turn, TurnPublic):
            turn = self.turn.to_dict()
        else:
            turn = self.turn

        breakout: dict[str, Any] | None | Unset
        if isinstance(self.breakout, Unset):
            breakout = UNSET
        elif isinstance(self.breakout, BreakoutPublic):
            breakout = self.breakout.to_dict()
        else:
            breakout = self.breakout

        gathering: dict[str, Any] | None | Unset
        if isinstance(self.gathering, Unset):
            gathering = UNSET
        elif isinstance(self.gathering, GatheringPublic):
            gathering = self.gathering.to_dict()
        else:
            gathering = self.gathering

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "audience": audience,
                "circle": circle,
                "hands": hands,
                "participants": participants,
                "round": round_,
                "seq": seq,
                "server_time": server_time,
                "turn": turn,
            }
        )
        if breakout is not UNSET:
            field_dict["breakout"] = breakout
        if gathering is not UNSET:
            field_dict["gathering"] = gathering

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.audience import Audience
        from ..models.breakout_public import BreakoutPublic
        from ..models.circle_public import CirclePublic
        from ..models.gathering_public import GatheringPublic
        from ..models.participant_public import ParticipantPublic
        from ..models.round_public import RoundPublic
        from ..models.turn_public import TurnPublic

        d = dict(src_dict)
        audience = Audience.from_dict(d.pop("audience"))

        circle = CirclePublic.from_dict(d.pop("circle"))

        hands = []
        _hands = d.pop("hands")
        for hands_item_data in _hands:
            hands_item = UUID(hands_item_data)

            hands.append(hands_item)

        participants = []
        _participants = d.pop("participants")
        for participants_item_data in _participants:
            participants_item = ParticipantPublic.from_dict(participants_item_data)

            participants.append(participants_item)

        def _parse_round_(data: object) -> None | RoundPublic:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                round_type_0 = RoundPublic.from_dict(data)

                return round_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RoundPublic, data)

        round_ = _parse_round_(d.pop("round"))

        seq = d.pop("seq")

        server_time = datetime.datetime.fromisoformat(d.pop("server_time"))

        def _parse_turn(data: object) -> None | TurnPublic:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                turn_type_0 = TurnPublic.from_dict(data)

                return turn_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TurnPublic, data)

        turn = _parse_turn(d.pop("turn"))

        def _parse_breakout(data: object) -> BreakoutPublic | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                breakout_type_0 = BreakoutPublic.from_dict(data)

                return breakout_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BreakoutPublic | None | Unset, data)

        breakout = _parse_breakout(d.pop("breakout", UNSET))

        def _parse_gathering(data: object) -> GatheringPublic | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                gathering_type_0 = GatheringPublic.from_dict(data)

                return gathering_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GatheringPublic | None | Unset, data)

        gathering = _parse_gathering(d.pop("gathering", UNSET))

        circle_state = cls(
            audience=audience,
            circle=circle,
            hands=hands,
            participants=participants,
            round_=round_,
            seq=seq,
            server_time=server_time,
            turn=turn,
            breakout=breakout,
            gathering=gathering,
        )

        circle_state.additional_properties = d
        return circle_state

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
