from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_replay import WebhookReplay
from ...types import UNSET, Response, Unset


def _get_kwargs(
    webhook_id: UUID,
    *,
    circle_id: UUID,
    after: int | Unset = 0,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    json_circle_id = str(circle_id)
    params["circle_id"] = json_circle_id

    params["after"] = after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/app/webhooks/{webhook_id}/replay".format(
            webhook_id=quote(str(webhook_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookReplay | None:
    if response.status_code == 200:
        response_200 = WebhookReplay.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | WebhookReplay]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    webhook_id: UUID,
    *,
    client: AuthenticatedClient,
    circle_id: UUID,
    after: int | Unset = 0,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WebhookReplay]:
    """Replay Webhook

     Send one circle's events after `after` to the endpoint again, in order (each with the `webhook-id`
    it
    had). Delivery of that circle goes on from there.

    Args:
        webhook_id (UUID):
        circle_id (UUID): The circle whose events to send again.
        after (int | Unset): Send its events after this seq, in order. Default: 0.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookReplay]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        circle_id=circle_id,
        after=after,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    webhook_id: UUID,
    *,
    client: AuthenticatedClient,
    circle_id: UUID,
    after: int | Unset = 0,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WebhookReplay | None:
    """Replay Webhook

     Send one circle's events after `after` to the endpoint again, in order (each with the `webhook-id`
    it
    had). Delivery of that circle goes on from there.

    Args:
        webhook_id (UUID):
        circle_id (UUID): The circle whose events to send again.
        after (int | Unset): Send its events after this seq, in order. Default: 0.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookReplay
    """

    return sync_detailed(
        webhook_id=webhook_id,
        client=client,
        circle_id=circle_id,
        after=after,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    webhook_id: UUID,
    *,
    client: AuthenticatedClient,
    circle_id: UUID,
    after: int | Unset = 0,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | WebhookReplay]:
    """Replay Webhook

     Send one circle's events after `after` to the endpoint again, in order (each with the `webhook-id`
    it
    had). Delivery of that circle goes on from there.

    Args:
        webhook_id (UUID):
        circle_id (UUID): The circle whose events to send again.
        after (int | Unset): Send its events after this seq, in order. Default: 0.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookReplay]
    """

    kwargs = _get_kwargs(
        webhook_id=webhook_id,
        circle_id=circle_id,
        after=after,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    webhook_id: UUID,
    *,
    client: AuthenticatedClient,
    circle_id: UUID,
    after: int | Unset = 0,
    idempotency_key: str | Unset = UNSET,
) -> Problem | WebhookReplay | None:
    """Replay Webhook

     Send one circle's events after `after` to the endpoint again, in order (each with the `webhook-id`
    it
    had). Delivery of that circle goes on from there.

    Args:
        webhook_id (UUID):
        circle_id (UUID): The circle whose events to send again.
        after (int | Unset): Send its events after this seq, in order. Default: 0.
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookReplay
    """

    return (
        await asyncio_detailed(
            webhook_id=webhook_id,
            client=client,
            circle_id=circle_id,
            after=after,
            idempotency_key=idempotency_key,
        )
    ).parsed
