from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.piece_give import PieceGive
from ...models.problem import Problem
from ...models.round_with_turns import RoundWithTurns
from ...types import UNSET, Response, Unset


def _get_kwargs(
    circle_id: UUID,
    round_id: UUID,
    *,
    body: PieceGive,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/circles/{circle_id}/rounds/{round_id}/give".format(
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
    body: PieceGive,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RoundWithTurns]:
    """Give Piece

     Give the piece to a chosen person now (a keeper or the app); the holder's turn ends `skipped`.

    It counts as the chosen person's turn; what is left of the round goes on from where it was. In an
    absence
    round, someone with no live connection: 409 offline.

    Args:
        circle_id (UUID):
        round_id (UUID):
        idempotency_key (str | Unset):
        body (PieceGive):

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
    body: PieceGive,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RoundWithTurns | None:
    """Give Piece

     Give the piece to a chosen person now (a keeper or the app); the holder's turn ends `skipped`.

    It counts as the chosen person's turn; what is left of the round goes on from where it was. In an
    absence
    round, someone with no live connection: 409 offline.

    Args:
        circle_id (UUID):
        round_id (UUID):
        idempotency_key (str | Unset):
        body (PieceGive):

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
    body: PieceGive,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | RoundWithTurns]:
    """Give Piece

     Give the piece to a chosen person now (a keeper or the app); the holder's turn ends `skipped`.

    It counts as the chosen person's turn; what is left of the round goes on from where it was. In an
    absence
    round, someone with no live connection: 409 offline.

    Args:
        circle_id (UUID):
        round_id (UUID):
        idempotency_key (str | Unset):
        body (PieceGive):

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
    body: PieceGive,
    idempotency_key: str | Unset = UNSET,
) -> Problem | RoundWithTurns | None:
    """Give Piece

     Give the piece to a chosen person now (a keeper or the app); the holder's turn ends `skipped`.

    It counts as the chosen person's turn; what is left of the round goes on from where it was. In an
    absence
    round, someone with no live connection: 409 offline.

    Args:
        circle_id (UUID):
        round_id (UUID):
        idempotency_key (str | Unset):
        body (PieceGive):

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
