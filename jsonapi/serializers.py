"""The base serializer every resource uses."""

from django.db import models
from rest_framework_json_api import serializers

from jsonapi.fields import StrictBooleanField, StrictCharField, StrictEmailField
from jsonapi.includes import requested_includes


class ResourceSerializer(serializers.ModelSerializer):
    """DJA's model serializer with strict JSON types and relationships only when included.

    Subclasses name their JSON:API type in ``Meta.resource_name``. A relationship listed in
    ``included_serializers`` is rendered only when the request asks for it with ``?include=``,
    so a plain GET never pays a query for related rows it does not show.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.EmailField: StrictEmailField,
        models.BooleanField: StrictBooleanField,
    }

    def get_fields(self):
        fields = super().get_fields()
        included = requested_includes(self.context.get("request"))
        for name in getattr(self, "included_serializers", {}):
            if name not in included:
                fields.pop(name, None)
        return fields
