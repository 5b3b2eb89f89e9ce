"""Wire format of customer properties and the validation of what clients send."""

from __future__ import annotations

from django.core.validators import RegexValidator

from jsonapi.fields import StrictBytesCharField, StrictCharField
from jsonapi.serializers import ResourceSerializer
from properties.models import Property


class PropertySerializer(ResourceSerializer):
    """A property as clients read and write it (§8); the customer comes from the URL."""

    property_type = StrictBytesCharField(max_bytes=64, token=True)
    language_id = StrictCharField(
        allow_null=True,
        required=False,
        max_length=5,
        validators=[
            RegexValidator(
                r"^[a-z]{2}(_[A-Z]{2})?\Z", 'The language id must look like "de" or "de_DE".'
            )
        ],
    )
    value = StrictCharField(max_length=255, trim_whitespace=False)

    class Meta:
        model = Property
        fields = ("property_type", "language_id", "value", "created_at", "updated_at")
        read_only_fields = ("created_at", "updated_at")
