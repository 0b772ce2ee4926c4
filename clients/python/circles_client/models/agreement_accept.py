from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AgreementAccept")


@_attrs_define
class AgreementAccept:
    """
    Attributes:
        agreements_version (int): The circle's agreements_version the participant read and accepts; a stale one is 409.
    """

    agreements_version: int

    def to_dict(self) -> dict[str, Any]:
        agreements_version = self.agreements_version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agreements_version": agreements_version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        agreements_version = d.pop("agreements_version")

        agreement_accept = cls(
            agreements_version=agreements_version,
        )

        return agreement_accept
