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
