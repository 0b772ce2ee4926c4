"""An app's webhook endpoints: register, change, roll secrets, replay, test, and disable one that fails.

Services never commit: each runs in its write's unit of work, which records the audit entry (the route's
name) with the change. Delivery itself is `circles.webhooks.worker`.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from circles import unit_of_work
from circles.audit.repository import note_created, record_values
from circles.errors import CircleNotFound
from circles.http_headers import current_request_id
from circles.records.circle import repository as circle_repository
from circles.records.webhook import repository
from circles.records.webhook.models import ENDPOINT_DISABLED, WEBHOOK_TEST, WebhookEndpoint
from circles.webhooks.delivery import new_secret
from circles.webhooks.errors import WebhookNotFound
from circles.webhooks.views import WebhookEndpointCreate, WebhookEndpointUpdate, WebhookReplay


def create(session: Session, app_id: uuid.UUID, body: WebhookEndpointCreate) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (returned once). It is sent what happens from now on."""
    now = unit_of_work.of(session).now
    endpoint = WebhookEndpoint(
        app_id=app_id,
        url=body.url,
        events=body.events,
        enabled=body.enabled,
        description=body.description,
        created_at=now,
        updated_at=now,
        disabled_reason=None if body.enabled else "app",
    )
    secret = new_secret()
    repository.add(session, endpoint, secret)
    note_created(session, endpoint.id)
    return endpoint, secret


def get(session: Session, app_id: uuid.UUID, endpoint_id: uuid.UUID, *, lock: bool = False) -> WebhookEndpoint:
    endpoint = repository.get(session, app_id, endpoint_id, lock=lock)
    if endpoint is None:
        raise WebhookNotFound()
    return endpoint


def update(session: Session, app_id: uuid.UUID, endpoint_id: uuid.UUID, body: WebhookEndpointUpdate) -> WebhookEndpoint:
    endpoint = get(session, app_id, endpoint_id, lock=True)
    changes = body.model_fields_set
    if "url" in changes and body.url is not None:
        endpoint.url = body.url
    if "events" in changes:
        endpoint.events = body.events
    if "description" in changes and body.description is not None:
        endpoint.description = body.description
    if "enabled" in changes and body.enabled is not None and body.enabled != endpoint.enabled:
        endpoint.enabled = body.enabled
        endpoint.disabled_reason = None if body.enabled else "app"
        endpoint.failing_since, endpoint.failures, endpoint.next_attempt_at = None, 0, None
    endpoint.updated_at = unit_of_work.of(session).now
    session.add(endpoint)
    return endpoint


def delete(session: Session, app_id: uuid.UUID, endpoint_id: uuid.UUID) -> None:
    session.delete(get(session, app_id, endpoint_id, lock=True))


def roll_secret(
    session: Session, app_id: uuid.UUID, endpoint_id: uuid.UUID, overlap: timedelta
) -> tuple[str, datetime]:
    """A new secret signs from now on; the current one goes on signing for `overlap`, so receivers can switch
    without losing a message. Returns the new secret (shown once) and when the old one stops."""
    endpoint = get(session, app_id, endpoint_id, lock=True)
    now = unit_of_work.of(session).now
    secret = new_secret()
    repository.roll_secret(session, endpoint.id, secret, now, now + overlap)
    return secret, now + overlap


def replay(
    session: Session, app_id: uuid.UUID, endpoint_id: uuid.UUID, circle_id: uuid.UUID, after: int
) -> WebhookReplay:
    """Deliver the circle's events after seq `after` again (or skip up to it), in order, from now on."""
    endpoint = get(session, app_id, endpoint_id, lock=True)
    circle = circle_repository.get(session, circle_id)
    if circle is None or circle.app_id != app_id:
        raise CircleNotFound()
    after = min(after, circle.last_seq)
    repository.set_cursor(session, endpoint.id, circle.id, after)
    return WebhookReplay(circle_id=circle.id, after=after, pending=circle.last_seq - after)


def send_test(session: Session, app_id: uuid.UUID, endpoint_id: uuid.UUID) -> str:
    """Queue a `webhook.test` message for the endpoint (sent even if it asks for no event by that name)."""
    endpoint = get(session, app_id, endpoint_id)
    message_id = f"msg_{uuid.uuid4().hex}"
    data: dict[str, Any] = {"endpoint_id": str(endpoint.id)}
    now = unit_of_work.of(session).now
    message = {"message_id": message_id, "circle_id": None, "name": WEBHOOK_TEST, "at": now, "data": data}
    repository.add_message(session, endpoint.id, message)
    return message_id


def disable(session: Session, endpoint: WebhookEndpoint, reason: str, now: datetime) -> None:
    """The delivery gives up on an endpoint (`failing`: a day of failures; `gone`: a 410). It is disabled, the
    app's other enabled endpoints that want it are sent `endpoint.disabled`, and the audit log says so."""
    endpoint.enabled, endpoint.disabled_reason, endpoint.next_attempt_at = False, reason, None
    endpoint.updated_at = now
    session.add(endpoint)
    data = {"endpoint_id": str(endpoint.id), "url": endpoint.url, "reason": reason}
    for other in repository.endpoints_of(session, endpoint.app_id):
        if other.id != endpoint.id and other.enabled and (other.events is None or ENDPOINT_DISABLED in other.events):
            message = {"message_id": f"msg_{uuid.uuid4().hex}", "circle_id": None, "name": ENDPOINT_DISABLED, "at": now}
            repository.add_message(session, other.id, {**message, "data": data})
    record_values(
        session,
        {
            "id": uuid.uuid4(),
            "app_id": endpoint.app_id,
            "at": now,
            "actor": "webhooks",
            "actor_id": None,
            "action": f"disable_webhook_{reason}",
            "circle_id": None,
            "object_id": endpoint.id,
            "request_id": current_request_id() or "",
        },
    )
