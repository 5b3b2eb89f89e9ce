"""Response rendering on top of djangorestframework-jsonapi's renderer."""

from __future__ import annotations

from rest_framework_json_api import renderers
from rest_framework_json_api.utils import undo_format_field_name


def sparse_fieldset(request, resource_name: str) -> set[str] | None:
    """Snake_case names asked for with ``fields[TYPE]=camelCaseA,camelCaseB``, or None."""
    if request is None:
        return None
    value = request.query_params.get(f"fields[{resource_name}]")
    if value is None:
        return None
    return {undo_format_field_name(name.strip()) for name in value.split(",") if name.strip()}


class JsonApiRenderer(renderers.JSONRenderer):
    """DJA's renderer with sparse fieldsets that understand camelCase attribute names."""

    @classmethod
    def _filter_sparse_fields(cls, serializer, fields, resource_name):
        wanted = sparse_fieldset(serializer.context.get("request"), resource_name)
        if wanted is None:
            return fields
        return {name: field for name, field in fields.items() if field.field_name in wanted}

    def render_errors(self, data, accepted_media_type=None, renderer_context=None):
        return super(renderers.JSONRenderer, self).render(
            {"errors": data}, accepted_media_type, renderer_context
        )
