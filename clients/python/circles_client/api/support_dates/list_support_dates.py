from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.support_date_page import SupportDatePage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    external_id: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_external_id: None | str | Unset
    if isinstance(external_id, Unset):
        json_external_id = UNSET
    else:
        json_external_id = external_id
    params["external_id"] = json_external_id

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/support-dates",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SupportDatePage | None:
    if response.status_code == 200:
        response_200 = SupportDatePage.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[Problem | SupportDatePage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    external_id: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[Problem | SupportDatePage]:
    """List Support Dates

     The app's support dates, oldest first; `external_id` for one person's. With a person's token: the
    one
    date that token is for (an empty list for a participant of a circle).

    Args:
        external_id (None | str | Unset): Only the dates of the person with this external_id.
        cursor (None | str | Unset): The `next_cursor` of the previous page.
        limit (int | Unset): How many items at most. Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SupportDatePage]
    """

    kwargs = _get_kwargs(
        external_id=external_id,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    external_id: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Problem | SupportDatePage | None:
    """List Support Dates

     The app's support dates, oldest first; `external_id` for one person's. With a person's token: the
    one
    date that token is for (an empty list for a participant of a circle).

    Args:
        external_id (None | str | Unset): Only the dates of the person with this external_id.
        cursor (None | str | Unset): The `next_cursor` of the previous page.
        limit (int | Unset): How many items at most. Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SupportDatePage
    """

    return sync_detailed(
        client=client,
        external_id=external_id,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    external_id: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[Problem | SupportDatePage]:
    """List Support Dates

     The app's support dates, oldest first; `external_id` for one person's. With a person's token: the
    one
    date that token is for (an empty list for a participant of a circle).

    Args:
        external_id (None | str | Unset): Only the dates of the person with this external_id.
        cursor (None | str | Unset): The `next_cursor` of the previous page.
        limit (int | Unset): How many items at most. Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SupportDatePage]
    """

    kwargs = _get_kwargs(
        external_id=external_id,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    external_id: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Problem | SupportDatePage | None:
    """List Support Dates

     The app's support dates, oldest first; `external_id` for one person's. With a person's token: the
    one
    date that token is for (an empty list for a participant of a circle).

    Args:
        external_id (None | str | Unset): Only the dates of the person with this external_id.
        cursor (None | str | Unset): The `next_cursor` of the previous page.
        limit (int | Unset): How many items at most. Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SupportDatePage
    """

    return (
        await asyncio_detailed(
            client=client,
            external_id=external_id,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
