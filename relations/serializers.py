"""Wire format of customer relations and the validation of what clients send."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from django.core.validators import RegexValidator
from rest_framework import serializers

from jsonapi.fields import StrictBytesCharField, StrictCharField, StrictIntegerField
from jsonapi.serializers import ResourceSerializer
from relations.models import Relation

CONFIG_MAX_BYTES = 64 * 1024
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
WATCH = "watch"
TIMEFRAME_DAYS = (1, 365)
FLAGS = ("0", "1")


def _date_field() -> serializers.DateTimeField:
    return serializers.DateTimeField(
        format=DATE_FORMAT,
        input_formats=[DATE_FORMAT, "iso-8601"],
        allow_null=True,
        required=False,
    )


def _contains_nul(value: Any) -> bool:
    """PostgreSQL's jsonb cannot store U+0000 in any string, key or value."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


class ConfigField(serializers.JSONField):
    """A JSON object of at most 64 KiB, serialized as UTF-8."""

    default_error_messages = {
        "not_object": "The config must be a JSON object.",
        "too_large": f"The config must not exceed {CONFIG_MAX_BYTES} bytes serialized.",
        "nul": "The config must not contain NUL characters.",
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("not_object")
        if _contains_nul(data):
            self.fail("nul")
        serialized = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        if len(serialized.encode("utf-8")) > CONFIG_MAX_BYTES:
            self.fail("too_large")
        return data


def parse_decimal(value: object) -> Decimal | None:
    """A finite decimal ≥ 0 written as a string ("12.50"), or None."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,15}(\.\d{1,10})?", value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


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


class RelationSerializer(ResourceSerializer):
    """A relation as clients read and write it (§7); the customer comes from the URL."""

    domain = StrictCharField(
        max_length=32,
        validators=[
            RegexValidator(
                r"^[a-z0-9/_-]+\Z", "The domain must consist of a-z, 0-9, /, _ and - only."
            )
        ],
    )
    relation_type = StrictBytesCharField(max_bytes=64, token=True, required=False)
    ref_id = StrictBytesCharField(max_bytes=36)
    date_start = _date_field()
    date_end = _date_field()
    config = ConfigField(required=False)
    position = StrictIntegerField(min_value=0, max_value=2**31 - 1, required=False)
    status = StrictIntegerField(min_value=-2, max_value=1, required=False)

    class Meta:
        model = Relation
        resource_name = "customer-relations"
        fields = (
            "domain",
            "relation_type",
            "ref_id",
            "date_start",
            "date_end",
            "config",
            "position",
            "status",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("created_at", "updated_at")

    def _current(self, attrs: dict, name: str, default: Any = None) -> Any:
        """The value after this request: sent, else the stored one, else ``default``."""
        if name in attrs:
            return attrs[name]
        return getattr(self.instance, name) if self.instance is not None else default

    def validate(self, attrs: dict) -> dict:
        errors: dict[str, Any] = {}
        date_start = self._current(attrs, "date_start")
        date_end = self._current(attrs, "date_end")
        if date_start and date_end and date_end <= date_start:
            errors["date_end"] = ["The end date must be after the start date."]
        if self._current(attrs, "relation_type", "default") == WATCH:
            config_errors = watch_config_errors(self._current(attrs, "config", {}))
            if config_errors:
                errors["config"] = config_errors
        if errors:
            raise serializers.ValidationError(errors)
        return attrs
