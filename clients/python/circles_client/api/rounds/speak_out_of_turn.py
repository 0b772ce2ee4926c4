from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.out_of_turn import OutOfTurn
from ...models.problem import Problem
from ...models.round_with_turns import RoundWithTurns
from ...types import UNSET, Response, Unset


def _get_kwargs(
    circle_id: UUID,
    round_id: UUID,
    *,
    body: OutOfTurn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/circles/{circle_id}/rounds/{round_id}/out-of-turn".format(
            circle_id=quote(str(circle_id), safe=""),
            round_id=quote(str(round_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RoundWithTurns | None:
    if response.status_code == 200:
        response_200 = RoundWithTurns.from_dict(response.json())

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
) -> Response[Problem | RoundWithTurns]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    circle_id: UUID,
    round_id: UUID,
    *,
    client: AuthenticatedClient,
    body: OutOfTurn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RoundWithTurns]:
    """Speak Out Of Turn

     A keeper takes the piece to speak out of turn (sequential rounds); the holder's turn ends
    `interrupted`.

    When the keeper is done, the one interrupted gets the piece back, and the round goes on as before.

    Args:
        circle_id (UUID):
        round_id (UUID):
        idempotency_key (str | Unset):
        body (OutOfTurn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RoundWithTurns]
    """

    kwargs = _get_kwargs(
        circle_id=circle_id,
        round_id=round_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    circle_id: UUID,
    round_id: UUID,
    *,
    client: AuthenticatedClient,
    body: OutOfTurn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RoundWithTurns | None:
    """Speak Out Of Turn

     A keeper takes the piece to speak out of turn (sequential rounds); the holder's turn ends
    `interrupted`.

    When the keeper is done, the one interrupted gets the piece back, and the round goes on as before.

    Args:
        circle_id (UUID):
        round_id (UUID):
        idempotency_key (str | Unset):
        body (OutOfTurn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RoundWithTurns
    """

    return sync_detailed(
        circle_id=circle_id,
        round_id=round_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    circle_id: UUID,
    round_id: UUID,
    *,
    client: AuthenticatedClient,
    body: OutOfTurn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RoundWithTurns]:
    """Speak Out Of Turn

     A keeper takes the piece to speak out of turn (sequential rounds); the holder's turn ends
    `interrupted`.

    When the keeper is done, the one interrupted gets the piece back, and the round goes on as before.

    Args:
        circle_id (UUID):
        round_id (UUID):
        idempotency_key (str | Unset):
        body (OutOfTurn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RoundWithTurns]
    """

    kwargs = _get_kwargs(
        circle_id=circle_id,
        round_id=round_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    circle_id: UUID,
    round_id: UUID,
    *,
    client: AuthenticatedClient,
    body: OutOfTurn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RoundWithTurns | None:
    """Speak Out Of Turn

     A keeper takes the piece to speak out of turn (sequential rounds); the holder's turn ends
    `interrupted`.

    When the keeper is done, the one interrupted gets the piece back, and the round goes on as before.

    Args:
        circle_id (UUID):
        round_id (UUID):
        idempotency_key (str | Unset):
        body (OutOfTurn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RoundWithTurns
    """

    return (
        await asyncio_detailed(
            circle_id=circle_id,
            round_id=round_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
