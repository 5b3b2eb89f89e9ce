"""The rules of a ``watch`` relation (Aimeos' product watch list) and its config values."""

from __future__ import annotations

import re
from decimal import Decimal

import pycountry

WATCH = "watch"
TIMEFRAME_DAYS = (1, 365)
FLAGS = ("0", "1")


def parse_decimal(value: object) -> Decimal | None:
    """A decimal ≥ 0 written as a string ("12.50"), or None."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,15}(\.\d{1,10})?", value):
        return None
    return Decimal(value)


def is_currency(value: object) -> bool:
    """An ISO 4217 alphabetic code such as ``EUR``."""
    return (
        isinstance(value, str)
        and re.fullmatch(r"[A-Z]{3}", value) is not None
        and pycountry.currencies.get(alpha_3=value) is not None
    )


def _timeframe_error(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return "The timeframe must be a whole number of days."
    if isinstance(value, str) and not re.fullmatch(r"\d{1,3}", value):
        return "The timeframe must be a whole number of days."
    low, high = TIMEFRAME_DAYS
    if not low <= int(value) <= high:
        return f"The timeframe must be between {low} and {high} days."
    return None


def watch_config_errors(config: dict) -> dict[str, list[str]]:
    """The rules of a ``watch`` relation's config, keyed by the failing config key."""
    errors: dict[str, list[str]] = {}
    if "timeframe" in config and (message := _timeframe_error(config["timeframe"])):
        errors["timeframe"] = [message]
    for flag in ("stock", "price"):
        if flag in config and config[flag] not in FLAGS:
            errors[flag] = [f'The {flag} flag must be "0" or "1".']
    watches_price = config.get("price") == "1"
    if "currency" in config or watches_price:
        if "currency" not in config:
            errors["currency"] = ["A currency is required when the price is watched."]
        elif not is_currency(config["currency"]):
            errors["currency"] = ["The currency must be an ISO 4217 code."]
    if "pricevalue" in config or watches_price:
        if "pricevalue" not in config:
            errors["pricevalue"] = ["A price value is required when the price is watched."]
        elif parse_decimal(config["pricevalue"]) is None:
            errors["pricevalue"] = ['The price value must be a decimal string ≥ 0, e.g. "12.50".']
    return errors


def watch_timeframe(config: dict) -> int | None:
    """The whole days a watch lasts, when its config names them."""
    value = config.get("timeframe")
    return int(value) if value is not None else None
