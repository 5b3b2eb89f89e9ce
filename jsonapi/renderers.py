"""Response rendering on top of djangorestframework-jsonapi's renderer."""

from __future__ import annotations

from rest_framework_json_api import renderers
from rest_framework_json_api.utils import undo_format_field_name

from jsonapi.documents import build_document


def sparse_fieldset(request, resource_name: str) -> set[str] | None:
    """Snake_case names asked for with ``fields[TYPE]=camelCaseA,camelCaseB``, or None."""
    if request is None:
        return None
    value = request.query_params.get(f"fields[{resource_name}]")
    if value is None:
        return None
    return {undo_format_field_name(name.strip()) for name in value.split(",") if name.strip()}


class JsonApiRenderer(renderers.JSONRenderer):
    """DJA's renderer with sparse fieldsets that understand camelCase attribute names.

    Documents of our own resources are built by ``jsonapi.documents`` in one pass; DJA renders
    the rest (errors, meta-only documents, resources of other serializers).
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        document = build_document(data, renderer_context or {})
        if document is None:
            return self.render_with_dja(data, accepted_media_type, renderer_context)
        return super(renderers.JSONRenderer, self).render(
            document, accepted_media_type, renderer_context
        )

    def render_with_dja(self, data, accepted_media_type=None, renderer_context=None):
        return super().render(data, accepted_media_type, renderer_context)

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
