"""What the webhook routes take and answer, and how an endpoint or an attempt is shown."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from circles.event.payloads import EventName
from circles.records.webhook.models import (
    ENDPOINT_DISABLED,
    SUPPORT_ACKNOWLEDGED,
    SUPPORT_REQUESTED,
    WebhookAttempt,
    WebhookEndpoint,
)

# Every name an endpoint may ask for: the log's events, the requests for support (sent only to endpoints that
# name them) and the notice that one of the app's endpoints was disabled.
SUBSCRIBABLE = (*(name.value for name in EventName), SUPPORT_REQUESTED, SUPPORT_ACKNOWLEDGED, ENDPOINT_DISABLED)


def _known(name: str) -> str:
    if name not in SUBSCRIBABLE:
        raise ValueError(f"{name!r} is not an event a webhook carries (see docs/webhooks.md)")
    return name


WebhookEventName = Annotated[str, AfterValidator(_known), Field(json_schema_extra={"enum": list(SUBSCRIBABLE)})]
Url = Annotated[str, Field(min_length=8, max_length=2048, pattern=r"^[!-~]+$")]  # printable ASCII: an IDN as punycode
Description = Annotated[str, Field(max_length=500, pattern=r"^[^\x00-\x1f\x7f]*$")]
EVENTS_DESCRIPTION = (
    "The event names to send; null (the default) for every event of the log and `endpoint.disabled`. "
    "`support.requested` and `support.acknowledged` are sent only to endpoints that name them."
)


class WebhookEndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Url = Field(description="Where to POST: https, on the public internet.")
    events: list[WebhookEventName] | None = Field(
        default=None, min_length=1, max_length=64, description=EVENTS_DESCRIPTION
    )
    enabled: bool = True
    description: Description = ""


class WebhookEndpointUpdate(BaseModel):
    """Left out: unchanged. `events` may be null (every event)."""

    model_config = ConfigDict(extra="forbid")

    url: Url | None = None
    events: list[WebhookEventName] | None = Field(
        default=None, min_length=1, max_length=64, description=EVENTS_DESCRIPTION
    )
    enabled: bool | None = Field(
        default=None, description="true again after a disabling: delivery resumes where it stopped."
    )
    description: Description | None = None


class WebhookEndpointPublic(BaseModel):
    id: uuid.UUID
    url: str
    events: list[str] | None = Field(description=EVENTS_DESCRIPTION)
    enabled: bool
    description: str
    created_at: datetime
    updated_at: datetime
    disabled_reason: str | None = Field(
        description="Why delivery stopped: `failing` (a day of failures), `gone` (the receiver answered 410) or "
        "`app` (the app disabled it); null while enabled."
    )
    failing_since: datetime | None = Field(description="The first failure of the current run; null when healthy.")
    next_attempt_at: datetime | None = Field(description="When the next try is due while failing.")


class WebhookEndpointCreated(WebhookEndpointPublic):
    secret: str = Field(description="The signing secret (`whsec_…`). Shown once: keep it.")


class WebhookEndpointPage(BaseModel):
    items: list[WebhookEndpointPublic] = Field(description="Newest first.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")


class WebhookSecretRolled(BaseModel):
    secret: str = Field(description="The new signing secret (`whsec_…`). Shown once: keep it.")
    previous_valid_until: datetime = Field(
        description="Until then every message is signed with both secrets (two signatures in `webhook-signature`)."
    )


class WebhookAttemptPublic(BaseModel):
    id: uuid.UUID
    at: datetime = Field(description="When the try began (server time).")
    message_id: str = Field(description="The message's `webhook-id`.")
    name: str
    circle_id: uuid.UUID | None
    seq: int | None
    status_code: int | None = Field(description="The receiver's answer; null when there was none.")
    duration_ms: int
    error: str | None = Field(description="What went wrong; null on success. Never the body.")


class WebhookAttemptPage(BaseModel):
    items: list[WebhookAttemptPublic] = Field(description="Newest first.")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")


class WebhookReplay(BaseModel):
    circle_id: uuid.UUID
    after: int = Field(description="Delivery of this circle to this endpoint goes on from the seq after this.")
    pending: int = Field(description="How many of the circle's events are after it now.")


class WebhookTestSent(BaseModel):
    message_id: str = Field(description="The `webhook-id` the `webhook.test` message will carry.")


def endpoint_view(endpoint: WebhookEndpoint) -> WebhookEndpointPublic:
    return WebhookEndpointPublic.model_validate(endpoint, from_attributes=True)


def endpoint_created(endpoint: WebhookEndpoint, secret: str) -> WebhookEndpointCreated:
    return WebhookEndpointCreated.model_validate({**endpoint_view(endpoint).model_dump(), "secret": secret})


def endpoint_page(endpoints: list[WebhookEndpoint], next_cursor: str | None) -> WebhookEndpointPage:
    return WebhookEndpointPage(items=[endpoint_view(e) for e in endpoints], next_cursor=next_cursor)


def attempt_page(attempts: list[WebhookAttempt], next_cursor: str | None) -> WebhookAttemptPage:
    items = [WebhookAttemptPublic.model_validate(a, from_attributes=True) for a in attempts]
    return WebhookAttemptPage(items=items, next_cursor=next_cursor)
