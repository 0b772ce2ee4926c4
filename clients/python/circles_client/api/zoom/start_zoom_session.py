from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.participant_with_token import ParticipantWithToken
from ...models.problem import Problem
from ...models.zoom_session_start import ZoomSessionStart
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ZoomSessionStart,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/zoom/session",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ParticipantWithToken | Problem | None:
    if response.status_code == 200:
        response_200 = ParticipantWithToken.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[ParticipantWithToken | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ZoomSessionStart,
    idempotency_key: str | Unset = UNSET,
) -> Response[ParticipantWithToken | Problem]:
    """Start Zoom Session

     A Zoom user's seat, from their Zoom app context and no other credential: the context is decrypted
    with the app's Zoom client secret, must be at most `CIRCLES_ZOOM_CONTEXT_MAX_AGE_SECONDS` old, and
    must
    name a meeting one of the app's circles is bound to (`zoom_meeting_uuid`). The answer is the
    participant
    whose `external_id` is the Zoom user id (seated as a member if there is none) with a new token,
    shown
    once; a token of theirs from before stops working. A context refused for any reason is one answer:
    401 `zoom_context_refused`.

    Args:
        idempotency_key (str | Unset):
        body (ZoomSessionStart):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ParticipantWithToken | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ZoomSessionStart,
    idempotency_key: str | Unset = UNSET,
) -> ParticipantWithToken | Problem | None:
    """Start Zoom Session

     A Zoom user's seat, from their Zoom app context and no other credential: the context is decrypted
    with the app's Zoom client secret, must be at most `CIRCLES_ZOOM_CONTEXT_MAX_AGE_SECONDS` old, and
    must
    name a meeting one of the app's circles is bound to (`zoom_meeting_uuid`). The answer is the
    participant
    whose `external_id` is the Zoom user id (seated as a member if there is none) with a new token,
    shown
    once; a token of theirs from before stops working. A context refused for any reason is one answer:
    401 `zoom_context_refused`.

    Args:
        idempotency_key (str | Unset):
        body (ZoomSessionStart):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ParticipantWithToken | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ZoomSessionStart,
    idempotency_key: str | Unset = UNSET,
) -> Response[ParticipantWithToken | Problem]:
    """Start Zoom Session

     A Zoom user's seat, from their Zoom app context and no other credential: the context is decrypted
    with the app's Zoom client secret, must be at most `CIRCLES_ZOOM_CONTEXT_MAX_AGE_SECONDS` old, and
    must
    name a meeting one of the app's circles is bound to (`zoom_meeting_uuid`). The answer is the
    participant
    whose `external_id` is the Zoom user id (seated as a member if there is none) with a new token,
    shown
    once; a token of theirs from before stops working. A context refused for any reason is one answer:
    401 `zoom_context_refused`.

    Args:
        idempotency_key (str | Unset):
        body (ZoomSessionStart):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ParticipantWithToken | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ZoomSessionStart,
    idempotency_key: str | Unset = UNSET,
) -> ParticipantWithToken | Problem | None:
    """Start Zoom Session

     A Zoom user's seat, from their Zoom app context and no other credential: the context is decrypted
    with the app's Zoom client secret, must be at most `CIRCLES_ZOOM_CONTEXT_MAX_AGE_SECONDS` old, and
    must
    name a meeting one of the app's circles is bound to (`zoom_meeting_uuid`). The answer is the
    participant
    whose `external_id` is the Zoom user id (seated as a member if there is none) with a new token,
    shown
    once; a token of theirs from before stops working. A context refused for any reason is one answer:
    401 `zoom_context_refused`.

    Args:
        idempotency_key (str | Unset):
        body (ZoomSessionStart):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ParticipantWithToken | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
