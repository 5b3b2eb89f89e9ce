"""Abuse limits: fixed-window counters in the shared cache, counted before the work they guard.

Each limit is a ``group`` (what is counted) and a ``key`` (whose: a client IP, an IP and an
account) with a rate from the settings. Counting is one atomic increment in the shared cache
(Redis in production; the database cache of ``make serve`` counts, but not atomically), so
however many requests arrive at once, each sees its own count. A window starts at an offset of
its own per key, so keys do not all reset at the same second.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from dataclasses import dataclass

from django.core.cache import cache

from operations.rates import Rate, parse_rate

logger = logging.getLogger(__name__)

# The login limits read a bare count as that many per 15 minutes (contract §2).
LOGIN_WINDOW_SECONDS = 15 * 60


class RateLimited(Exception):
    """More requests than a limit allows; the client may try again after ``retry_after`` s."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(int(retry_after), 1)
        super().__init__(f"rate limited for {self.retry_after} s")


@dataclass(frozen=True)
class Usage:
    """How often a key was counted in the current window, and when the window ends."""

    count: int
    limit: int
    retry_after: int

    @property
    def exceeded(self) -> bool:
        """More events than the rate allows: the one just counted is refused."""
        return self.count > self.limit


@functools.lru_cache(maxsize=64)
def _rate(value: str) -> Rate:
    return parse_rate(value, bare_seconds=LOGIN_WINDOW_SECONDS)


@dataclass(frozen=True)
class _Window:
    cache_key: str
    limit: int
    seconds: int
    retry_after: int


def _window(group: str, key: str, rate: str) -> _Window:
    parsed = _rate(rate)
    digest = hashlib.sha256(f"{group}|{key}".encode("utf-8", "surrogatepass")).hexdigest()
    position = int(time.time()) + int(digest[:8], 16) % parsed.seconds
    index, elapsed = divmod(position, parsed.seconds)
    return _Window(
        cache_key=f"throttle:{group}:{digest[:32]}:{parsed.seconds}:{index}",
        limit=parsed.count,
        seconds=parsed.seconds,
        retry_after=parsed.seconds - elapsed,
    )


def _unavailable(group: str) -> None:
    # The cache is down: fail open so customers can still log in; the log says why.
    logger.exception("Rate-limit counter for %s unavailable; allowing the request", group)


def hit(*, group: str, key: str, rate: str) -> Usage | None:
    """Count one more event of ``key``; its usage, or None when the cache cannot count."""
    window = _window(group, key, rate)
    try:
        cache.add(window.cache_key, 0, timeout=window.seconds + 60)
        try:
            count = cache.incr(window.cache_key)
        except ValueError:  # expired between add and incr
            cache.add(window.cache_key, 0, timeout=window.seconds + 60)
            count = cache.incr(window.cache_key)
    except Exception:
        _unavailable(group)
        return None
    return Usage(count, window.limit, window.retry_after)


def unhit(*, group: str, key: str, rate: str) -> None:
    """Take back one event counted by :func:`hit` in the current window."""
    window = _window(group, key, rate)
    try:
        cache.decr(window.cache_key)
    except ValueError:
        pass  # the window has ended: nothing is left to take back
    except Exception:
        _unavailable(group)


def clear(*, group: str, key: str, rate: str) -> None:
    """Forget every event of ``key`` in the current window."""
    try:
        cache.delete(_window(group, key, rate).cache_key)
    except Exception:
        _unavailable(group)


def enforce_rate(*, group: str, key: str, rate: str) -> None:
    """Count this request; raise :class:`RateLimited` once more than the rate allows were made."""
    usage = hit(group=group, key=key, rate=rate)
    if usage is not None and usage.exceeded:
        raise RateLimited(usage.retry_after)
