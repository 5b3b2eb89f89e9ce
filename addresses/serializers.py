"""Wire format of addresses and the validation of what clients send."""

from __future__ import annotations

from rest_framework import serializers

from addresses.countries import country_name
from addresses.models import EDITABLE_FIELDS, Address
from jsonapi.serializers import ResourceSerializer


class AddressSerializer(ResourceSerializer):
    """An address; ``country`` is read-only, derived from ``iso2Code``."""

    country = serializers.CharField(read_only=True)

    class Meta:
        model = Address
        fields = ("id", *EDITABLE_FIELDS, "country", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")

    def validate_iso2_code(self, value: str) -> str:
        if country_name(value) is None:
            raise serializers.ValidationError("Not an ISO 3166-1 alpha-2 country code.")
        return value.upper()
