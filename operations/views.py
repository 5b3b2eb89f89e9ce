"""The entry points: ``GET /`` (the discovery document, Aimeos'), ``/schema`` and ``/docs``."""

from __future__ import annotations

from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import get_script_prefix
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from jsonapi.errors import JSON_API_MEDIA_TYPE
from jsonapi.renderers import JsonApiRenderer
from operations.discovery import resource_routes

CSRF_HEADER = "X-CSRFToken"

DISCOVERY_DOCUMENT = {
    "type": "object",
    "required": ["meta"],
    "properties": {
        "meta": {
            "type": "object",
            "required": ["resources"],
            "properties": {
                "resources": {
                    "type": "object",
                    "description": "Resource type → URL (a URI template where it has parameters).",
                    "additionalProperties": {"type": "string"},
                },
                "csrf": {
                    "type": "object",
                    "description": "Only for browser sessions: the header for unsafe methods.",
                    "properties": {"name": {"type": "string"}, "value": {"type": "string"}},
                },
            },
        }
    },
}


class DiscoveryView(APIView):
    """Every resource's URL; browser sessions also get the CSRF token for unsafe methods."""

    resource_name = False  # a meta-only document, not a resource
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: DISCOVERY_DOCUMENT}, tags=["discovery"])
    def get(self, request):
        root = request.build_absolute_uri(get_script_prefix())
        meta: dict = {"resources": {name: root + path for name, path in resource_routes().items()}}
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            meta["csrf"] = {"name": CSRF_HEADER, "value": get_token(request)}
        return Response({"meta": meta})

    def options(self, request, *args, **kwargs):
        return self.get(request)


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
