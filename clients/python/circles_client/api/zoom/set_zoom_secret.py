from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.zoom_app_public import ZoomAppPublic
from ...models.zoom_app_set import ZoomAppSet
from ...types import Response


def _get_kwargs(
    *,
    body: ZoomAppSet,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/app/zoom",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ZoomAppPublic | None:
    if response.status_code == 200:
        response_200 = ZoomAppPublic.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[Problem | ZoomAppPublic]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ZoomAppSet,
) -> Response[Problem | ZoomAppPublic]:
    """Set Zoom Secret

     Store the app's Zoom App client id and client secret (again: replace them). The secret is kept
    encrypted with the service's `CIRCLES_SECRET_KEY`, only to decrypt Zoom app contexts, and is never
    shown
    again; without that setting nothing is stored (409 `secret_key_unset`).

    Args:
        body (ZoomAppSet):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ZoomAppPublic]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ZoomAppSet,
) -> Problem | ZoomAppPublic | None:
    """Set Zoom Secret

     Store the app's Zoom App client id and client secret (again: replace them). The secret is kept
    encrypted with the service's `CIRCLES_SECRET_KEY`, only to decrypt Zoom app contexts, and is never
    shown
    again; without that setting nothing is stored (409 `secret_key_unset`).

    Args:
        body (ZoomAppSet):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ZoomAppPublic
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ZoomAppSet,
) -> Response[Problem | ZoomAppPublic]:
    """Set Zoom Secret

     Store the app's Zoom App client id and client secret (again: replace them). The secret is kept
    encrypted with the service's `CIRCLES_SECRET_KEY`, only to decrypt Zoom app contexts, and is never
    shown
    again; without that setting nothing is stored (409 `secret_key_unset`).

    Args:
        body (ZoomAppSet):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ZoomAppPublic]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ZoomAppSet,
) -> Problem | ZoomAppPublic | None:
    """Set Zoom Secret

     Store the app's Zoom App client id and client secret (again: replace them). The secret is kept
    encrypted with the service's `CIRCLES_SECRET_KEY`, only to decrypt Zoom app contexts, and is never
    shown
    again; without that setting nothing is stored (409 `secret_key_unset`).

    Args:
        body (ZoomAppSet):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ZoomAppPublic
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
