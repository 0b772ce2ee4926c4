from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.participant_page import ParticipantPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    circle_id: UUID,
    *,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    external_id: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params["limit"] = limit

    json_external_id: None | str | Unset
    if isinstance(external_id, Unset):
        json_external_id = UNSET
    else:
        json_external_id = external_id
    params["external_id"] = json_external_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/circles/{circle_id}/participants".format(
            circle_id=quote(str(circle_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ParticipantPage | Problem | None:
    if response.status_code == 200:
        response_200 = ParticipantPage.from_dict(response.json())

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
) -> Response[ParticipantPage | Problem]:
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
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    external_id: None | str | Unset = UNSET,
) -> Response[ParticipantPage | Problem]:
    """List Participants

     Who is in the circle, in seat order, with `online`; with `external_id`, only the person the app
    knows
    by that id (an empty page when no one seated has it).

    Args:
        circle_id (UUID):
        cursor (None | str | Unset): The `next_cursor` of the previous page.
        limit (int | Unset): How many items at most. Default: 50.
        external_id (None | str | Unset): Only the participant with this `external_id` (the app's
            own id).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ParticipantPage | Problem]
    """

    kwargs = _get_kwargs(
        circle_id=circle_id,
        cursor=cursor,
        limit=limit,
        external_id=external_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    circle_id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    external_id: None | str | Unset = UNSET,
) -> ParticipantPage | Problem | None:
    """List Participants

     Who is in the circle, in seat order, with `online`; with `external_id`, only the person the app
    knows
    by that id (an empty page when no one seated has it).

    Args:
        circle_id (UUID):
        cursor (None | str | Unset): The `next_cursor` of the previous page.
        limit (int | Unset): How many items at most. Default: 50.
        external_id (None | str | Unset): Only the participant with this `external_id` (the app's
            own id).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ParticipantPage | Problem
    """

    return sync_detailed(
        circle_id=circle_id,
        client=client,
        cursor=cursor,
        limit=limit,
        external_id=external_id,
    ).parsed


async def asyncio_detailed(
    circle_id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    external_id: None | str | Unset = UNSET,
) -> Response[ParticipantPage | Problem]:
    """List Participants

     Who is in the circle, in seat order, with `online`; with `external_id`, only the person the app
    knows
    by that id (an empty page when no one seated has it).

    Args:
        circle_id (UUID):
        cursor (None | str | Unset): The `next_cursor` of the previous page.
        limit (int | Unset): How many items at most. Default: 50.
        external_id (None | str | Unset): Only the participant with this `external_id` (the app's
            own id).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ParticipantPage | Problem]
    """

    kwargs = _get_kwargs(
        circle_id=circle_id,
        cursor=cursor,
        limit=limit,
        external_id=external_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    circle_id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    external_id: None | str | Unset = UNSET,
) -> ParticipantPage | Problem | None:
    """List Participants

     Who is in the circle, in seat order, with `online`; with `external_id`, only the person the app
    knows
    by that id (an empty page when no one seated has it).

    Args:
        circle_id (UUID):
        cursor (None | str | Unset): The `next_cursor` of the previous page.
        limit (int | Unset): How many items at most. Default: 50.
        external_id (None | str | Unset): Only the participant with this `external_id` (the app's
            own id).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ParticipantPage | Problem
    """

    return (
        await asyncio_detailed(
            circle_id=circle_id,
            client=client,
            cursor=cursor,
            limit=limit,
            external_id=external_id,
        )
    ).parsed
