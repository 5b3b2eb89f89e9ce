"""Serializer fields that refuse values of the wrong JSON type instead of coercing them."""

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """A string; numbers and booleans are refused rather than turned into text."""

    default_error_messages = {"invalid": "Not a valid string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictEmailField(serializers.EmailField):
    """An e-mail address given as a string."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON ``true`` or ``false`` only."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictChoiceField(serializers.ChoiceField):
    """One of the choices; an invalid value fails with ``error`` when one is given."""

    def __init__(self, *args, error=None, **kwargs):
        self.contract_error = error
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and data in self.choices:
            return data
        if self.contract_error is not None:
            raise serializers.ValidationError(
                self.contract_error.detail, code=self.contract_error.code
            )
        self.fail("invalid_choice", input=data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer; strings, booleans and fractions are refused."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBytesCharField(StrictCharField):
    """A string of at most ``max_bytes`` UTF-8 bytes; with ``token=True`` without whitespace."""

    default_error_messages = {
        "max_bytes": "Ensure this field has no more than {max_bytes} bytes.",
        "whitespace": "This field must not contain whitespace.",
    }

    def __init__(self, *, max_bytes: int, token: bool = False, **kwargs):
        self.max_bytes = max_bytes
        self.token = token
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if len(value.encode("utf-8")) > self.max_bytes:
            self.fail("max_bytes", max_bytes=self.max_bytes)
        if self.token and any(char.isspace() for char in value):
            self.fail("whitespace")
        return value
