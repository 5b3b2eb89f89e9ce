"""The client's IP address, as far as the configured proxies can be trusted."""

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
