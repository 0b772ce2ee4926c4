"""Behind a reverse proxy: the client's address (which the per-address rate limit keys on) is the one a
trusted proxy forwards (CIRCLES_FORWARDED_ALLOW_IPS), and never one an untrusted peer claims."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from circles.cli import main
from tests.server_process import ServerProcess, clean_environ, free_port

BURST = 2  # requests an address may make at once; the limit refills one a minute


def proxied_server(tmp_path: Path, **settings: str) -> ServerProcess:
    env = {
        **clean_environ(),
        "CIRCLES_DATABASE_URL": f"sqlite:///{tmp_path / 'circles.db'}",
        "CIRCLES_RATE_LIMIT_BURST": str(BURST),
        "CIRCLES_RATE_LIMIT_PER_MINUTE": "1",
        **settings,
    }
    return ServerProcess(port=free_port(), env=env, log_path=tmp_path / "server.log")


def statuses_from_four_addresses(tmp_path: Path, **settings: str) -> list[int]:
    server = proxied_server(tmp_path, **settings)
    server.start()
    try:
        with httpx.Client(base_url=server.base_url, trust_env=False, timeout=10) as client:
            return [
                client.get("/v1/circles", headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
                for n in range(1, 5)
            ]
    finally:
        server.stop()


def test_a_trusted_proxy_gives_each_client_its_own_limit(tmp_path: Path) -> None:
    # The default trusts a proxy on this host (127.0.0.1, ::1), where the test's requests come from.
    assert statuses_from_four_addresses(tmp_path) == [401, 401, 401, 401]


def test_an_untrusted_peer_cannot_claim_other_addresses(tmp_path: Path) -> None:
    statuses = statuses_from_four_addresses(tmp_path, CIRCLES_FORWARDED_ALLOW_IPS="")
    assert statuses == [401] * BURST + [429] * (4 - BURST)


def test_a_proxy_elsewhere_is_named_by_address_or_network(tmp_path: Path) -> None:
    statuses = statuses_from_four_addresses(tmp_path, CIRCLES_FORWARDED_ALLOW_IPS="10.0.0.0/8, 127.0.0.0/8")
    assert statuses == [401, 401, 401, 401]


def test_a_value_that_is_not_an_address_stops_startup(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    monkeypatch.setenv("CIRCLES_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("CIRCLES_FORWARDED_ALLOW_IPS", "10.0.0.1, proxy.internal")
    with pytest.raises(SystemExit) as stopped:
        main(["migrate"])
    message = str(stopped.value.code)
    assert "forwarded_allow_ips" in message and "'proxy.internal' is not an IP address" in message


@pytest.mark.parametrize(("trusted", "socket_source"), [("127.0.0.1", "wss://circles.example.org"), ("", "ws://")])
def test_the_circle_page_allows_wss_when_a_trusted_proxy_says_https(
    tmp_path: Path, trusted: str, socket_source: str
) -> None:
    server = proxied_server(tmp_path, CIRCLES_FORWARDED_ALLOW_IPS=trusted)
    server.start()
    try:
        headers = {"Host": "circles.example.org", "X-Forwarded-Proto": "https"}
        with httpx.Client(base_url=server.base_url, trust_env=False, timeout=10) as client:
            page = client.get(f"/circle/{uuid.uuid4()}", headers=headers)
    finally:
        server.stop()
    assert page.status_code == 200
    assert f"connect-src 'self' {socket_source}" in page.headers["content-security-policy"]
