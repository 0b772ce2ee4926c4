from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_endpoint_create_events_type_0_item import (
    WebhookEndpointCreateEventsType0Item,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEndpointCreate")


@_attrs_define
class WebhookEndpointCreate:
    """
    Attributes:
        url (str): Where to POST: https, on the public internet.
        description (str | Unset):  Default: ''.
        enabled (bool | Unset):  Default: True.
        events (list[WebhookEndpointCreateEventsType0Item] | None | Unset): The event names to send; null (the default)
            for every event of the log and `endpoint.disabled`. `support.requested` and `support.acknowledged` are sent only
            to endpoints that name them.
    """

    url: str
    description: str | Unset = ""
    enabled: bool | Unset = True
    events: list[WebhookEndpointCreateEventsType0Item] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        description = self.description

        enabled = self.enabled

        events: list[str] | None | Unset
        if isinstance(self.events, Unset):
            events = UNSET
        elif isinstance(self.events, list):
            events = []
            for events_type_0_item_data in self.events:
                events_type_0_item = events_type_0_item_data.value
                events.append(events_type_0_item)

        else:
            events = self.events

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if events is not UNSET:
            field_dict["events"] = events

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        url = d.pop("url")

        description = d.pop("description", UNSET)

        enabled = d.pop("enabled", UNSET)

        def _parse_events(
            data: object,
        ) -> list[WebhookEndpointCreateEventsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                events_type_0 = []
                _events_type_0 = data
                for events_type_0_item_data in _events_type_0:
                    events_type_0_item = WebhookEndpointCreateEventsType0Item(
                        events_type_0_item_data
                    )

                    events_type_0.append(events_type_0_item)

                return events_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[WebhookEndpointCreateEventsType0Item] | None | Unset, data)

        events = _parse_events(d.pop("events", UNSET))

        webhook_endpoint_create = cls(
            url=url,
            description=description,
            enabled=enabled,
            events=events,
        )

        return webhook_endpoint_create
