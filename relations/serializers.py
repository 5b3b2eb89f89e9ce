"""Wire format of customer relations and the validation of what clients send."""

from __future__ import annotations

import json
from typing import Any

from django.core.validators import RegexValidator
from rest_framework import serializers

from jsonapi.fields import (
    DateTimeField,
    StrictBytesCharField,
    StrictCharField,
    StrictIntegerField,
)
from jsonapi.serializers import ResourceSerializer
from relations.models import DEFAULT_RELATION_TYPE, Relation
from relations.watch import WATCH, watch_config_errors

CONFIG_MAX_BYTES = 64 * 1024
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def _date_field() -> DateTimeField:
    return DateTimeField(
        format=DATE_FORMAT,
        input_formats=[DATE_FORMAT, "iso-8601"],
        allow_null=True,
        required=False,
    )


def _contains_nul(value: Any) -> bool:
    """PostgreSQL's jsonb cannot store U+0000 in any string, key or value."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and "\x00" in item:
            return True
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
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
        if self._current(attrs, "relation_type", DEFAULT_RELATION_TYPE) == WATCH:
            config_errors = watch_config_errors(self._current(attrs, "config", {}))
            if config_errors:
                errors["config"] = config_errors
        if errors:
            raise serializers.ValidationError(errors)
        return attrs
