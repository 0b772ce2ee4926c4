from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WebhookAttemptPublic")


@_attrs_define
class WebhookAttemptPublic:
    """
    Attributes:
        at (datetime.datetime): When the try began (server time).
        circle_id (None | UUID):
        duration_ms (int):
        error (None | str): What went wrong; null on success. Never the body.
        id (UUID):
        message_id (str): The message's `webhook-id`.
        name (str):
        seq (int | None):
        status_code (int | None): The receiver's answer; null when there was none.
    """

    at: datetime.datetime
    circle_id: None | UUID
    duration_ms: int
    error: None | str
    id: UUID
    message_id: str
    name: str
    seq: int | None
    status_code: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        circle_id: None | str
        if isinstance(self.circle_id, UUID):
            circle_id = str(self.circle_id)
        else:
            circle_id = self.circle_id

        duration_ms = self.duration_ms

        error: None | str
        error = self.error

        id = str(self.id)

        message_id = self.message_id

        name = self.name

        seq: int | None
        seq = self.seq

        status_code: int | None
        status_code = self.status_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "circle_id": circle_id,
                "duration_ms": duration_ms,
                "error": error,
                "id": id,
                "message_id": message_id,
                "name": name,
                "seq": seq,
                "status_code": status_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_circle_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                circle_id_type_0 = UUID(data)

                return circle_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        circle_id = _parse_circle_id(d.pop("circle_id"))

        duration_ms = d.pop("duration_ms")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        id = UUID(d.pop("id"))

        message_id = d.pop("message_id")

        name = d.pop("name")

        def _parse_seq(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        seq = _parse_seq(d.pop("seq"))

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))

        webhook_attempt_public = cls(
            at=at,
            circle_id=circle_id,
            duration_ms=duration_ms,
            error=error,
            id=id,
            message_id=message_id,
            name=name,
            seq=seq,
            status_code=status_code,
        )

        webhook_attempt_public.additional_properties = d
        return webhook_attempt_public

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
