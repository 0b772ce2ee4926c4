"""All configuration, read from the environment with the prefix CIRCLES_."""

from __future__ import annotations

from functools import cached_property

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CIRCLES_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./circles.db",
        description="SQLAlchemy URL. Default: a SQLite file in the working directory.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"

    allowed_origins: str = Field(
        default="",
        description="Comma-separated Origins allowed to open the live socket; empty allows any.",
    )
    auth_timeout_seconds: float = Field(default=10.0, gt=0, description="Time a socket has to send auth.")
    ping_interval_seconds: float = Field(default=20.0, gt=0)
    ping_timeout_seconds: float = Field(default=20.0, gt=0)
    client_queue_size: int = Field(
        default=256, ge=8, description="Frames a socket may fall behind before it is dropped."
    )
    max_message_bytes: int = Field(default=64 * 1024, ge=1024, description="Largest WebSocket message.")
    gap_fill_seconds: float = Field(
        default=0.25, gt=0, description="How long the hub waits for a missing seq before reading the log."
    )
    deadline_sweep_seconds: float = Field(
        default=5.0, gt=0, description="How often the database is swept for due deadlines as a backstop."
    )

    @cached_property
    def origins(self) -> frozenset[str]:
        return frozenset(o.strip().rstrip("/") for o in self.allowed_origins.split(",") if o.strip())
