from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.support_date_airtime import SupportDateAirtime
from ...types import Response


def _get_kwargs(
    date_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/support-dates/{date_id}/airtime".format(
            date_id=quote(str(date_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SupportDateAirtime | None:
    if response.status_code == 200:
        response_200 = SupportDateAirtime.from_dict(response.json())

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
) -> Response[Problem | SupportDateAirtime]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    date_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | SupportDateAirtime]:
    """Get Support Date Airtime

     Whether the time was in fact shared equally (the app, or either of the two): each speaker's airtime
    over every meeting, paused time excluded. Metadata only.

    Args:
        date_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SupportDateAirtime]
    """

    kwargs = _get_kwargs(
        date_id=date_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    date_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | SupportDateAirtime | None:
    """Get Support Date Airtime

     Whether the time was in fact shared equally (the app, or either of the two): each speaker's airtime
    over every meeting, paused time excluded. Metadata only.

    Args:
        date_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SupportDateAirtime
    """

    return sync_detailed(
        date_id=date_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    date_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | SupportDateAirtime]:
    """Get Support Date Airtime

     Whether the time was in fact shared equally (the app, or either of the two): each speaker's airtime
    over every meeting, paused time excluded. Metadata only.

    Args:
        date_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SupportDateAirtime]
    """

    kwargs = _get_kwargs(
        date_id=date_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    date_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Problem | SupportDateAirtime | None:
    """Get Support Date Airtime

     Whether the time was in fact shared equally (the app, or either of the two): each speaker's airtime
    over every meeting, paused time excluded. Metadata only.

    Args:
        date_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SupportDateAirtime
    """

    return (
        await asyncio_detailed(
            date_id=date_id,
            client=client,
        )
    ).parsed
