"""The base serializer of resources' attributes: DRF's, with strict JSON types."""

from django.db import models
from rest_framework import serializers

from jsonapi.fields import (
    DateField,
    DateTimeField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictEmailField,
)


class ResourceSerializer(serializers.ModelSerializer):
    """A model's attributes, each refusing values of the wrong JSON type.

    It knows nothing of JSON:API: the resource type (``jsonapi.resources``) names it, and
    ``jsonapi.documents`` renders its fields as camelCase attributes.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.EmailField: StrictEmailField,
        models.BooleanField: StrictBooleanField,
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
    }
    # Model fields with choices (an address's salutation) answer in Glue's words too (§11.1).
    serializer_choice_field = StrictChoiceField
