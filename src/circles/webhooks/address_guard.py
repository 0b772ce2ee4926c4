"""Where a webhook may be sent: `https`, to an address on the public internet.

Checked when an endpoint is registered or its URL changed (`check_url`), and again at every connection
(`resolve`): the name is resolved once, every address it gave is checked, and the connection is made to the
address that was checked, so a name that resolves to a public address at registration and to 127.0.0.1 later
(DNS rebinding) reaches nothing. `CIRCLES_WEBHOOKS_ALLOW_PRIVATE=1` lifts both rules, for development and
tests only.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from circles.webhooks.errors import WebhookUrlRefused

RESOLVE_TIMEOUT_SECONDS = 5.0
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services: link-local or private already, named here so no future exception lets them through.
METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)


class AddressRefused(Exception):
    """The name resolves to no address a webhook may go to (or to none at all)."""


def parse(url: str, allow_private: bool) -> SplitResult:
    """The URL's parts, or `WebhookUrlRefused` saying why it cannot be an endpoint."""
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise WebhookUrlRefused("An endpoint's URL must start with https://.")
    if not parts.hostname:
        raise WebhookUrlRefused("An endpoint's URL must name a host.")
    if parts.username is not None or parts.password is not None:
        raise WebhookUrlRefused("An endpoint's URL may not carry a user name or password.")
    if parts.fragment:
        raise WebhookUrlRefused("An endpoint's URL may not have a #fragment.")
    try:
        parts.port  # noqa: B018 (a port out of range raises here)
    except ValueError:
        raise WebhookUrlRefused("An endpoint's URL has an invalid port.") from None
    return parts


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local-use translation, never public


def allowed(address: IPAddress) -> bool:
    """Whether a webhook may connect to `address`: a public unicast address, not a metadata service. An IPv6
    address that carries an IPv4 one (mapped, NAT64, 6to4, Teredo) is judged by the IPv4 address it reaches."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in LOCAL_NAT64:
            return False
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return allowed(embedded)
    return address.is_global and not address.is_multicast and address not in METADATA


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client's address (the server's is public by definition)
    return None


async def resolve(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to for `host`: each address the name resolves to is checked (one bad one refuses
    them all, as a rebinding name mixes them). Raises `AddressRefused`."""
    try:
        infos = await asyncio.wait_for(
            asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_TIMEOUT_SECONDS
        )
    except (OSError, TimeoutError) as exc:
        raise AddressRefused("the host name does not resolve") from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise AddressRefused("the host name does not resolve")
    if not allow_private and not all(allowed(a) for a in addresses):
        raise AddressRefused("the host resolves to a loopback, private, link-local or metadata address")
    return str(addresses[0])


async def check_url(url: str, allow_private: bool) -> None:
    """Refuse (`WebhookUrlRefused`) a URL a webhook could not, or must not, be sent to."""
    parts = parse(url, allow_private)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        await resolve(parts.hostname or "", port, allow_private)
    except AddressRefused as exc:
        raise WebhookUrlRefused(f"An endpoint's URL must reach the public internet: {exc}.") from None
