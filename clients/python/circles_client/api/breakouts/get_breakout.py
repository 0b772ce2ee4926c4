from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.breakout_public import BreakoutPublic
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    circle_id: UUID,
    breakout_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/circles/{circle_id}/breakouts/{breakout_id}".format(
            circle_id=quote(str(circle_id), safe=""),
            breakout_id=quote(str(breakout_id), safe=""),
        ),
    }

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[BreakoutPublic | Problem]:
    """Get Breakout

     The breakout: its groups, who is in each, whose turn it is there, and every turn so far.

    Args:
        circle_id (UUID):
        breakout_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BreakoutPublic | Problem]
    """

    kwargs = _get_kwargs(
        circle_id=circle_id,
        breakout_id=breakout_id,
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
) -> BreakoutPublic | Problem | None:
    """Get Breakout

     The breakout: its groups, who is in each, whose turn it is there, and every turn so far.

    Args:
        circle_id (UUID):
        breakout_id (UUID):

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
    ).parsed


async def asyncio_detailed(
    circle_id: UUID,
    breakout_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[BreakoutPublic | Problem]:
    """Get Breakout

     The breakout: its groups, who is in each, whose turn it is there, and every turn so far.

    Args:
        circle_id (UUID):
        breakout_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BreakoutPublic | Problem]
    """

    kwargs = _get_kwargs(
        circle_id=circle_id,
        breakout_id=breakout_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    circle_id: UUID,
    breakout_id: UUID,
    *,
    client: AuthenticatedClient,
) -> BreakoutPublic | Problem | None:
    """Get Breakout

     The breakout: its groups, who is in each, whose turn it is there, and every turn so far.

    Args:
        circle_id (UUID):
        breakout_id (UUID):

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
        )
    ).parsed
