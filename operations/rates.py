"""Rates of the abuse limits, as the settings write them: ``10/15m`` is 10 per 15 minutes.

Read once at start-up (config/settings.py): a value that cannot be read stops the service
with a message naming the setting, so a running service never guesses at a limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"(?P<count>\d+)(?:/(?P<multiplier>\d*)(?P<unit>[smhd]))?")


@dataclass(frozen=True)
class Rate:
    """At most ``count`` events per window of ``seconds``."""

    count: int
    seconds: int


def parse_rate(value: str, *, bare_seconds: int | None = None) -> Rate:
    """``count/period`` with s, m, h or d and an optional multiplier (``10/15m``, ``5/h``).

    A bare count (``1000``) means that many per ``bare_seconds`` where the setting allows it.
    Anything else raises ``ValueError`` saying what is wrong.
    """
    match = _RATE.fullmatch(value.strip().replace(" ", ""))
    if match is None:
        raise ValueError(f"{value!r} is not a rate such as 10/15m (count/period, s, m, h or d)")
    count = int(match["count"])
    if match["unit"] is None:
        if bare_seconds is None:
            raise ValueError(f"{value!r} has no period; write it as count/period, e.g. {count}/h")
        seconds = bare_seconds
    else:
        seconds = int(match["multiplier"] or 1) * _UNIT_SECONDS[match["unit"]]
    if count < 1 or seconds < 1:
        raise ValueError(f"{value!r} must allow at least one event in a period of at least 1 s")
    return Rate(count, seconds)
