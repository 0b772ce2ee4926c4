from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.broker_health_kind import BrokerHealthKind
from ..models.broker_health_status import BrokerHealthStatus

T = TypeVar("T", bound="BrokerHealth")


@_attrs_define
class BrokerHealth:
    """
    Attributes:
        kind (BrokerHealthKind): `memory`: no broker configured, the in-process hub (one instance); `redis`:
            CIRCLES_BROKER_URL.
        status (BrokerHealthStatus): `degraded`: Redis does not answer. Commands still work; events reach other
            instances' sockets from the database log, up to CIRCLES_LOG_POLL_SECONDS late; presence counts this instance's
            sockets only. Not a reason to be unready.
    """

    kind: BrokerHealthKind
    status: BrokerHealthStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kind = BrokerHealthKind(d.pop("kind"))

        status = BrokerHealthStatus(d.pop("status"))

        broker_health = cls(
            kind=kind,
            status=status,
        )

        broker_health.additional_properties = d
        return broker_health

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
