from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ZoomSessionStart")


@_attrs_define
class ZoomSessionStart:
    """
    Attributes:
        context (str): The app context as `zoomSdk.getAppContext()` gives it (or the `X-Zoom-App-Context` header).
        client_id (None | str | Unset): The Zoom App's Client ID: when given, only that app's secret is tried (faster;
            optional).
        display_name (None | str | Unset): The name to seat a new person with (e.g. `screenName` from
            `zoomSdk.getUserContext()`); default `Zoom participant`. Someone already seated keeps their name.
    """

    context: str
    client_id: None | str | Unset = UNSET
    display_name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        context = self.context

        client_id: None | str | Unset
        if isinstance(self.client_id, Unset):
            client_id = UNSET
        else:
            client_id = self.client_id

        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "context": context,
            }
        )
        if client_id is not UNSET:
            field_dict["client_id"] = client_id
        if display_name is not UNSET:
            field_dict["display_name"] = display_name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        context = d.pop("context")

        def _parse_client_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_id = _parse_client_id(d.pop("client_id", UNSET))

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("display_name", UNSET))

        zoom_session_start = cls(
            context=context,
            client_id=client_id,
            display_name=display_name,
        )

        return zoom_session_start
