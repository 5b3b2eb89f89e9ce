"""The base serializer every resource uses."""

import copy

from django.db import models
from django.utils.functional import cached_property
from rest_framework import fields
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.serializers import BaseSerializer
from rest_framework_json_api import serializers

from jsonapi.fields import (
    DateField,
    DateTimeField,
    StrictBooleanField,
    StrictCharField,
    StrictEmailField,
)
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
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
    }

    def get_fields(self):
        included = requested_includes(self.context.get("request"))
        offered = getattr(self, "included_serializers", {})
        return {
            name: _fresh_copy(field)
            for name, field in self._field_templates().items()
            if name not in offered or name in included
        }

    def _field_templates(self) -> dict:
        """The class's fields, built from the model only once per class.

        DRF derives a ModelSerializer's fields from the model on every instantiation, which
        costs more than the rest of a simple GET; the result depends only on the class.
        """
        cls = type(self)
        templates = cls.__dict__.get("_templates")
        if templates is None:
            templates = super().get_fields()
            cls._templates = templates
        return templates

    @cached_property
    def _readable_fields(self) -> list[fields.Field]:
        """The fields to render, after ``fields[TYPE]=...``, worked out once per serializer.

        DJA filters the sparse fieldset anew for every item DRF renders; a list serializer
        renders all its items with one child serializer and one request, so once is enough.
        """
        return list(super()._readable_fields)


def _fresh_copy(field: fields.Field) -> fields.Field:
    """A field ready to be bound to a new serializer.

    Binding only sets attributes on the field itself, so a shallow copy of a plain field is
    enough; relationships and nested serializers bind children and are copied deeply.
    """
    if isinstance(field, RelatedField | ManyRelatedField | BaseSerializer):
        return copy.deepcopy(field)
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    return clone
