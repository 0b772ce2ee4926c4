from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SupportDatePerson")


@_attrs_define
class SupportDatePerson:
    """
    Attributes:
        display_name (str):
        external_id (None | str): Null once erased.
        participant_id (UUID): Their id in the date's circle (turns and events name it).
        present (bool): False once they left the date (or their part was erased).
        speaks (bool): Whether they hold the piece at a meeting (the listener does not).
    """

    display_name: str
    external_id: None | str
    participant_id: UUID
    present: bool
    speaks: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        display_name = self.display_name

        external_id: None | str
        external_id = self.external_id

        participant_id = str(self.participant_id)

        present = self.present

        speaks = self.speaks

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "display_name": display_name,
                "external_id": external_id,
                "participant_id": participant_id,
                "present": present,
                "speaks": speaks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        display_name = d.pop("display_name")

        def _parse_external_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_id = _parse_external_id(d.pop("external_id"))

        participant_id = UUID(d.pop("participant_id"))

        present = d.pop("present")

        speaks = d.pop("speaks")

        support_date_person = cls(
            display_name=display_name,
            external_id=external_id,
            participant_id=participant_id,
            present=present,
            speaks=speaks,
        )

        support_date_person.additional_properties = d
        return support_date_person

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
