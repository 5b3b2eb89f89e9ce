"""``GET /`` and ``OPTIONS /``: the discovery document (Aimeos' entry point).

The resources a client can find from the root URL are read from the URL configuration.

A named route is a resource when its name is the type of its view's resource (``customers``,
``access-tokens``, ``customer-relations``...), so a new app's collection route shows up here
as soon as it is included in ``config/urls.py``. Routes with parameters are given as URI
templates (RFC 6570): ``/customers/{customerReference}/customer-relations``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import URLPattern, URLResolver, get_resolver, get_script_prefix
from django.urls.resolvers import RoutePattern
from drf_spectacular.utils import extend_schema
from inflection import camelize
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from jsonapi.conventions import conventions
from jsonapi.views import ResourceView

_PARAMETER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def _resource_type(pattern: URLPattern) -> str | None:
    view_class = getattr(pattern.callback, "cls", None)
    resource = conventions(view_class).resource if view_class is not None else None
    return resource.type if resource is not None else None


def _routes(patterns: list, prefix: str = "") -> Iterator[tuple[str, str]]:
    """``(name, route)`` of every named path whose name is its view's resource type."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace is None:
                yield from _routes(pattern.url_patterns, route)
        elif pattern.name and pattern.name == _resource_type(pattern):
            yield pattern.name, route


def _template(route: str) -> str:
    return _PARAMETER.sub(lambda match: "{" + camelize(match.group(1), False) + "}", route)


def resource_routes(urlconf: str | None = None) -> dict[str, str]:
    """Resource type → its path (a URI template when it has parameters), relative to the root.

    When one name has several routes, the one with the fewest parameters wins.
    """
    found: dict[str, str] = {}
    for name, route in _routes(get_resolver(urlconf).url_patterns):
        path = _template(route)
        if name not in found or path.count("{") < found[name].count("{"):
            found[name] = path
    return found


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


class DiscoveryView(ResourceView):
    """Every resource's URL; browser sessions also get the CSRF token for unsafe methods."""

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
