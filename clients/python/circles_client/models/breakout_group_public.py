from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.breakout_turn_public import BreakoutTurnPublic


T = TypeVar("T", bound="BreakoutGroupPublic")


@_attrs_define
class BreakoutGroupPublic:
    """
    Attributes:
        done_at (datetime.datetime | None): When everyone in the group had spoken (or the breakout ended).
        external_ref (None | str): The app's own name for the group (e.g. a Zoom breakout room).
        holder (None | UUID): Whose turn it is in the group now; null when the group is done.
        id (UUID):
        index (int): 0, 1, ...: the group's number in the breakout.
        members (list[UUID]): Who is in the group, in the order they speak (someone who joined it comes last). A
            person's group is the one not done that lists them without a `left` or `moved` turn.
        turns (list[BreakoutTurnPublic]):
    """

    done_at: datetime.datetime | None
    external_ref: None | str
    holder: None | UUID
    id: UUID
    index: int
    members: list[UUID]
    turns: list[BreakoutTurnPublic]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        done_at: None | str
        if isinstance(self.done_at, datetime.datetime):
            done_at = self.done_at.isoformat()
        else:
            done_at = self.done_at

        external_ref: None | str
        external_ref = self.external_ref

        holder: None | str
        if isinstance(self.holder, UUID):
            holder = str(self.holder)
        else:
            holder = self.holder

        id = str(self.id)

        index = self.index

        members = []
        for members_item_data in self.members:
            members_item = str(members_item_data)
            members.append(members_item)

        turns = []
        for turns_item_data in self.turns:
            turns_item = turns_item_data.to_dict()
            turns.append(turns_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "done_at": done_at,
                "external_ref": external_ref,
                "holder": holder,
                "id": id,
                "index": index,
                "members": members,
                "turns": turns,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.breakout_turn_public import BreakoutTurnPublic

        d = dict(src_dict)

        def _parse_done_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                done_at_type_0 = datetime.datetime.fromisoformat(data)

                return done_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        done_at = _parse_done_at(d.pop("done_at"))

        def _parse_external_ref(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_ref = _parse_external_ref(d.pop("external_ref"))

        def _parse_holder(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                holder_type_0 = UUID(data)

                return holder_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        holder = _parse_holder(d.pop("holder"))

        id = UUID(d.pop("id"))

        index = d.pop("index")

        members = []
        _members = d.pop("members")
        for members_item_data in _members:
            members_item = UUID(members_item_data)

            members.append(members_item)

        turns = []
        _turns = d.pop("turns")
        for turns_item_data in _turns:
            turns_item = BreakoutTurnPublic.from_dict(turns_item_data)

            turns.append(turns_item)

        breakout_group_public = cls(
            done_at=done_at,
            external_ref=external_ref,
            holder=holder,
            id=id,
            index=index,
            members=members,
            turns=turns,
        )

        breakout_group_public.additional_properties = d
        return breakout_group_public

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
