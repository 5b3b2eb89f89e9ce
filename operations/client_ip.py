"""The client's IP address, as far as the configured proxies can be trusted, and the network
the abuse limits count it by."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str:
    """The socket peer, or the address ``TRUSTED_PROXY_COUNT`` hops back in X-Forwarded-For.

    Each trusted proxy appends the address it received the request from, so the entry written
    by the outermost trusted proxy is the client; anything left of it was sent by the client
    itself and is never believed.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops <= 0 or not forwarded:
        return peer
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return peer
    candidate = addresses[-min(hops, len(addresses))]
    return candidate if _valid(candidate) else peer


def client_network(request: HttpRequest) -> str:
    """What the abuse limits count a client by: its IPv4 address, or its IPv6 network.

    One host holds a whole IPv6 network (a /64 at least, ``RATE_LIMIT_IPV6_PREFIX``) and can
    send from any address in it: counted by address, it would get fresh attempts at will. An
    IPv4-mapped address (``::ffff:192.0.2.7``, as a dual-stack socket reports IPv4 clients) is
    its IPv4 address. The text is canonical: every spelling of an address counts as one.
    """
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        parsed = parsed.ipv4_mapped
    if isinstance(parsed, ipaddress.IPv4Address):
        return str(parsed)
    prefix = settings.RATE_LIMIT_IPV6_PREFIX
    return str(ipaddress.IPv6Network((parsed, prefix), strict=False))
