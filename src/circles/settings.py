"""All configuration, read from the environment with the prefix CIRCLES_."""

from __future__ import annotations

import ipaddress
import uuid
from functools import cached_property
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from circles.cross_origin import frame_ancestors, parse_frame_ancestors, parse_origins


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CIRCLES_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./circles.db",
        description="SQLAlchemy URL. Default: a SQLite file in the working directory.",
    )
    sqlite_synchronous: Literal["full", "normal"] = Field(
        default="full",
        description="SQLite only: `full` syncs every commit to disk; `normal` may lose the last commits on power loss.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    forwarded_allow_ips: str = Field(
        default="127.0.0.1,::1",
        description="Reverse proxies (comma-separated addresses or networks; `*`: any; empty: none) whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed: the client's address is then the one they forward.",
    )
    log_level: str = "info"

    allowed_origins: str = Field(
        default="",
        description="Comma-separated Origins allowed to open the live socket; empty allows any.",
    )
    cors_origins: str = Field(
        default="",
        description="Comma-separated origins (https://app.example) whose pages may call the REST API from a "
        "browser (CORS); `*`: any; empty: none, and no CORS headers at all.",
    )
    frame_ancestors: str = Field(
        default="'none'",
        description="The circle page's CSP frame-ancestors: the sources (space-separated, as in CSP) that may "
        "frame it; `'none'`: nothing may.",
    )
    zoom_embed: bool = Field(
        default=False, description="1: Zoom's clients may frame the circle page (Zoom's domains join frame-ancestors)."
    )
    auth_timeout_seconds: float = Field(default=10.0, gt=0, description="Time a socket has to send auth.")
    ping_interval_seconds: float = Field(default=20.0, gt=0)
    ping_timeout_seconds: float = Field(default=20.0, gt=0)
    client_queue_size: int = Field(
        default=256, ge=8, description="Frames a socket may fall behind before it is dropped."
    )
    client_max_wait_seconds: float = Field(
        default=1.5,
        gt=0,
        description="How long a frame may wait to be written to a socket before it is dropped.",
    )
    max_message_bytes: int = Field(default=64 * 1024, ge=1024, description="Largest WebSocket message.")
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, description="Largest request body.")
    rate_limit_per_minute: int = Field(
        default=3000, ge=1, description="Requests a credential (or, without one, an address) may make a minute."
    )
    rate_limit_burst: int = Field(default=300, ge=1, description="Requests it may make at once.")
    in_flight_per_credential: int = Field(
        default=16, ge=1, description="Requests one credential may have in flight on one instance; then 429."
    )
    in_flight_per_app: int = Field(
        default=20, ge=1, description="Requests one app (its keys and its participants) may have in flight; then 429."
    )
    socket_messages_per_second: float = Field(
        default=10.0, gt=0, description="Messages a socket may send a second (burst: twice that); then 1008."
    )
    max_sockets_per_participant: int = Field(
        default=5, ge=1, description="Live sockets one participant may hold on one instance; more close 1008."
    )
    gap_fill_seconds: float = Field(
        default=0.25, gt=0, description="How long the hub waits for a missing seq before reading the log."
    )
    deadline_sweep_seconds: float = Field(
        default=5.0, gt=0, description="How often the database is swept for due deadlines as a backstop."
    )
    away_grace_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Absence rounds: how long the piece waits for a holder whose last connection dropped.",
    )
    audience_interval_seconds: float = Field(
        default=1.0,
        gt=0,
        description="A circle's sockets get at most one `audience` frame (its witnesses counted) this often.",
    )

    broker_url: str = Field(
        default="",
        description="redis://… to fan events out across instances through Redis Streams; empty: in-process.",
    )
    redis_prefix: str = Field(default="circles:", description="Prefix of every key the service keeps in Redis.")
    stream_max_length: int = Field(
        default=100_000, ge=1000, description="The event stream is trimmed to about this many entries."
    )
    instance_id: str = Field(
        default_factory=lambda: uuid.uuid4().hex[:12], description="This instance's name in presence records."
    )
    presence_ttl_seconds: float = Field(
        default=30.0, gt=0, description="A dead instance's participants go offline within about this long."
    )
    log_poll_seconds: float = Field(
        default=2.0, gt=0, description="How often circles with live sockets are checked against the log."
    )
    credential_check_seconds: float = Field(
        default=10.0, gt=0, description="How often live sockets' credentials are checked against the database."
    )
    metrics_token: str = Field(
        default="",
        description="The bearer token a scraper sends for GET /metrics; empty: /metrics answers 404.",
    )
    drain_seconds: float = Field(
        default=0.0, ge=0, description="On SIGTERM, how long /readyz says 503 before the sockets are closed."
    )

    webhooks_deliver: bool = Field(
        default=True,
        description="Whether this instance delivers webhooks (any number may: each endpoint has one at a time).",
    )
    webhooks_allow_private: bool = Field(
        default=False,
        description="Development and tests only: webhook URLs may be plain http and reach loopback or private "
        "addresses.",
    )
    webhooks_timeout_seconds: float = Field(
        default=10.0, gt=0, description="A webhook try with no answer by then failed."
    )
    webhooks_retry_base_seconds: float = Field(
        default=5.0, gt=0, description="The wait after a webhook's first failure; it doubles with each failure after."
    )
    webhooks_retry_max_seconds: float = Field(default=3600.0, gt=0, description="The longest wait between two tries.")
    webhooks_give_up_seconds: float = Field(
        default=86400.0, gt=0, description="An endpoint that has failed for this long is disabled."
    )
    webhooks_lease_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How long an instance holds an endpoint's queue between renewals: another takes over a dead "
        "instance's within this. More than the timeout.",
    )
    webhooks_poll_seconds: float = Field(
        default=2.0, gt=0, description="How often the database is checked for webhooks due."
    )
    webhooks_concurrency: int = Field(default=16, ge=1, description="Endpoints one instance delivers to at once.")
    webhooks_secret_overlap_seconds: float = Field(
        default=86400.0, ge=0, description="After a secret is rolled, the previous one signs too for this long."
    )

    retention_days: int = Field(
        default=90, ge=1, description="`circles purge` erases circles closed longer ago than this."
    )
    audit_retention_days: int = Field(default=365, ge=1, description="`circles purge` drops older audit entries.")
    webhooks_attempt_retention_days: int = Field(
        default=30, ge=1, description="`circles purge` drops webhook attempts older than this."
    )
    idempotency_retention_hours: int = Field(
        default=24, ge=1, description="How long an Idempotency-Key's answer is kept for replay."
    )

    secret_key: SecretStr | None = Field(
        default=None,
        description="The key secrets kept to be used again (an app's Zoom client secret) are encrypted with; "
        "unset: none can be stored. Changing it makes those stored before unreadable (docs/security.md).",
    )
    zoom_context_max_age_seconds: int = Field(
        default=300, ge=10, le=3600, description="A Zoom app context older than this is refused."
    )

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        items = [item.strip() for item in value.split(",") if item.strip()]
        if items == ["*"]:
            return "*"
        for item in items:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network (nor `*` alone)") from None
        return ",".join(items)

    @field_validator("cors_origins")
    @classmethod
    def _cors_origins(cls, value: str) -> str:
        return parse_origins(value)

    @field_validator("frame_ancestors")
    @classmethod
    def _frame_ancestors(cls, value: str) -> str:
        return parse_frame_ancestors(value)

    @cached_property
    def page_frame_ancestors(self) -> str:
        return frame_ancestors(self.frame_ancestors, self.zoom_embed)

    @model_validator(mode="after")
    def _lease_outlasts_a_try(self) -> Settings:
        if self.webhooks_lease_seconds <= self.webhooks_timeout_seconds:
            raise ValueError("CIRCLES_WEBHOOKS_LEASE_SECONDS must be more than CIRCLES_WEBHOOKS_TIMEOUT_SECONDS")
        return self

    @cached_property
    def origins(self) -> frozenset[str]:
        return frozenset(o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip())
