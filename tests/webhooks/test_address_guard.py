"""The address guard at connect time: a name is resolved once, every address checked, and the connection made
to the address checked, so a name that turns private after registration (DNS rebinding) reaches nothing."""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
from pathlib import Path
from typing import Any

import pytest

from circles.webhooks import address_guard
from circles.webhooks.delivery import Outcome, Outgoing, Sender, WebhookBody
from tests.webhook_receiver import Receiver, running_receiver

SECRET = "whsec_" + "A" * 43


def _message() -> Outgoing:
    body = WebhookBody(type="notice", circle_id=None, seq=None, name="webhook.test", at="2026-12-06T00:00:00Z", data={})  # type: ignore[arg-type]
    return Outgoing("msg_test", body)


def _resolving_to(*addresses: str) -> Any:
    async def getaddrinfo(host: str, port: int, **_kwargs: Any) -> list[Any]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses]

    return getaddrinfo


def test_a_name_that_now_resolves_to_loopback_is_not_connected_to(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = int(receiver.url.split(":")[2].split("/")[0])

    async def deliver() -> str | None:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(loop, "getaddrinfo", _resolving_to("127.0.0.1"))
        sender = Sender(timeout=2.0, allow_private=False)
        try:
            outcome = await sender.send(f"https://hooks.example.com:{port}/hooks", [SECRET], _message())
        finally:
            await sender.close()
        assert outcome.status_code is None and not outcome.ok
        return outcome.error

    error = asyncio.run(deliver())
    assert error is not None and error.startswith("refused: the host resolves to a loopback")
    assert receiver.deliveries == []


@pytest.mark.parametrize(
    ("addresses", "allowed"),
    [
        (("93.184.215.14",), True),
        (("93.184.215.14", "10.0.0.7"), False),  # one private address among public ones refuses them all
        (("169.254.169.254",), False),
        (("::ffff:10.0.0.1",), False),
        (("2606:2800:220:1:248:1893:25c8:1946",), True),
        (("fd00:ec2::254",), False),
        (("224.0.0.1",), False),
        (("64:ff9b::7f00:1",), False),  # NAT64 of 127.0.0.1
        (("64:ff9b::5db8:d70e",), True),  # NAT64 of 93.184.215.14
        (("2002:a00:1::1",), False),  # 6to4 of 10.0.0.1
        (("64:ff9b:1::5db8:d70e",), False),  # local-use NAT64 prefix
    ],
)
def test_every_address_a_name_gives_is_checked(
    addresses: tuple[str, ...], allowed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def resolve() -> str:
        monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", _resolving_to(*addresses))
        return await address_guard.resolve("hooks.example.com", 443, allow_private=False)

    if allowed:
        assert asyncio.run(resolve()) == addresses[0]
    else:
        with pytest.raises(address_guard.AddressRefused):
            asyncio.run(resolve())


def _certificate(folder: Path, name: str) -> tuple[str, str]:
    """A self-signed certificate for `name` (its own authority), made with the openssl command."""
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={name}",
            "-addext",
            f"subjectAltName=DNS:{name}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


@pytest.mark.parametrize("certified_for", ["hooks.example.com", "elsewhere.example.com"])
def test_https_goes_to_the_checked_address_with_the_name_for_tls_and_host(
    certified_for: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Connecting to the address checked, not the name, must still verify the name's certificate (SNI) and
    send the name as Host: a certificate for another name is refused."""
    cert, key = _certificate(tmp_path, certified_for)
    with running_receiver(tls=(cert, key)) as receiver:

        async def deliver() -> Outcome:
            monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", _resolving_to("127.0.0.1"))
            sender = Sender(timeout=5.0, allow_private=True, verify=ssl.create_default_context(cafile=cert))
            try:
                return await sender.send(f"https://hooks.example.com:{receiver.port}/hooks", [SECRET], _message())
            finally:
                await sender.close()

        outcome = asyncio.run(deliver())
        if certified_for == "hooks.example.com":
            assert outcome.ok, outcome
            assert receiver.accepted()[0].headers["host"] == f"hooks.example.com:{receiver.port}"
        else:
            assert outcome.status_code is None and outcome.error == "ConnectError: could not deliver"
            assert receiver.deliveries == []
