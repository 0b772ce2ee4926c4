from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from pydantic import ConfigDict, StringConstraints
from sqlmodel import Field, SQLModel

from circles.schema import UTCDateTime, utc_now
from circles.text import Line

# What Zoom hands out: visible ASCII, no spaces (a client id is about 20 characters, a secret about 32).
ZoomClientId = Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]+$", min_length=1, max_length=100)]
ZoomClientSecret = Annotated[str, StringConstraints(pattern=r"^[\x21-\x7e]+$", min_length=8, max_length=200)]

# base64url (or base64): nothing else can be a Zoom app context.
ZoomAppContext = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_+/=-]+$", min_length=1, max_length=8192)]


class ZoomApp(SQLModel, table=True):
    """An app's Zoom App: its client id and its client secret, sealed (circles.zoom.sealing); one per app."""

    __tablename__ = "zoom_app"

    app_id: uuid.UUID = Field(
        sa_column=sa.Column(sa.Uuid, sa.ForeignKey("app.id", ondelete="CASCADE"), primary_key=True)
    )
    client_id: str = Field(sa_type=sa.String(100), unique=True)
    sealed_secret: str = Field(sa_type=sa.Text)
    set_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class ZoomAppSet(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    client_id: ZoomClientId = Field(description="The Zoom App's Client ID (Zoom Marketplace, App Credentials).")
    client_secret: ZoomClientSecret = Field(
        description="The Zoom App's Client Secret. Kept encrypted, only to decrypt app contexts; never shown again."
    )


class ZoomAppPublic(SQLModel):
    configured: bool = Field(description="Whether a Zoom client secret is stored.")
    client_id: str | None = Field(description="The Zoom App's Client ID, if one is stored.")
    set_at: datetime | None = Field(description="When the secret was stored.")


class ZoomSessionStart(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    context: ZoomAppContext = Field(
        description="The app context as `zoomSdk.getAppContext()` gives it (or the `X-Zoom-App-Context` header).",
    )
    client_id: ZoomClientId | None = Field(
        default=None,
        description="The Zoom App's Client ID: when given, only that app's secret is tried (faster; optional).",
    )
    display_name: Line | None = Field(
        default=None,
        min_length=1,
        max_length=80,
        description="The name to seat a new person with (e.g. `screenName` from `zoomSdk.getUserContext()`); "
        "default `Zoom participant`. Someone already seated keeps their name.",
    )
