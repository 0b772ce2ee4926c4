from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.breakout_public import BreakoutPublic
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    circle_id: UUID,
    breakout_id: UUID,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/circles/{circle_id}/breakouts/{breakout_id}/end".format(
            circle_id=quote(str(circle_id), safe=""),
            breakout_id=quote(str(breakout_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BreakoutPublic | Problem | None:
    if response.status_code == 200:
        response_200 = BreakoutPublic.from_dict(response.json())

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
) -> Response[BreakoutPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    circle_id: UUID,
    breakout_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[BreakoutPublic | Problem]:
    """End Breakout

     Bring everyone back to the circle now (app or keeper); open turns end `ended`.

    Args:
        circle_id (UUID):
        breakout_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BreakoutPublic | Problem]
    """

    kwargs = _get_kwargs(
        circle_id=circle_id,
        breakout_id=breakout_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    circle_id: UUID,
    breakout_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> BreakoutPublic | Problem | None:
    """End Breakout

     Bring everyone back to the circle now (app or keeper); open turns end `ended`.

    Args:
        circle_id (UUID):
        breakout_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BreakoutPublic | Problem
    """

    return sync_detailed(
        circle_id=circle_id,
        breakout_id=breakout_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    circle_id: UUID,
    breakout_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[BreakoutPublic | Problem]:
    """End Breakout

     Bring everyone back to the circle now (app or keeper); open turns end `ended`.

    Args:
        circle_id (UUID):
        breakout_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BreakoutPublic | Problem]
    """

    kwargs = _get_kwargs(
        circle_id=circle_id,
        breakout_id=breakout_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    circle_id: UUID,
    breakout_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> BreakoutPublic | Problem | None:
    """End Breakout

     Bring everyone back to the circle now (app or keeper); open turns end `ended`.

    Args:
        circle_id (UUID):
        breakout_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BreakoutPublic | Problem
    """

    return (
        await asyncio_detailed(
            circle_id=circle_id,
            breakout_id=breakout_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
