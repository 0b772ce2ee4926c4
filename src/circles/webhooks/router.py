"""The app's webhook endpoints: `/v1/app/webhooks`. App keys only; another app's endpoint is a 404."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlmodel import Session

from circles.access.principal import Principal, require_app
from circles.dependencies import PrincipalDep, SessionDep, WriteDep, Written
from circles.errors import problem_responses
from circles.pagination import DEFAULT_LIMIT, MAX_SEQ, CursorQuery, LimitQuery
from circles.records.webhook import repository
from circles.settings import Settings
from circles.webhooks import address_guard, service
from circles.webhooks.views import (
    WebhookAttemptPage,
    WebhookEndpointCreate,
    WebhookEndpointCreated,
    WebhookEndpointPage,
    WebhookEndpointPublic,
    WebhookEndpointUpdate,
    WebhookReplay,
    WebhookSecretRolled,
    WebhookTestSent,
    attempt_page,
    endpoint_created,
    endpoint_page,
    endpoint_view,
)

# The writes are `async def` routes that hand their whole work to the write path (`WriteDep`), as everywhere;
# a URL is checked (resolved, on the event loop) before its write begins.
router = APIRouter(prefix="/v1/app/webhooks", tags=["webhooks"])


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _wake(request: Request) -> None:
    worker = getattr(request.app.state, "webhooks", None)
    if worker is not None:
        worker.wake()


@router.post("", status_code=201, responses=problem_responses(403), response_model=WebhookEndpointCreated)
async def create_webhook(
    body: WebhookEndpointCreate, request: Request, write: WriteDep
) -> Written[WebhookEndpointCreated]:
    """Register an endpoint. Its signing secret (`whsec_…`) is in this answer and never again. It is sent every
    event of the app's circles from now on (or those in `events`), signed as Standard Webhooks says."""
    await address_guard.check_url(body.url, _settings(request).webhooks_allow_private)
    return await write(_create, body)


def _create(session: Session, principal: Principal, body: WebhookEndpointCreate) -> WebhookEndpointCreated:
    endpoint, secret = service.create(session, require_app(principal).app_id, body)
    return endpoint_created(endpoint, secret)


@router.get("", responses=problem_responses(403))
def list_webhooks(
    session: SessionDep, principal: PrincipalDep, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> WebhookEndpointPage:
    """The app's endpoints, newest first (never their secrets)."""
    endpoints, next_cursor = repository.page(session, require_app(principal).app_id, cursor, limit)
    return endpoint_page(endpoints, next_cursor)


@router.get("/{webhook_id}", responses=problem_responses(403, 404))
def get_webhook(webhook_id: uuid.UUID, session: SessionDep, principal: PrincipalDep) -> WebhookEndpointPublic:
    """One endpoint: its URL, events, whether it is enabled, and whether it is failing."""
    return endpoint_view(service.get(session, require_app(principal).app_id, webhook_id))


@router.patch("/{webhook_id}", responses=problem_responses(403, 404), response_model=WebhookEndpointPublic)
async def update_webhook(
    webhook_id: uuid.UUID, body: WebhookEndpointUpdate, request: Request, write: WriteDep
) -> Written[WebhookEndpointPublic]:
    """Change an endpoint's URL, events, description, or enable it again (delivery goes on from where it stopped)."""
    if body.url is not None:
        await address_guard.check_url(body.url, _settings(request).webhooks_allow_private)
    answer = await write(_update, webhook_id, body)
    _wake(request)
    return answer


def _update(
    session: Session, principal: Principal, webhook_id: uuid.UUID, body: WebhookEndpointUpdate
) -> WebhookEndpointPublic:
    return endpoint_view(service.update(session, require_app(principal).app_id, webhook_id, body))


@router.delete(
    "/{webhook_id}",
    status_code=204,
    response_class=Response,
    response_model=None,
    responses=problem_responses(403, 404),
)
async def delete_webhook(webhook_id: uuid.UUID, write: WriteDep) -> Written[None]:
    """Delete an endpoint: nothing more is sent to it, and its attempts are forgotten."""
    return await write(_delete, webhook_id)


def _delete(session: Session, principal: Principal, webhook_id: uuid.UUID) -> None:
    service.delete(session, require_app(principal).app_id, webhook_id)


@router.post("/{webhook_id}/secret", responses=problem_responses(403, 404), response_model=WebhookSecretRolled)
async def roll_webhook_secret(webhook_id: uuid.UUID, request: Request, write: WriteDep) -> Written[WebhookSecretRolled]:
    """Roll the signing secret: the new one is in this answer and never again. Until `previous_valid_until`
    (CIRCLES_WEBHOOKS_SECRET_OVERLAP_SECONDS, a day by default) both sign every message."""
    overlap = timedelta(seconds=_settings(request).webhooks_secret_overlap_seconds)
    return await write(_roll, webhook_id, overlap)


def _roll(session: Session, principal: Principal, webhook_id: uuid.UUID, overlap: timedelta) -> WebhookSecretRolled:
    secret, until = service.roll_secret(session, require_app(principal).app_id, webhook_id, overlap)
    return WebhookSecretRolled(secret=secret, previous_valid_until=until)


@router.get("/{webhook_id}/attempts", responses=problem_responses(403, 404))
def list_webhook_attempts(
    webhook_id: uuid.UUID,
    session: SessionDep,
    principal: PrincipalDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> WebhookAttemptPage:
    """Every try at delivering to the endpoint, newest first: when, the status, how long, what went wrong.
    Never a body."""
    endpoint = service.get(session, require_app(principal).app_id, webhook_id)
    return attempt_page(*repository.attempts_page(session, endpoint.id, cursor, limit))


@router.post("/{webhook_id}/replay", responses=problem_responses(403, 404), response_model=WebhookReplay)
async def replay_webhook(
    webhook_id: uuid.UUID,
    request: Request,
    write: WriteDep,
    circle_id: Annotated[uuid.UUID, Query(description="The circle whose events to send again.")],
    after: Annotated[int, Query(ge=0, le=MAX_SEQ, description="Send its events after this seq, in order.")] = 0,
) -> Written[WebhookReplay]:
    """Send one circle's events after `after` to the endpoint again, in order (each with the `webhook-id` it
    had). Delivery of that circle goes on from there."""
    answer = await write(_replay, webhook_id, circle_id, after)
    _wake(request)
    return answer


def _replay(
    session: Session, principal: Principal, webhook_id: uuid.UUID, circle_id: uuid.UUID, after: int
) -> WebhookReplay:
    return service.replay(session, require_app(principal).app_id, webhook_id, circle_id, after)


@router.post(
    "/{webhook_id}/test", status_code=202, responses=problem_responses(403, 404), response_model=WebhookTestSent
)
async def test_webhook(webhook_id: uuid.UUID, request: Request, write: WriteDep) -> Written[WebhookTestSent]:
    """Send the endpoint a `webhook.test` message, signed as every other; its try shows in the attempts."""
    answer = await write(_test, webhook_id)
    _wake(request)
    return answer


def _test(session: Session, principal: Principal, webhook_id: uuid.UUID) -> WebhookTestSent:
    return WebhookTestSent(message_id=service.send_test(session, require_app(principal).app_id, webhook_id))
