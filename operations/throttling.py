"""Abuse limits counted in the shared cache with django-ratelimit's atomic counters."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.http import HttpRequest
from django_ratelimit.core import get_usage

from jsonapi.errors import ApiError, ErrorCode

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Usage:
    """How often a key was counted in the current window, and when the window ends."""

    count: int
    limit: int
    retry_after: int

    @property
    def exhausted(self) -> bool:
        return self.count >= self.limit


def _usage(request: HttpRequest, group: str, key: str, rate: str, increment: bool) -> Usage | None:
    try:
        usage = get_usage(
            request, group=group, key=lambda _group, _request: key, rate=rate, increment=increment
        )
    except Exception:
        # The cache is down: fail open so customers can still log in; the log says why.
        logger.exception("Rate-limit counter for %s unavailable; allowing the request", group)
        return None
    if usage is None:
        return None
    if usage["limit"] == 0:
        # django-ratelimit's answer when the cache could not count (e.g. Redis unreachable).
        logger.error("Rate-limit counter for %s unavailable; allowing the request", group)
        return None
    return Usage(usage["count"], usage["limit"], max(usage["time_left"], 1))


def peek(request: HttpRequest, *, group: str, key: str, rate: str) -> Usage | None:
    """The current count without adding to it."""
    return _usage(request, group, key, rate, increment=False)


def hit(request: HttpRequest, *, group: str, key: str, rate: str) -> Usage | None:
    """Count one more event and return the new usage."""
    return _usage(request, group, key, rate, increment=True)


def enforce_rate(
    request: HttpRequest,
    *,
    group: str,
    key: str,
    rate: str,
    error: ErrorCode = ErrorCode.TOO_MANY_REQUESTS,
) -> None:
    """Count this request; raise a 429 once more than the rate allows have been made."""
    usage = hit(request, group=group, key=key, rate=rate)
    if usage is not None and usage.count > usage.limit:
        raise ApiError.throttled(error, usage.retry_after)
