"""Serializer fields that refuse values of the wrong JSON type instead of coercing them."""

import unicodedata

from django.conf import settings
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

# Control characters (CR, LF, TAB, NUL, …) and the line and paragraph separators: text that
# holds them can forge lines in e-mails, logs and exports (contract §11.3).
CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


# The messages of Glue's validator (Symfony's), for the rules the attributes share (§11.1).
GLUE_MESSAGES = {
    "required": "This field is missing.",
    # Glue's required attributes are "not blank", a rule that null breaks too.
    "null": "This value should not be blank.",
    "blank": "This value should not be blank.",
    "max_length": "This value is too long. It should have {max_length} characters or less.",
    "min_length": "This value is too short. It should have {min_length} characters or more.",
    "max_value": "This value should be {max_value} or less.",
    "min_value": "This value should be {min_value} or more.",
    "invalid_choice": "The value you selected is not a valid choice.",
}


def glue_messages(**particular: str) -> dict[str, str]:
    """:data:`GLUE_MESSAGES` with a field type's own (``invalid``: its type)."""
    return {**GLUE_MESSAGES, **particular}


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(char) in CONTROL_CATEGORIES for char in text)


class StrictCharField(serializers.CharField):
    """A string; numbers and booleans are refused rather than turned into text.

    Control characters are refused too, except where ``allow_control_characters`` says a
    value is never shown or sent anywhere (passwords).
    """

    default_error_messages = glue_messages(
        invalid="This value should be of type string.",
        control_characters="This value must not contain control characters.",
    )

    def __init__(self, *, allow_control_characters: bool = False, **kwargs):
        self.allow_control_characters = allow_control_characters
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not self.allow_control_characters and has_control_characters(value):
            self.fail("control_characters")
        return value


class StrictEmailField(serializers.EmailField):
    """An e-mail address given as a string, composed (NFC) before it is validated.

    Decomposed and composed spellings are one address (contract §11.2): they pass or fail
    validation alike. A ``new_address`` (one to be stored) has an ASCII local part: Django's
    validator means it to, but takes ``İ`` and the long s for letters (it matches ignoring
    case), and mail to such an address cannot be addressed (Django writes an encoded word into
    it): no key would ever arrive. Addresses only looked up are taken as they are.
    """

    default_error_messages = glue_messages(invalid="This value is not a valid email address.")

    def __init__(self, *, new_address: bool = False, **kwargs):
        self.new_address = new_address
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        value = super().to_internal_value(unicodedata.normalize("NFC", data))
        if self.new_address and not value.rpartition("@")[0].isascii():
            self.fail("invalid")
        return value


class StrictBooleanField(serializers.BooleanField):
    """JSON ``true`` or ``false`` only."""

    default_error_messages = glue_messages(invalid="This value should be of type bool.")

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictChoiceField(serializers.ChoiceField):
    """One of the choices; an invalid value fails with ``error`` when one is given."""

    default_error_messages = glue_messages()

    def __init__(self, *args, error=None, **kwargs):
        self.contract_error = error
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and data in self.choices:
            return data
        if self.contract_error is None and data == "":
            # Glue checks "not blank" and the choice as two rules: an empty value breaks both.
            raise serializers.ValidationError(
                [self.error_messages["blank"], self.error_messages["invalid_choice"]]
            )
        if self.contract_error is not None:
            raise serializers.ValidationError(
                self.contract_error.detail, code=self.contract_error.code
            )
        self.fail("invalid_choice", input=data)


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer; strings, booleans and fractions are refused."""

    default_error_messages = glue_messages(invalid="This value should be of type int.")

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBytesCharField(StrictCharField):
    """A string of at most ``max_bytes`` UTF-8 bytes; with ``token=True`` without whitespace."""

    default_error_messages = {
        "max_bytes": "This value is too long. It should have {max_bytes} bytes or less.",
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


class _FourDigitYearMixin:
    """strftime writes the year 191 as "191"; the wire format always has four digits."""

    format_setting: str

    def to_representation(self, value):
        output_format = getattr(self, "format", getattr(api_settings, self.format_setting))
        if (
            not value
            or isinstance(value, str)
            or not isinstance(output_format, str)
            or output_format.lower() == ISO_8601
        ):
            return super().to_representation(value)
        value = self.localize(value)
        return value.strftime(output_format.replace("%Y", f"{value.year:04d}"))

    def localize(self, value):
        return value


class DateTimeField(_FourDigitYearMixin, serializers.DateTimeField):
    """DRF's date-time field, rendering years before 1000 with leading zeros."""

    default_error_messages = glue_messages(invalid="This value is not a valid datetime.")

    format_setting = "DATETIME_FORMAT"

    def localize(self, value):
        return self.enforce_timezone(value)

    def default_timezone(self):
        # The service never activates a time zone of its own, so the current one is always
        # settings.TIME_ZONE; asking asgiref's context-local for it costs more than the format.
        return timezone.get_default_timezone() if settings.USE_TZ else None


class DateField(_FourDigitYearMixin, serializers.DateField):
    """DRF's date field, rendering years before 1000 with leading zeros."""

    default_error_messages = glue_messages(
        invalid="This value is not a valid date.", datetime="This value is not a valid date."
    )

    format_setting = "DATE_FORMAT"
