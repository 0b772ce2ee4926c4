"""`list_participants` on the socket takes `external_id` as `GET …/participants?external_id=` does, and
refuses what REST refuses (an unknown argument, a control character)."""

from __future__ import annotations

import httpx

from tests.factories import auth, create_circle, ok, seat
from tests.live.conftest import Connect, Server
from tests.live.test_commands import command, refused, result


def test_a_person_is_found_by_the_apps_own_id_on_the_socket_as_over_rest(
    server: Server, http: httpx.Client, live: Connect
) -> None:
    circle_id = create_circle(http, server.app_key)["id"]
    keeper = seat(http, server.app_key, circle_id, "Kim", role="keeper", external_id="zoom:kim")
    ana = seat(http, server.app_key, circle_id, "Ana", external_id="zoom:ana")
    socket = live(circle_id, keeper["token"])

    found = result(command(socket, "list_participants", external_id="zoom:ana"))
    over_rest = ok(http.get(f"/v1/circles/{circle_id}/participants?external_id=zoom:ana", headers=auth(server.app_key)))
    assert [p["id"] for p in found["items"]] == [p["id"] for p in over_rest["items"]] == [ana["id"]]
    assert result(command(socket, "list_participants", external_id="nobody"))["items"] == []
    assert len(result(command(socket, "list_participants"))["items"]) == 2
    refused(command(socket, "list_participants", externalId="zoom:ana"), 422, "validation_error")
    refused(command(socket, "list_participants", external_id="zoom:\u0000ana"), 422, "validation_error")
