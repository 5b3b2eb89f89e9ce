"""``/schema`` and ``/docs``: the OpenAPI document and Swagger UI on it."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from jsonapi.errors import JSON_API_MEDIA_TYPE
from jsonapi.renderers import JsonApiRenderer


class JsonApiErrorsMixin:
    """Errors as JSON:API documents from a view whose renderers know only its own answer.

    drf-spectacular's views render with an OpenAPI or an HTML template renderer, which would
    show an error as YAML or as a bare "405 Method Not Allowed" page.
    """

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JsonApiRenderer()
        self.request.accepted_media_type = JSON_API_MEDIA_TYPE
        return response


class SchemaView(JsonApiErrorsMixin, SpectacularAPIView):
    """``GET /schema``: the OpenAPI document."""


class DocsView(JsonApiErrorsMixin, SpectacularSwaggerView):
    """``GET /docs``: Swagger UI on ``/schema``.

    A page, not a resource: nothing to describe for ``OPTIONS``, which answers 405 with the
    methods there are in ``Allow``.
    """

    http_method_names = ["get", "head"]
