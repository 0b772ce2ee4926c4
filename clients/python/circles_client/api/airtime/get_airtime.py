import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.gathering_airtime import GatheringAirtime
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    circle_id: UUID,
    *,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

    json_until: None | str | Unset
    if isinstance(until, Unset):
        json_until = UNSET
    elif isinstance(until, datetime.datetime):
        json_until = until.isoformat()
    else:
        json_until = until
    params["until"] = json_until

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/circles/{circle_id}/airtime".format(
            circle_id=quote(str(circle_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GatheringAirtime | Problem | None:
    if response.status_code == 200:
        response_200 = GatheringAirtime.from_dict(response.json())

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
) -> Response[GatheringAirtime | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    circle_id: UUID,
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
) -> Response[GatheringAirtime | Problem]:
    """Get Airtime

     Airtime over a time window: the circle's rounds that started in [since, until) (both optional), per
    person and per round, with the balance of the whole (app or keeper). Metadata only. For a planned
    gathering's rounds, see /gatherings/{gathering_id}/airtime.

    Args:
        circle_id (UUID):
        since (datetime.datetime | None | Unset): Rounds that started at or after this (with a
            time zone).
        until (datetime.datetime | None | Unset): Rounds that started before this (with a time
            zone).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GatheringAirtime | Problem]
    """

    kwargs = _get_kwargs(
        circle_id=circle_id,
        since=since,
        until=until,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    circle_id: UUID,
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
) -> GatheringAirtime | Problem | None:
    """Get Airtime

     Airtime over a time window: the circle's rounds that started in [since, until) (both optional), per
    person and per round, with the balance of the whole (app or keeper). Metadata only. For a planned
    gathering's rounds, see /gatherings/{gathering_id}/airtime.

    Args:
        circle_id (UUID):
        since (datetime.datetime | None | Unset): Rounds that started at or after this (with a
            time zone).
        until (datetime.datetime | None | Unset): Rounds that started before this (with a time
            zone).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GatheringAirtime | Problem
    """

    return sync_detailed(
        circle_id=circle_id,
        client=client,
        since=since,
        until=until,
    ).parsed


async def asyncio_detailed(
    circle_id: UUID,
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
) -> Response[GatheringAirtime | Problem]:
    """Get Airtime

     Airtime over a time window: the circle's rounds that started in [since, until) (both optional), per
    person and per round, with the balance of the whole (app or keeper). Metadata only. For a planned
    gathering's rounds, see /gatherings/{gathering_id}/airtime.

    Args:
        circle_id (UUID):
        since (datetime.datetime | None | Unset): Rounds that started at or after this (with a
            time zone).
        until (datetime.datetime | None | Unset): Rounds that started before this (with a time
            zone).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GatheringAirtime | Problem]
    """

    kwargs = _get_kwargs(
        circle_id=circle_id,
        since=since,
        until=until,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    circle_id: UUID,
    *,
    client: AuthenticatedClient,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
) -> GatheringAirtime | Problem | None:
    """Get Airtime

     Airtime over a time window: the circle's rounds that started in [since, until) (both optional), per
    person and per round, with the balance of the whole (app or keeper). Metadata only. For a planned
    gathering's rounds, see /gatherings/{gathering_id}/airtime.

    Args:
        circle_id (UUID):
        since (datetime.datetime | None | Unset): Rounds that started at or after this (with a
            time zone).
        until (datetime.datetime | None | Unset): Rounds that started before this (with a time
            zone).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GatheringAirtime | Problem
    """

    return (
        await asyncio_detailed(
            circle_id=circle_id,
            client=client,
            since=since,
            until=until,
        )
    ).parsed
