from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="PersonCreate")


@_attrs_define
class PersonCreate:
    """
    Attributes:
        display_name (str): The name their partner sees.
        external_id (str): The app's own id for the person; the two are different people.
    """

    display_name: str
    external_id: str

    def to_dict(self) -> dict[str, Any]:
        display_name = self.display_name

        external_id = self.external_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "display_name": display_name,
                "external_id": external_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        display_name = d.pop("display_name")

        external_id = d.pop("external_id")

        person_create = cls(
            display_name=display_name,
            external_id=external_id,
        )

        return person_create
