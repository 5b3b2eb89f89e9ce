"""The base serializer every resource uses."""

from django.db import models
from rest_framework_json_api import serializers

from jsonapi.fields import StrictBooleanField, StrictCharField, StrictEmailField


class ResourceSerializer(serializers.ModelSerializer):
    """DJA's model serializer with strict JSON types for strings and booleans.

    Subclasses name their JSON:API type in ``Meta.resource_name``.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.EmailField: StrictEmailField,
        models.BooleanField: StrictBooleanField,
    }
